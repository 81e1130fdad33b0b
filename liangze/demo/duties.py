"""A year of responsibility lists for the demo county, in every state (issue 3, item 9).

Lists go through the real services, as the operator entering paper-signed
lists would (actor None), so every rule — completeness, digests, versions —
holds for the demo exactly as for real data.
"""

from collections import Counter
from datetime import date
from random import Random

from django.db.models import Q

from liangze import access
from liangze.duties import services
from liangze.duties.lists import copydetect
from liangze.duties.models import Catalogue, DutyList, ListType
from liangze.orgs.models import DisciplineBody, Org, OrgKind, Person, Position, PositionKind

OPENERS = ("召开", "组织", "开展", "督促", "专题研究", "制定", "落实", "检查", "部署", "推进")
ACTIONS = (
    "党委会专题研究党风廉政建设工作",
    "班子成员廉政谈话",
    "警示教育大会",
    "“三重一大”事项集体决策情况自查",
    "节日期间作风建设监督检查",
    "下属单位主要负责人谈心谈话",
    "党风廉政建设责任制落实情况督查",
    "廉政风险点排查和防控",
    "中心组廉政专题学习",
    "信访举报问题线索排查",
    "支部书记述责述廉",
    "村（社区）“小微权力”清单公开",
    "扶贫领域资金使用专项检查",
    "公务接待和公车使用情况抽查",
)
TARGETS = (
    "不少于1次",
    "覆盖全体班子成员",
    "形成书面记录",
    "建立工作台账",
    "问题全部整改到位",
    "按月通报",
    "年底前完成",
    "谈话比例不低于8%",
    "留存会议记录和照片",
)
QUARTER_FOCUS = (
    "制定年度工作计划，",
    "对照清单开展半年自查，",
    "围绕重点领域开展督查，",
    "开展年度述责述廉和考核，",
)
RETURN_REASONS = (
    "工作措施照搬目录原文，未结合本单位实际分解，请重新细化。",
    "二、三季度措施缺少可量化的目标要求。",
)


def _measure(rng: Random, quarter: int, unit: str) -> str:
    return (
        f"{QUARTER_FOCUS[quarter]}{rng.choice(OPENERS)}{rng.choice(ACTIONS)}，"
        f"{rng.choice(TARGETS)}（{unit}）"
    )


def _rows(duty_list: DutyList, person_no: str, rng: Random) -> list[dict[str, str]]:
    unit = duty_list.org.name
    return [
        {
            "entry": item.entry.ref if item.entry else "",
            "name": item.name,
            "task": f"{rng.choice(OPENERS)}{rng.choice(ACTIONS)}",
            "responsible": person_no,
            "department": rng.choice(("党政办", "组织办", "纪委", "宣传办", "")),
            **{f"q{q + 1}": _measure(rng, q, unit) for q in range(4)},
        }
        for item in duty_list.items.select_related("entry")
    ]


def _principal(org: Org, on: date) -> Person | None:
    position = (
        Position.objects.filter(
            org=org, kind__in=(PositionKind.PRINCIPAL, PositionKind.BRANCH_SECRETARY)
        )
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=on), start_date__lte=on)
        .select_related("person")
        .first()
    )
    return position.person if position else None


def issued_catalogue(root: Org, year: int) -> Catalogue:
    """The 通州 catalogue adopted by the demo county for the year (deadline 2月14日)."""
    existing = Catalogue.objects.filter(issuer=root, year=year).first()
    if existing:
        return existing
    loaded, _ = services.catalogue_load(path=services.SEED_CATALOGUES / "tongzhou-2017.json")
    services.catalogue_load(path=services.SEED_CATALOGUES / "guangan.json")
    return services.catalogue_issue(
        actor=None, catalogue=loaded, issuer=root, submit_deadline=date(year, 2, 14), year=year
    )


def _second_signer(duty_list: DutyList) -> Person | None:
    """Who signs the other line under 附件3 (the member) or 附件4 (the body's head)."""
    if duty_list.list_type == ListType.MEMBER:
        return duty_list.person
    if duty_list.list_type == ListType.SUPERVISORY:
        head = (
            Position.objects.filter(
                access.heads_body_q(),
                discipline_body=duty_list.discipline_body,
                end_date__isnull=True,
            )
            .select_related("person")
            .first()
        )
        return head.person if head else None
    return None


def _advance(duty_list: DutyList, target: str, signer: Person, rng: Random) -> None:
    """Walk a complete draft through the workflow up to `target`."""
    steps = ["discussed", "signed", "submitted", "accepted", "published"]
    if target == "returned":
        steps = ["discussed", "signed", "submitted", "returned"]
    for step in steps[: steps.index(target) + 1]:
        if step == "discussed":
            services.duty_list_discuss(
                actor=None,
                duty_list=duty_list,
                on=date(duty_list.year, 1, rng.randint(5, 25)),
                meeting="党委（党组）会议",
                attendees="全体班子成员",
            )
        elif step == "signed":
            services.duty_list_sign(actor=None, duty_list=duty_list, paper_signer=signer)
            second = _second_signer(duty_list)
            if second is not None:
                services.duty_list_sign(actor=None, duty_list=duty_list, paper_signer=second)
        elif step == "submitted":
            services.duty_list_submit(actor=None, duty_list=duty_list, score=False)
        elif step in ("accepted", "returned"):
            services.duty_list_review(
                actor=None,
                duty_list=duty_list,
                verdict=step,
                reason="" if step == "accepted" else rng.choice(RETURN_REASONS),
            )
        elif step == "published":
            services.duty_list_publish(
                actor=None, duty_list=duty_list, publish_range=DutyList.PublishRange.SUBTREE
            )
        duty_list.refresh_from_db()


STATES = (
    ["published"] * 10
    + ["accepted"] * 4
    + ["submitted"] * 2
    + ["signed"]
    + ["discussed"]
    + ["returned"]
    + ["draft"]
    + ["incomplete"]
)


def seed_lists(*, root: Org, year: int, rng: Random) -> Counter[str]:
    """Lists for the units directly under the county and their leaders, in varied states."""
    catalogue = issued_catalogue(root, year)
    on = catalogue.submit_deadline or date(year, 2, 14)
    units = list(Org.objects.filter(parent=root).order_by("path"))
    # Units without a Party committee too, as the catalogue covers them (004 参照执行):
    # the first one's collective list published, the last one without lists, named as missing.
    without_committee = [o for o in units if o.kind == OrgKind.GOVERNMENT]
    units = [o for o in units if o not in without_committee[-1:]]
    made: Counter[str] = Counter()
    first_measures: list[dict[str, str]] | None = None
    first_unit = ""
    copies: list[DutyList] = []
    for n, org in enumerate(units):
        principal = _principal(org, on)
        if principal is None:
            continue
        holders: list[tuple[str, Person | None, DisciplineBody | None]] = [
            (ListType.COLLECTIVE, None, None),
            (ListType.PRINCIPAL, principal, None),
        ]
        members = Position.objects.filter(org=org, kind=PositionKind.MEMBER, end_date__isnull=True)
        holders += [(ListType.MEMBER, p.person, None) for p in members.select_related("person")[:3]]
        holders += [(ListType.SUPERVISORY, None, body) for body in org.discipline_bodies.all()[:1]]
        for list_type, person, body in holders:
            duty_list = services.duty_list_create(
                actor=None,
                org=org,
                year=year,
                list_type=list_type,
                catalogue=catalogue,
                person=person,
                discipline_body=body,
            )
            state = rng.choice(STATES)
            if list_type == ListType.COLLECTIVE and org in without_committee[:1]:
                state = "published"  # one such unit shown done on the coverage page
            rows = _rows(duty_list, (person or principal).person_no, rng)
            if list_type == ListType.COLLECTIVE and n == 0:
                first_measures, first_unit = rows, org.name
            elif list_type == ListType.COLLECTIVE and n == 1 and first_measures:
                # 照搬照抄: the second unit copies the first one's measures (LIST-7 demo).
                # Copied as copiers do: the other unit's name swapped for one's own.
                rows = [
                    {k: v.replace(first_unit, org.name) for k, v in r.items()}
                    | {"responsible": principal.person_no}
                    for r in first_measures
                ]
                state = "submitted"
                copies.append(duty_list)
            if state == "incomplete":
                rows = rows[2:]
                for row in rows[:3]:
                    row["q3"] = ""
            services.duty_items_save(actor=None, duty_list=duty_list, rows=rows)
            if state not in ("draft", "incomplete"):
                _advance(duty_list, state, principal, rng)
            made[state] += 1
    # Scoring every submission would compare each list with its whole pool again;
    # the demo needs the planted copy scored, which also scores its original.
    for duty_list in copies:
        copydetect.refresh_similarity(duty_list)
    return made
