"""Reads of inspections, draws, targets, findings, 逐项过堂 and flags, scoped by access."""

from collections import Counter
from dataclasses import dataclass, field
from itertools import groupby
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Case, Count, F, Q, QuerySet, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from liangze import access
from liangze.accounts.models import User
from liangze.duties.models import DutyItem, DutyList
from liangze.orgs import queries as org_queries
from liangze.orgs.models import DisciplineBody, LeadingGroup, Org, OrgKind, Person, Position
from liangze.supervision import policy
from liangze.supervision.inspections import sampling
from liangze.supervision.models import (
    OPEN_RECTIFICATION,
    Finding,
    Inspection,
    InspectionTarget,
    Rectification,
    Sample,
    UnitFlag,
    Verdict,
)

PICKER_LIMIT = 300
R = Rectification.Status
T = InspectionTarget.Status


# Inspections ---------------------------------------------------------------------


def inspections_visible_to(user: User) -> QuerySet[Inspection]:
    return Inspection.objects.filter(access.visible_q(user, Inspection))


def inspection_search(
    user: User, *, text: str = "", kind: str = "", status: str = "", year: int | None = None
) -> QuerySet[Inspection]:
    """A page of any size is one query: counts come from grouped joins, not per row."""
    found = inspections_visible_to(user)
    if text:
        found = found.filter(Q(title__icontains=text) | Q(org__name__icontains=text))
    if kind:
        found = found.filter(kind=kind)
    if status:
        found = found.filter(status=status)
    if year:
        found = found.filter(year=year)
    return (
        found.select_related("org", "organiser_body", "organiser_org")
        .annotate(
            target_count=Count("targets", filter=~Q(targets__status=T.REMOVED), distinct=True),
            checked_count=Count("targets", filter=Q(targets__status=T.CHECKED), distinct=True),
            finding_count=Count("findings", distinct=True),
        )
        .order_by("-year", "-planned_start", "-pk")
    )


def own_unit_targets(user: User, limit: int = 20) -> list[InspectionTarget]:
    """Inspections of the user's own unit or the units they lead, once started (their side)."""
    if access.role(user):
        return []
    scope = access.scope_for(user)
    units = {*scope.leader_of, *([scope.own_org_id] if scope.own_org_id else [])}
    if not units:
        return []
    found = InspectionTarget.objects.filter(
        access.visible_q(user, InspectionTarget),
        org_id__in=units,
        inspection__status__in=policy.STARTED,
    )
    return list(
        found.exclude(status=T.REMOVED)
        .select_related("org", "inspection")
        .order_by("-inspection__year", "-inspection__planned_start", "org__path")[:limit]
    )


def get_inspection_for_user(user: User, code: Any, action: str = access.VIEW) -> Inspection:
    related = Inspection.objects.select_related(
        "org", "organiser_body__org", "organiser_org", "created_by"
    )
    return access.get_for_user(user, related, action, code=code)


@dataclass
class TargetRow:
    target: InspectionTarget
    findings: int = 0
    open_rectifications: int = 0
    verdicts: int = 0


@dataclass
class InspectionPage:
    inspection: Inspection
    rows: list[TargetRow]
    removed: list[InspectionTarget]
    sample: Sample | None
    # Every finding, unevaluated: the page shows one page of them and counts them all
    # (the paginator's COUNT), so the figure never stops at a page's or a cap's length.
    findings: QuerySet[Finding]
    inspectors: list[Person]
    rectifications: Counter[str] = field(default_factory=Counter)
    may_manage: bool = False
    may_inspect: bool = False
    issuing_group: LeadingGroup | None = None

    @property
    def checked(self) -> int:
        return sum(1 for r in self.rows if r.target.status == T.CHECKED)

    @property
    def percent(self) -> int:
        return round(100 * self.checked / len(self.rows)) if self.rows else 0

    @property
    def open_rectifications(self) -> int:
        return sum(n for s, n in self.rectifications.items() if s != R.VERIFIED)


def inspection_page(user: User | None, inspection: Inspection) -> InspectionPage:
    targets = list(inspection.targets.select_related("org").order_by("org__path"))
    findings_by = Counter(
        dict(
            inspection.findings.values("target_id")
            .annotate(n=Count("pk"))
            .values_list("target_id", "n")
        )
    )
    open_by = Counter(
        dict(
            Rectification.objects.filter(
                finding__inspection=inspection, status__in=OPEN_RECTIFICATION
            )
            .values("finding__target_id")
            .annotate(n=Count("pk"))
            .values_list("finding__target_id", "n")
        )
    )
    verdicts_by = Counter(
        dict(
            # As on the unit's own counter: verdicts on items still on review, on its own lists.
            inspection.verdicts.filter(
                on_review(inspection.year, "duty_item__"), duty_item__duty_list__org=F("org")
            )
            .values("org_id")
            .annotate(n=Count("pk"))
            .values_list("org_id", "n")
        )
    )
    rows = [
        TargetRow(t, findings_by[t.pk], open_by[t.pk], verdicts_by[t.org_id])
        for t in targets
        if t.status != T.REMOVED
    ]
    statuses = Counter(
        dict(
            Rectification.objects.filter(finding__inspection=inspection)
            .values("status")
            .annotate(n=Count("pk"))
            .values_list("status", "n")
        )
    )
    # "pk" last: a stable order for paging when two findings share a moment.
    findings = (
        inspection.findings.select_related("org", "target", "duty_item", "rectification")
        .prefetch_related("sanctions")
        .order_by("org__path", "recorded_at", "pk")
    )
    return InspectionPage(
        inspection=inspection,
        rows=rows,
        removed=[t for t in targets if t.status == T.REMOVED],
        sample=Sample.objects.filter(inspection=inspection).first(),
        findings=findings,
        inspectors=list(inspection.inspectors.select_related("org").order_by("name")),
        rectifications=statuses,
        may_manage=policy.may_manage(user, inspection),
        may_inspect=policy.may_inspect(user, inspection),
        issuing_group=org_queries.issuing_group(inspection),
    )


def draw_labels(sample: Sample) -> dict[str, str]:
    """Organization number → name for a recorded draw (a unit gone since shows its number)."""
    codes = set(sample.population) | set(sample.result)
    return dict(Org.objects.filter(org_no__in=codes).values_list("org_no", "name"))


# The plan form --------------------------------------------------------------------


@dataclass(frozen=True)
class Organiser:
    key: str  # "b<id>" for a discipline body, "o<id>" for an org, "g<id>" for a group's office
    label: str
    body: DisciplineBody | None
    org: Org | None
    group: LeadingGroup | None = None  # planned in this group's name, by its office


def organisers_for(user: User) -> list[Organiser]:
    """Who the user may plan inspections for: the bodies they work in, the orgs they lead,
    and the leading groups whose office they work in (the group's body or org organises)."""
    if access.role(user):
        return []
    scope = access.scope_for(user)
    found = [
        Organiser(f"b{b.pk}", b.name, b, None)
        for b in DisciplineBody.objects.filter(pk__in=scope.bodies).select_related("org")
    ]
    found += [
        Organiser(f"o{o.pk}", o.name, None, o)
        for o in Org.objects.filter(pk__in=scope.leader_of).order_by("path")
    ]
    groups = access.groups_user_acts_for(user).select_related("org", "body").order_by("pk")
    found += [
        Organiser(f"g{g.pk}", g.office_name, g.body, None if g.body else g.org, g) for g in groups
    ]
    return found


def scope_choices(organisers: list[Organiser]) -> QuerySet[Org]:
    """Subtrees an inspection may cover: each organiser's own ground and the level below it."""
    roots: list[Org] = []
    for organiser in organisers:
        if organiser.body is not None:
            roots += list(organiser.body.supervised_orgs.all())
        elif organiser.org is not None:
            roots.append(organiser.org)
    q = Q(pk__in=[r.pk for r in roots]) | Q(parent_id__in=[r.pk for r in roots])
    return Org.objects.filter(q, is_active=True).order_by("path")


def inspector_choices(
    organisers: list[Organiser], include: list[Person] | None = None
) -> QuerySet[Person]:
    """The organisers' own people: the body's staff and the people of its org, or the org's."""
    body_ids = [o.body.pk for o in organisers if o.body is not None]
    org_ids = [o.body.org_id for o in organisers if o.body is not None]
    org_ids += [o.org.pk for o in organisers if o.org is not None]
    on = timezone.localdate()
    staff = Position.objects.filter(discipline_body_id__in=body_ids, start_date__lte=on).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=on)
    )
    q = Q(pk__in=staff.values("person_id")) | Q(org_id__in=org_ids, is_active=True)
    if include:
        q |= Q(pk__in=[p.pk for p in include])
    # The discipline staff first: they are who usually inspects.
    first = Case(When(pk__in=staff.values("person_id"), then=Value(0)), default=Value(1))
    return (
        Person.objects.filter(q)
        .select_related("org")
        .annotate(staff_first=first)
        .order_by("staff_first", "org__path", "name")
    )


def find_org(within: QuerySet[Org], text: str, field: str = "org") -> Org:
    """One org among `within`, by its number or its exact name; a clear error otherwise."""
    text = text.strip()
    if not text:
        raise ValidationError({field: _("请填写单位名称或组织编号。")})
    matches = list(within.filter(Q(org_no=text) | Q(name=text))[:2])
    if not matches:
        matches = list(within.filter(name__icontains=text)[:2])
    if len(matches) != 1:
        message = (
            _("找不到单位“%(text)s”，或不在可选范围内。")
            if not matches
            else _("“%(text)s”对应多个单位，请填写组织编号。")
        )
        raise ValidationError({field: message % {"text": text}})
    return matches[0]


def addable_orgs(inspection: Inspection) -> QuerySet[Org]:
    return Org.objects.filter(inspection.org.subtree_q(), is_active=True)


# Targets, findings, 逐项过堂 ---------------------------------------------------------


def get_target_for_user(user: User, code: Any, action: str = access.VIEW) -> InspectionTarget:
    related = InspectionTarget.objects.select_related(
        "org", "inspection__org", "inspection__organiser_body__org", "inspection__organiser_org"
    )
    return access.get_for_user(user, related, action, code=code)


def target_findings(target: InspectionTarget) -> list[Finding]:
    return list(
        target.findings.select_related("duty_item__duty_list", "rectification", "recorded_by")
        .prefetch_related("sanctions")
        .order_by("recorded_at")
    )


@dataclass
class ReviewRow:
    item: DutyItem
    verdict: Verdict | None


@dataclass
class ReviewSection:
    duty_list: DutyList
    rows: list[ReviewRow]


@dataclass
class Review:
    sections: list[ReviewSection]
    total: int
    done: int
    tally: Counter[str]

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0


def on_review(year: int, item: str = "") -> Q:
    """The items on review in a `year` inspection: those of the lists in force.

    `item` is the path to the item ("" on DutyItem, "duty_item__" on Verdict). Every
    figure of 逐项过堂 — the walk, the counter's total and its done — filters by this
    one condition, so done is never more than total.

    A verdict on an item of a superseded version stays (the audit trail and the export
    keep it) but counts nowhere, and the revised version's items are judged afresh:
    revising copies the items into new rows that the unit may then change, so an old
    verdict judged text that may no longer stand. Carrying it over would need a rule for
    when a copied item is "the same" (entry and seq? its task? its measures?) that no
    reviewer could see on the page; judging again is the simpler rule that is always true.
    A list under revision stays on review in the version in force until the revision is
    published, as the ledger and coverage read it.
    """
    return Q(**{f"{item}duty_list__year": year, f"{item}duty_list__in_force": True})


def unit_items(org: Org, year: int) -> QuerySet[DutyItem]:
    """Every item of every list in force the unit holds for `year` (逐项过堂's walk)."""
    return (
        DutyItem.objects.filter(on_review(year), duty_list__org=org)
        .select_related("duty_list", "duty_list__person", "responsible")
        .order_by("duty_list__list_type", "duty_list__person__name", "duty_list_id", "seq")
    )


def review(target: InspectionTarget) -> Review:
    """逐项过堂: every item of the unit's current lists with its verdict, in three queries."""
    items = list(unit_items(target.org, target.inspection.year))
    verdicts = {
        v.duty_item_id: v
        for v in Verdict.objects.filter(
            inspection_id=target.inspection_id, duty_item__in=[i.pk for i in items]
        )
    }
    sections = [
        ReviewSection(duty_list, [ReviewRow(i, verdicts.get(i.pk)) for i in group])
        for duty_list, group in groupby(items, key=lambda i: i.duty_list)
    ]
    tally = Counter(v.value for v in verdicts.values())
    return Review(sections, len(items), len(verdicts), tally)


def review_progress(target: InspectionTarget) -> Review:
    """The counter alone (after one verdict is saved): two counts over the same items.

    Done counts only verdicts on items now on review (see `on_review`): counting every
    verdict of the unit showed 27/22 once a judged list was revised.
    """
    items = unit_items(target.org, target.inspection.year)
    total = items.count()
    tally = Counter(
        dict(
            Verdict.objects.filter(
                inspection_id=target.inspection_id, duty_item__in=items.values("pk")
            )
            .values("value")
            .annotate(n=Count("pk"))
            .values_list("value", "n")
        )
    )
    return Review([], total, sum(tally.values()), tally)


def get_finding_for_user(user: User, code: Any, action: str = access.VIEW) -> Finding:
    related = Finding.objects.select_related(
        "org",
        "target",
        "inspection__org",
        "inspection__organiser_body__org",
        "inspection__organiser_org",
    )
    return access.get_for_user(user, related, action, code=code)


# Export of one inspection -------------------------------------------------------------

TARGET_HEADERS = (
    gettext_lazy("组织编号"),
    gettext_lazy("被检查单位"),
    gettext_lazy("列入原因"),
    gettext_lazy("必查依据"),
    gettext_lazy("状态"),
    gettext_lazy("检查意见"),
    gettext_lazy("发现问题数"),
)
FINDING_HEADERS = (
    gettext_lazy("被检查单位"),
    gettext_lazy("清单事项"),
    gettext_lazy("问题描述"),
    gettext_lazy("严重程度"),
    gettext_lazy("走过场"),
    gettext_lazy("处理"),
    gettext_lazy("整改期限"),
    gettext_lazy("整改状态"),
)
VERDICT_HEADERS = (
    gettext_lazy("单位"),
    gettext_lazy("清单"),
    gettext_lazy("序号"),
    gettext_lazy("清单事项"),
    gettext_lazy("结论"),
    gettext_lazy("说明"),
)


def export_sheets(inspection: Inspection) -> list[tuple[str, list[str], list[tuple[Any, ...]]]]:
    page = inspection_page(None, inspection)
    targets = [
        (
            r.target.org.org_no,
            r.target.org.name,
            r.target.get_why_display(),
            r.target.reasons,
            r.target.get_status_display(),
            r.target.conclusion,
            r.findings,
        )
        for r in page.rows
    ]
    findings_qs = (
        inspection.findings.select_related("org", "duty_item", "rectification")
        .prefetch_related("sanctions")
        .order_by("org__path", "recorded_at")
    )
    findings = []
    for f in findings_qs:
        rectification = getattr(f, "rectification", None)
        findings.append(
            (
                f.org.name,
                str(f.duty_item) if f.duty_item else "",
                f.description,
                f.get_severity_display(),
                _("是") if f.is_perfunctory else "",
                "、".join(str(s.get_kind_display()) for s in f.sanctions.all()),
                rectification.deadline if rectification else None,
                rectification.get_status_display() if rectification else _("未下达整改"),
            )
        )
    verdicts = [
        (
            v.org.name,
            str(v.duty_item.duty_list.get_list_type_display()),
            v.duty_item.seq,
            v.duty_item.name,
            v.get_value_display(),
            v.note,
        )
        for v in inspection.verdicts.select_related("org", "duty_item__duty_list").order_by(
            "org__path", "duty_item__duty_list_id", "duty_item__seq"
        )
    ]
    return [
        (_("被检查单位"), [str(h) for h in TARGET_HEADERS], targets),
        (_("发现问题"), [str(h) for h in FINDING_HEADERS], findings),
        (_("逐项过堂"), [str(h) for h in VERDICT_HEADERS], verdicts),
    ]


# Unit flags ---------------------------------------------------------------------------


def flag_search(
    user: User, *, year: int | None = None, reason: str = "", text: str = ""
) -> QuerySet[UnitFlag]:
    found = UnitFlag.objects.filter(access.visible_q(user, UnitFlag))
    if year:
        found = found.filter(year=year)
    if reason:
        found = found.filter(reason=reason)
    if text:
        found = found.filter(Q(org__name__icontains=text) | Q(note__icontains=text))
    return found.select_related("org", "set_by").order_by("-year", "org__path", "reason")


def flaggable_orgs(user: User) -> QuerySet[Org]:
    """Units the user may flag: those their discipline body supervises."""
    if access.role(user):
        return Org.objects.none()
    scope = access.scope_for(user)
    if not scope.body_paths:
        return Org.objects.none()
    return Org.objects.filter(scope.supervises_q(), is_active=True).order_by("path")


def get_flag_for_user(user: User, code: Any, action: str = access.VIEW) -> UnitFlag:
    return access.get_for_user(user, UnitFlag.objects.select_related("org"), action, code=code)


POPULATION_RULES = {
    "children": gettext_lazy("检查范围的直接下级单位"),
    "subtree": gettext_lazy("检查范围内的全部下级党组织"),
}


def population_for(inspection: Inspection, rule: str) -> list[str]:
    """The organization numbers a draw is made from, by `rule`, sorted.

    Active party organizations below the scope (not the scope's own org),
    less the units already on the list as 必查 or 指定: they are checked anyway.
    """
    if rule not in POPULATION_RULES:
        raise ValidationError({"rule": _("未知的抽取总体口径。")})
    orgs = Org.objects.filter(is_active=True).exclude(kind=OrgKind.GOVERNMENT)
    if rule == "children":
        orgs = orgs.filter(parent=inspection.org)
    else:
        orgs = orgs.filter(inspection.org.subtree_q()).exclude(pk=inspection.org.pk)
    listed = inspection.targets.exclude(status=InspectionTarget.Status.REMOVED).exclude(
        why=InspectionTarget.Why.DRAWN
    )
    orgs = orgs.exclude(pk__in=listed.values("org_id"))
    return sampling.normalise(orgs.values_list("org_no", flat=True))


def verification(sample: Sample) -> sampling.Verification:
    """Re-run the recorded draw; also say whether the population today is still the recorded one."""
    current = population_for(sample.inspection, sample.population_rule)
    # Drawn units stay in population_for (only 必查 and 指定 units leave it), so
    # today's population is comparable with the recorded one after the draw.
    return sampling.verify(
        population=sample.population,
        digest=sample.population_digest,
        seed=sample.seed,
        size=sample.size,
        algorithm=sample.algorithm,
        result=sample.result,
        current_population=current,
    )
