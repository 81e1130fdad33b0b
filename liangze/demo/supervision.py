"""Inspections for the demo county, in every state (issue 4, item 7).

Everything goes through the real services as the operator (actor None), so
the draw is recorded and verifies, mandatory units join by their flags, and
整改 walks its real state machine. Runs after seed_demo_lists: findings point
at list items, and 逐项过堂 walks the lists.
"""

from collections import Counter
from datetime import date
from random import Random

from django.core.files.uploadedfile import SimpleUploadedFile

from liangze.orgs.models import DisciplineBody, Org, OrgKind, Person, Position
from liangze.supervision.inspections import queries, services
from liangze.supervision.models import Finding, Inspection, Sanction, UnitFlag, Verdict
from liangze.supervision.rectifications import services as rectify

PROBLEMS = (
    ("班子成员落实“一岗双责”谈心谈话记录不全，部分谈话无记录本和照片佐证", Finding.Severity.MINOR),
    (
        "党委会专题研究党风廉政建设工作全年仅 1 次，未达到每季度 1 次的要求",
        Finding.Severity.SERIOUS,
    ),
    ("责任清单二、三季度措施照搬上级目录原文，未结合本单位实际分解", Finding.Severity.MINOR),
    ("“三重一大”事项集体决策记录缺少参会人员签字", Finding.Severity.SERIOUS),
    ("廉政风险点排查流于形式，风险防控措施与岗位职责不对应", Finding.Severity.MINOR),
    ("上年度检查发现问题的整改方案未按期报送，整改台账未建立", Finding.Severity.GRAVE),
    ("“两书上会”警示教育活动未剖析发案原因，自查对象、项目、时间不明确", Finding.Severity.SERIOUS),
)
PERFUNCTORY = "“两书上会”警示教育会议记录与上年雷同，参会人员签到为同一笔迹，活动敷衍塞责、走过场"
PLANS = (
    "一、由党委书记牵头，党政办具体负责，10 个工作日内补齐谈话记录；"
    "二、建立谈心谈话台账，每月核对一次。",
    "召开党委会专题研究整改，明确分管领导和完成时限，形成整改台账，按月报告进展。",
)
REPORTS = (
    "已召开党委会专题研究，补齐记录 12 份，建立台账并上传会议记录和照片。",
    "已按要求重新分解清单措施并经集体讨论，修订后的清单已报送审核。",
)
RETURNS = "佐证材料只有会议通知，缺少会议记录和整改前后对照，请补充后重新报告。"
# A public number drawn in front of witnesses: here, that day's lottery numbers.
PUBLIC_NUMBER = "福彩3D第2026118期开奖号371"
# One pixel, a real PNG: the evidence of a reported rectification.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360f8cf0000030101000518d84e0000000049454e44ae426082"
)


def _photo(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PNG, content_type="image/png")


def _commission(root: Org) -> DisciplineBody | None:
    return (
        DisciplineBody.objects.filter(org=root, kind=DisciplineBody.Kind.COMMISSION)
        .order_by("pk")
        .first()
    )


def _staff(body: DisciplineBody, n: int) -> list[Person]:
    positions = Position.objects.filter(discipline_body=body, end_date__isnull=True)
    return [p.person for p in positions.select_related("person").order_by("pk")[:n]]


def _units(root: Org) -> list[Org]:
    return list(
        Org.objects.filter(parent=root, is_active=True)
        .exclude(kind=OrgKind.GOVERNMENT)
        .order_by("path")
    )


def _plan(
    root: Org,
    body: DisciplineBody,
    kind: str,
    title: str,
    *,
    period: str,
    dates: tuple[date, date],
    staff: int,
    requirements: str,
    designated: list[Org] | tuple[()] = (),
) -> Inspection:
    """An inspection of the county organised by its commission, as the operator."""
    return services.inspection_plan(
        actor=None,
        kind=kind,
        title=title,
        year=dates[0].year,
        period=period,
        org=root,
        organiser_body=body,
        planned_start=dates[0],
        planned_end=dates[1],
        inspectors=_staff(body, staff),
        requirements=requirements,
        designated=designated,
    )


def _flags(units: list[Org], year: int, rng: Random) -> list[UnitFlag]:
    picked = rng.sample(units[1:], 3)
    notes = (
        "镇财政所原所长挪用公款案，已判决",
        "近三年查处违纪案件 4 起",
        "区委第三巡察组反馈问题线索 9 件",
    )
    return [
        services.flag_set(actor=None, org=org, year=year, reason=reason, note=note)
        for org, reason, note in zip(picked, UnitFlag.Reason.values, notes, strict=True)
    ]


def _special(
    root: Org, body: DisciplineBody, units: list[Org], year: int, rng: Random
) -> Inspection:
    """Half-yearly 专项督查: flagged units, the persona township, a recorded draw; concluded."""
    inspection = _plan(
        root,
        body,
        Inspection.Kind.SPECIAL,
        f"{year}年上半年“两个责任”落实情况专项督查",
        period=f"{year}-H1",
        dates=(date(year, 5, 6), date(year, 6, 20)),
        staff=3,
        requirements="对照责任清单，重点检查谈心谈话、专题研究、“三重一大”集体决策和上年度问题整改情况。",
        designated=units[:1],
    )
    population = queries.population_for(inspection, "children")
    if population:
        # Four at county scale; fewer where few units are left after the 必查 ones.
        size = max(1, min(4, len(population) - 1))
        services.sample_draw(
            actor=None,
            inspection=inspection,
            size=size,
            rule="children",
            public_number=PUBLIC_NUMBER,
        )
    services.inspection_start(actor=None, inspection=inspection)
    states = ["open", "planned", "reported", "verified", "returned", "verified"]
    n = 0
    targets = list(inspection.targets.select_related("org").order_by("org__path"))
    for i, target in enumerate(targets):
        items = list(queries.unit_items(target.org, year)[:20])
        for _ in range(1 + (i % 2)):
            text, severity = PROBLEMS[n % len(PROBLEMS)]
            finding = services.finding_record(
                actor=None,
                target=target,
                description=text,
                severity=severity,
                duty_item=rng.choice(items) if items and n % 3 else None,
                requirement="对照问题逐条整改，整改完成后报送整改报告和佐证材料。",
            )
            _advance(finding, states[n % len(states)], n)
            n += 1
        if i == 1:
            perfunctory = services.finding_record(
                actor=None,
                target=target,
                description=PERFUNCTORY,
                severity=Finding.Severity.GRAVE,
                is_perfunctory=True,
                requirement="责令重新组织开展“两书上会”警示教育活动。",
            )
            for kind in (Sanction.Kind.REDO, Sanction.Kind.CIRCULAR):
                services.sanction_decide(
                    actor=None,
                    finding=perfunctory,
                    kind=kind,
                    decided_on=date(year, 6, 18),
                    note="通报到单位、到个人。" if kind == Sanction.Kind.CIRCULAR else "",
                )
        services.target_check(
            actor=None,
            target=target,
            conclusion="责任清单制定规范，台账基本完整；存在问题已当场反馈，限期整改。",
        )
    return services.inspection_conclude(
        actor=None,
        inspection=inspection,
        summary=f"共检查 {len(targets)} 个单位，发现问题 {n + 1} 个，已全部下达整改；"
        "对 1 个走过场单位责令重新开展并通报。",
    )


def _advance(finding: Finding, state: str, n: int) -> None:
    rectification = finding.rectification
    if state == "open":
        return
    rectify.rectification_plan(actor=None, rectification=rectification, plan=PLANS[n % 2])
    if state == "planned":
        return
    rectify.rectification_report(
        actor=None,
        rectification=rectification,
        report=REPORTS[n % 2],
        uploads=[_photo(f"整改佐证{n + 1}.png")],
    )
    if state == "verified":
        rectify.rectification_verify(
            actor=None, rectification=rectification, note="整改到位，同意销号。"
        )
    elif state == "returned":
        rectify.rectification_return(actor=None, rectification=rectification, reason=RETURNS)


def _year_end(root: Org, body: DisciplineBody, units: list[Org], year: int) -> Inspection:
    """Year-end 逐项过堂 under way: the first unit two-thirds through, the others not begun."""
    inspection = _plan(
        root,
        body,
        Inspection.Kind.YEAR_END,
        f"{year}年度责任清单逐项过堂",
        period=str(year),
        dates=(date(year, 12, 1), date(year, 12, 31)),
        staff=2,
        requirements="对照责任清单逐项过堂，逐项评定落实、基本落实或未落实。",
        designated=[u for u in units[:3] if u.pk not in _flagged(inspection_year=year, root=root)],
    )
    services.inspection_start(actor=None, inspection=inspection)
    target = inspection.targets.select_related("org").order_by("org__path").first()
    if target is not None:
        items = list(queries.unit_items(target.org, year))
        values = [Verdict.Value.DONE] * 6 + [Verdict.Value.MOSTLY] * 2 + [Verdict.Value.NOT_DONE]
        for k, item in enumerate(items[: len(items) * 2 // 3]):
            value = values[k % len(values)]
            services.verdict_set(
                actor=None,
                target=target,
                duty_item=item,
                value=value,
                note="" if value == Verdict.Value.DONE else "佐证材料不全",
            )
    return inspection


def _flagged(*, inspection_year: int, root: Org) -> set[int]:
    return set(
        UnitFlag.objects.filter(root.subtree_q("org__"), year=inspection_year).values_list(
            "org_id", flat=True
        )
    )


def _monthly(root: Org, body: DisciplineBody, year: int) -> Inspection:
    """The monthly 随机抽查 (004), planned: the draw is still to be made."""
    return _plan(
        root,
        body,
        Inspection.Kind.SPOT,
        f"{year}年12月责任清单落实情况随机抽查",
        period=f"{year}-M12",
        dates=(date(year, 12, 7), date(year, 12, 11)),
        staff=2,
        requirements="随机抽取 3 个单位，检查责任清单制定和落实情况。",
    )


def seed_inspections(*, root: Org, year: int, rng: Random) -> Counter[str]:
    body = _commission(root)
    units = _units(root)
    made: Counter[str] = Counter()
    if body is None or len(units) < 6:
        return made
    made["flags"] += len(_flags(units, year, rng))
    _special(root, body, units, year, rng)
    _year_end(root, body, units, year)
    _monthly(root, body, year)
    made["inspections"] += 3
    return made
