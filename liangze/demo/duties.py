"""A year of responsibility lists for the demo county, told as it happened (issue 9 item 21).

The units directly under the county, the schools under the education bureau
and the branches of the demo town write their lists. Each unit follows its
timeline (story.py): drafted in January, discussed, signed and submitted by the
deadline — two planted units late, one not at all — reviewed within days by
real reviewers (the county 纪委's staff for the county's units, the parent's
team or 纪委 for the others), some returned and resubmitted, and published in
February or March. Every step goes through the real services as the person who
took it, at the story's moment, so completeness, digests, versions and the
audit trail hold exactly as for real data. A few units copy a sibling's list
(照搬照抄): the copy detector flags them and the reviewer returns them.
"""

from collections import Counter
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from random import Random

from django.db.models import Q
from django.utils import timezone

from liangze import access
from liangze.accounts.models import User
from liangze.duties import policy, services
from liangze.duties.lists import copydetect
from liangze.duties.models import Catalogue, DutyList, ListType, Review
from liangze.orgs.models import (
    DisciplineBody,
    Org,
    OrgKind,
    OrgLevel,
    Person,
    Position,
    PositionKind,
)

from . import story
from .list_text import BRANCH, Writer, unit_kind

RETURN_REASONS = (
    "工作措施照搬目录原文，未结合本单位实际分解，请重新细化。",
    "二、三季度措施缺少可量化的目标要求，请补充完成时限和标准。",
    "责任部门填写不全，部分事项未明确具体责任人。",
)
# Where the rest of the lists stand once the story is over (weights): nearly all published.
# Reviews take days, so by spring nothing still waits for one.
ENDINGS = ("published", "accepted", "returned")
ENDING_WEIGHTS = (93, 4, 3)
COPY_REASON = "工作措施与同级单位清单高度雷同，存在照搬照抄问题，请结合本单位实际重新编制。"
LATE_UNITS = 2  # planted: submitted after the deadline
UNSENT_UNITS = 1  # planted: never submitted
RETURNED_SHARE = 0.12  # units whose collective list is returned once and resubmitted in time
COPIES = 3  # planted: units whose collective list copies a sibling's
# Who reviews for a level: its 纪委's staff first (the 监察室 the lists are sent to).
REVIEWING_STAFF = (PositionKind.DISCIPLINE_STAFF, PositionKind.DISCIPLINE_SECRETARY)


@dataclass
class Unit:
    org: Org
    principal: Person
    timeline: story.Timeline
    reviewers: list[User]
    fate: str = "normal"  # normal | returned | late | unsent
    copy_of: Org | None = None
    team: list[Person] = field(default_factory=list)


@dataclass
class Made:
    """What the seeding did, for the command's report and the tests."""

    counts: Counter[str] = field(default_factory=Counter)
    late: set[int] = field(default_factory=set)  # ids of the lists planted late or unsent
    copies: list[tuple[int, int]] = field(default_factory=list)  # (copy, original) list ids


def _current(qs: Q) -> Q:
    return qs & (Q(end_date__isnull=True) | Q(end_date__gte=timezone.localdate()))


def _holding(org: Org, kinds: tuple[str, ...]) -> list[Person]:
    positions = Position.objects.filter(
        _current(Q(org=org, kind__in=kinds, discipline_body__isnull=True))
    )
    return [p.person for p in positions.select_related("person__org").order_by("start_date", "pk")]


def body_head(body: DisciplineBody) -> Person | None:
    """The 纪委书记 of a commission, the 纪检委员 of a branch: who answers for its list."""
    position = (
        Position.objects.filter(_current(access.heads_body_q() & Q(discipline_body=body)))
        .select_related("person__org")
        .order_by("start_date", "pk")
        .first()
    )
    return position.person if position else None


def issued_catalogue(root: Org, year: int, accounts: story.Accounts, rng: Random) -> Catalogue:
    """The 通州 catalogue adopted by the demo county for the year (deadline 2月14日).

    Issued on the first working days of January by the county 纪委 secretary.
    """
    # Drawn first: the story that follows is the same whether the catalogue was there or not.
    issued_at = story.moment(rng, story.workday(rng, date(year, 1, 2), date(year, 1, 6)))
    existing = Catalogue.objects.filter(issuer=root, year=year).first()
    if existing:
        return existing
    loaded, _ = services.catalogue_load(path=services.SEED_CATALOGUES / "tongzhou-2017.json")
    services.catalogue_load(path=services.SEED_CATALOGUES / "guangan.json")
    issuer = _county_secretary(root)
    actor = accounts.of(issuer) if issuer else None
    with story.at(issued_at):
        return services.catalogue_issue(
            actor=actor, catalogue=loaded, issuer=root, submit_deadline=date(year, 2, 14), year=year
        )


def _county_secretary(root: Org) -> Person | None:
    body = root.discipline_bodies.filter(kind=DisciplineBody.Kind.COMMISSION).first()
    return body_head(body) if body else None


def _reviewers(parent: Org, sample: Org, accounts: story.Accounts) -> list[User]:
    """Who reviews the lists of `parent`'s units: its 纪委 staff, else its leadership team."""
    staff = Position.objects.filter(
        _current(Q(discipline_body__org=parent, kind__in=REVIEWING_STAFF))
    ).select_related("person__org")
    people = [p.person for p in staff.order_by("kind", "pk")]
    people += _holding(parent, (PositionKind.PRINCIPAL, PositionKind.MEMBER))
    probe = DutyList(org=sample, list_type=ListType.COLLECTIVE)
    found: list[User] = []
    for person in dict.fromkeys(people):
        user = accounts.of(person)
        if policy.allowed(user, policy.REVIEW, probe):
            found.append(user)
        if len(found) == 3:
            break
    return found


def _units(root: Org) -> list[Org]:
    """The county's units, the schools under its bureaus, and the demo town's branches.

    Units without a Party committee too, as the catalogue covers them (004 参照执行),
    but the last of them, left without lists for the coverage page to name as missing.
    """
    direct = list(Org.objects.filter(parent=root, is_active=True).order_by("path"))
    without_committee = [o for o in direct if o.kind == OrgKind.GOVERNMENT]
    direct = [o for o in direct if o not in without_committee[-1:]]
    schools = list(
        Org.objects.filter(
            parent__parent=root, level=OrgLevel.SCHOOL, parent__level=OrgLevel.DEPARTMENT
        ).order_by("path")
    )
    town = User.objects.filter(username="town_sec").values_list("person__org_id", flat=True)
    home = next((o for o in direct if o.pk in set(town)), None) or next(
        (o for o in direct if o.level == OrgLevel.TOWNSHIP), None
    )
    branches = list(
        Org.objects.filter(parent=home, level=OrgLevel.BRANCH, is_active=True).order_by("path")
        if home
        else []
    )
    return direct + schools + branches


def _cast(root: Org, year: int, rng: Random, accounts: story.Accounts) -> list[Unit]:
    """Every unit with its principal, timeline, reviewers and fate; the plants chosen."""
    deadline = date(year, 2, 14)
    reviewers: dict[int, list[User]] = {}
    units: list[Unit] = []
    for org in _units(root):
        heads = _holding(org, (PositionKind.PRINCIPAL, PositionKind.BRANCH_SECRETARY))
        # A unit with nobody on its own roll (a township's office branch) has no 责任人 to name.
        parent = org.parent
        if not heads or parent is None or not Person.objects.filter(org=org).exists():
            continue
        if parent.pk not in reviewers:
            reviewers[parent.pk] = _reviewers(parent, org, accounts)
        if not reviewers[parent.pk]:
            continue
        team = _holding(org, (PositionKind.MEMBER,))
        units.append(
            Unit(org, heads[0], story.plan(rng, deadline), reviewers[parent.pk], team=team)
        )
    # The plants: among the county's own units, never the demo accounts' town.
    town = set(User.objects.filter(username="town_sec").values_list("person__org_id", flat=True))
    candidates = [
        u
        for u in units
        if u.org.parent_id == root.pk
        and u.org.pk not in town
        and u.org.kind != OrgKind.GOVERNMENT  # shown done on the coverage page
    ]
    rng.shuffle(candidates)
    for unit in candidates[:LATE_UNITS]:
        unit.fate, unit.timeline = "late", story.plan(rng, deadline, late=True)
    for unit in candidates[LATE_UNITS : LATE_UNITS + UNSENT_UNITS]:
        unit.fate = "unsent"
    copiers = 0
    for unit in candidates[LATE_UNITS + UNSENT_UNITS :]:
        # A copier copies a sibling of its kind that wrote its own and went before it.
        siblings = [
            u.org
            for u in units
            if u.org.parent_id == unit.org.parent_id
            and unit_kind(u.org) == unit_kind(unit.org)
            and u.org.path < unit.org.path
            and u.fate == "normal"
            and u.copy_of is None
        ]
        if siblings and copiers < COPIES:
            unit.copy_of = rng.choice(siblings)
            copiers += 1
    copied = {u.copy_of.pk for u in units if u.copy_of is not None}
    for unit in units:
        if unit.fate != "normal" or unit.copy_of is not None or unit.org.pk in copied:
            continue  # an original stays as copied: its rework would hide the copy
        if rng.random() < RETURNED_SHARE:
            unit.fate, unit.timeline = "returned", story.plan(rng, deadline, returned=True)
    return units


@dataclass
class Holder:
    list_type: str
    person: Person | None  # whose list (personal lists)
    body: DisciplineBody | None  # whose list (supervisory lists)
    answerable: Person  # 责任人 in its rows, and who writes, signs and publishes it


def _holders(unit: Unit) -> list[Holder]:
    org = unit.org
    holders = [
        Holder(ListType.COLLECTIVE, None, None, unit.principal),
        Holder(ListType.PRINCIPAL, unit.principal, None, unit.principal),
    ]
    if org.parent is not None and org.parent.level == OrgLevel.COUNTY:
        holders += [Holder(ListType.MEMBER, p, None, p) for p in unit.team[:3]]
    for body in org.discipline_bodies.all()[:1]:
        head = body_head(body)
        if head is not None:
            holders.append(Holder(ListType.SUPERVISORY, None, body, head))
    return holders


def _person_no(person: Person, org: Org) -> str:
    """The 责任人 column names people on the unit's own roll. A village branch's secretary
    is often on the township's, where they work: the branch's longest member stands in."""
    if person.org.path.startswith(org.path):
        return person.person_no
    stand_in = Person.objects.filter(org=org).order_by("pk").values_list("person_no", flat=True)
    return next(iter(stand_in), person.person_no)


MEETINGS: dict[str, str] = {
    OrgKind.PARTY_COMMITTEE: "党委会议",
    OrgKind.PARTY_GROUP: "党组会议",
    OrgKind.WORK_COMMITTEE: "党工委会议",
    OrgKind.GENERAL_BRANCH: "党总支委员会会议",
    OrgKind.BRANCH: "支部委员会会议",
}


class Teller:
    """Walks each unit's lists through its timeline, as its people would have."""

    def __init__(self, root: Org, year: int, rng: Random, today: date) -> None:
        self.rng, self.year, self.today = rng, year, today
        self.accounts = story.Accounts()
        self.catalogue = issued_catalogue(root, year, self.accounts, rng)
        self.made = Made()
        self.texts: dict[int, list[dict[str, str]]] = {}  # collective rows by org, for copiers
        self.root = root
        self.last: datetime | None = None  # the list's last step: a day's steps keep their order

    def run(self) -> Made:
        units = _cast(self.root, self.year, self.rng, self.accounts)
        for unit in units:
            for holder in _holders(unit):
                self.tell(unit, holder)
        # Scoring a list reads its whole pool: the planted copies are scored, once all are in,
        # which scores their originals too (every list would take minutes at county scale).
        for copy, _original in self.made.copies:
            copydetect.refresh_similarity(DutyList.objects.get(pk=copy))
        return self.made

    def happened(self, day: date) -> bool:
        return day <= self.today

    def at(self, day: date) -> AbstractContextManager[None]:
        when = story.moment(self.rng, day)
        if self.last is not None and when <= self.last:
            when = self.last + timedelta(minutes=self.rng.randint(3, 40))
        self.last = when
        return story.at(when)

    def tell(self, unit: Unit, holder: Holder) -> None:
        timeline = unit.timeline
        if not self.happened(timeline.drafted_on):
            return
        self.last = None
        actor = self.accounts.of(holder.answerable)
        with self.at(timeline.drafted_on):
            duty_list = services.duty_list_create(
                actor=actor,
                org=unit.org,
                year=self.year,
                list_type=holder.list_type,
                catalogue=self.catalogue,
                person=holder.person,
                discipline_body=holder.body,
            )
            rows = self.rows(unit, holder, duty_list)
            ending = "draft"
            if unit.fate == "unsent" and holder.list_type != ListType.COLLECTIVE:
                # The unit that never got round to it: half-filled drafts.
                rows = rows[2:]
                for row in rows[:3]:
                    row["q3"] = ""
                ending = "incomplete"
            services.duty_items_save(actor=actor, duty_list=duty_list, rows=rows)
        if unit.fate == "unsent":
            self.made.late.add(duty_list.pk)
            if ending == "draft" and self.happened(timeline.discussed_on):
                self.discuss(duty_list, unit, actor, timeline.discussed_on)
                ending = "discussed"
            self.made.counts[ending] += 1
            return
        if unit.fate == "late":
            self.made.late.add(duty_list.pk)
        ending = self.ending(unit, holder)
        self.made.counts[self.walk(duty_list, unit, holder, actor, ending)] += 1
        if unit.copy_of is not None and holder.list_type == ListType.COLLECTIVE:
            original = DutyList.objects.filter(
                org=unit.copy_of, year=self.year, list_type=ListType.COLLECTIVE, is_current=True
            ).first()
            if original is not None:
                self.made.copies.append((duty_list.pk, original.pk))

    def ending(self, unit: Unit, holder: Holder) -> str:
        if unit.copy_of is not None and holder.list_type == ListType.COLLECTIVE:
            return "returned"  # the reviewer saw the copy flagged and sent it back
        if unit.fate != "normal" or unit.org.kind == OrgKind.GOVERNMENT:
            return "published"
        return self.rng.choices(ENDINGS, weights=ENDING_WEIGHTS)[0]

    def rows(self, unit: Unit, holder: Holder, duty_list: DutyList) -> list[dict[str, str]]:
        if unit.copy_of is not None and holder.list_type == ListType.COLLECTIVE:
            original = self.texts.get(unit.copy_of.pk)
            if original:
                # Copied as copiers do: the other unit's people swapped for one's own.
                mine = _person_no(holder.answerable, unit.org)
                return [r | {"responsible": mine} for r in original]
        writer = Writer(self.rng, unit.org)
        leaders = [unit.principal, *unit.team]
        rows = []
        for n, item in enumerate(duty_list.items.select_related("entry").order_by("seq")):
            who = holder.answerable
            if holder.list_type == ListType.COLLECTIVE:
                who = leaders[n % len(leaders)]
            ref = item.entry.ref if item.entry else ""
            rows.append(writer.row(n, ref, item.name, _person_no(who, unit.org)))
        if holder.list_type == ListType.COLLECTIVE:
            self.texts[unit.org.pk] = rows
        return rows

    def discuss(self, duty_list: DutyList, unit: Unit, actor: User, on: date) -> None:
        if duty_list.list_type == ListType.SUPERVISORY and unit_kind(unit.org) != BRANCH:
            meeting = "纪委委员会议"
        else:
            meeting = MEETINGS.get(unit.org.kind, "领导班子会议")
        with self.at(on):
            services.duty_list_discuss(
                actor=actor, duty_list=duty_list, on=on, meeting=meeting, attendees="全体班子成员"
            )

    def walk(
        self, duty_list: DutyList, unit: Unit, holder: Holder, actor: User, ending: str
    ) -> str:
        """Take the list as far as `ending` along the timeline; where it got to by today."""
        t = unit.timeline
        returns = unit.fate == "returned" and holder.list_type == ListType.COLLECTIVE
        if ending == "returned":
            returns = True
        reviewer = self.rng.choice(unit.reviewers)
        if not self.happened(t.discussed_on):
            return "draft"
        self.discuss(duty_list, unit, actor, t.discussed_on)
        if not self.happened(t.signed_on):
            return "discussed"
        self.sign(duty_list, unit, holder, t.signed_on)
        if not self.happened(t.submitted_on):
            return "signed"
        self.submit(duty_list, actor, t.submitted_on)
        if returns and t.returned_on is None:
            # A list returned and not yet reworked: it went in well before the deadline.
            returned_on = story.workday(self.rng, t.submitted_on, t.accepted_on)
            if not self.happened(returned_on):
                return "submitted"
            copied = unit.copy_of is not None and holder.list_type == ListType.COLLECTIVE
            reason = COPY_REASON if copied else self.rng.choice(RETURN_REASONS)
            self.review(duty_list, reviewer, returned_on, Review.Verdict.RETURNED, reason)
            return "returned"
        if returns and t.returned_on is not None:
            if not self.happened(t.returned_on):
                return "submitted"
            reason = self.rng.choice(RETURN_REASONS)
            self.review(duty_list, reviewer, t.returned_on, Review.Verdict.RETURNED, reason)
            if ending == "returned" or t.resubmitted_on is None:
                return "returned"
            if not self.happened(t.resubmitted_on):
                return "returned"
            duty_list = self.rework(duty_list, unit, holder, actor, t.resubmitted_on)
        if not self.happened(t.accepted_on):
            return "submitted"
        self.review(duty_list, reviewer, t.accepted_on, Review.Verdict.ACCEPTED)
        if ending == "accepted" or not self.happened(t.published_on):
            return "accepted"
        with self.at(t.published_on):
            services.duty_list_publish(
                actor=actor, duty_list=duty_list, publish_range=DutyList.PublishRange.SUBTREE
            )
        return "published"

    def sign(self, duty_list: DutyList, unit: Unit, holder: Holder, on: date) -> None:
        """The principal signs; a member's list (附件3) and a 纪委's (附件4) also its holder."""
        signers = [holder.answerable]
        if holder.list_type in (ListType.MEMBER, ListType.SUPERVISORY):
            signers = [unit.principal, holder.answerable]
        with self.at(on):
            for person in signers:
                services.duty_list_sign(actor=self.accounts.of(person), duty_list=duty_list)
        duty_list.refresh_from_db()

    def submit(self, duty_list: DutyList, actor: User, on: date) -> None:
        with self.at(on):
            services.duty_list_submit(actor=actor, duty_list=duty_list, score=False)
        duty_list.refresh_from_db()

    def review(
        self, duty_list: DutyList, reviewer: User, on: date, verdict: str, reason: str = ""
    ) -> None:
        with self.at(on):
            services.duty_list_review(
                actor=reviewer, duty_list=duty_list, verdict=verdict, reason=reason
            )
        duty_list.refresh_from_db()

    def rework(
        self, duty_list: DutyList, unit: Unit, holder: Holder, actor: User, on: date
    ) -> DutyList:
        """The returned list's next version: measures made concrete, discussed, signed, sent."""
        with self.at(on):
            fresh = services.duty_list_revise(actor=actor, duty_list=duty_list)
            rows = [
                {
                    "entry": item.entry.ref if item.entry else "",
                    "name": item.name,
                    "task": item.task,
                    "responsible": item.responsible.person_no if item.responsible else "",
                    "department": item.department or "党政办",
                    **{
                        q: f"{getattr(item, q).rstrip('。')}，{self.year}年{3 * n + 3}月底前完成。"
                        for n, q in enumerate(("q1", "q2", "q3", "q4"))
                    },
                }
                for item in fresh.items.select_related("entry", "responsible").order_by("seq")
            ]
            services.duty_items_save(actor=actor, duty_list=fresh, rows=rows)
            services.duty_list_discuss(
                actor=actor,
                duty_list=fresh,
                on=on,
                meeting=MEETINGS.get(unit.org.kind, "领导班子会议"),
                attendees="全体班子成员",
            )
        self.sign(fresh, unit, holder, on)
        self.submit(fresh, actor, on)
        return fresh


def seed_lists(*, root: Org, year: int, rng: Random, today: date | None = None) -> Made:
    """The year's lists for the county's units, schools and demo town, as told by the story."""
    return Teller(root, year, rng, today or timezone.localdate()).run()
