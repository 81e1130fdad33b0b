"""三书 for the demo county, in every state (run after seed_demo_lists).

Everything goes through the real services as the operator (actor None), so
numbers, Word files and digests are made exactly as for real notices. Works
with or without ledger demo data: a 督办书 comes from a 督办书草稿 reminder when
the escalation job has raised one, else from the units with the most overdue cells.
"""

from collections import Counter
from datetime import date

from django.db.models import Q

from liangze.accounts.models import User
from liangze.duties.models import DutyList, ListType
from liangze.notices import queries, services, sources
from liangze.notices.models import Notice
from liangze.notices.sources import Issuer
from liangze.orgs.models import DisciplineBody, Org, OrgKind, Person, PositionKind
from liangze.supervision.models import Reminder

# The demo's township login; its unit is preferred so that the demo accounts see the notices.
TOWN_LOGIN = "town_sec"
TOWN_MEMBER_LOGIN = "town_member"
TASKS = 6  # collective-list tasks given to lead units: enough to show the grouping
# A township's duties are led by its own organs (机关党支部), never by a village's,
# a community's or a company's branch: those assist at most.
ORGAN = "机关"


def _units(root: Org, year: int) -> list[Org]:
    """Units directly under the county whose collective list is settled, the demo town first."""
    settled = DutyList.objects.filter(
        org__parent=root, year=year, list_type=ListType.COLLECTIVE, status__in=sources.SETTLED
    ).values("org_id")
    units = list(
        Org.objects.filter(pk__in=settled).exclude(kind=OrgKind.GOVERNMENT).order_by("path")
    )
    town = User.objects.filter(username=TOWN_LOGIN).values_list("person__org_id", flat=True)
    first = next(iter(town), None)
    return sorted(units, key=lambda o: (o.pk != first, o.path))


def _principal(org: Org, on: date) -> Person | None:
    team = sources.team_positions(org, on)
    kinds = (PositionKind.PRINCIPAL, PositionKind.BRANCH_SECRETARY)
    return next((p.person for p in team if p.kind in kinds), None)


def seed_notices(*, root: Org, year: int, on: date) -> Counter[str]:
    made: Counter[str] = Counter()
    units = _units(root, year)
    if units:
        _duty_and_task_notices(units[0], year, on, made)
    _orders(root, year, on, made)
    return made


def _duty_and_task_notices(unit: Org, year: int, on: date, made: Counter[str]) -> None:
    member = User.objects.filter(username=TOWN_MEMBER_LOGIN).values_list("person_id", flat=True)
    waiting = set(member)
    duty = services.duty_notices_generate(actor=None, org=unit, year=year).created
    for n, notice in enumerate(duty):
        notice = services.notice_issue(actor=None, notice=notice)
        made["告知书已发出"] += 1
        # The demo member still has theirs to sign for; so does every third one.
        if notice.recipient_person_id in waiting or n % 3 == 2:
            continue
        services.notice_acknowledge(actor=None, notice=notice, paper_signer=notice.recipient_person)
        made["告知书已签收"] += 1
    collective = sources.collective_list(unit, year)
    below = list(sources.assignable_orgs(unit))
    leads = [o for o in below if ORGAN in o.name]
    if collective is None or not leads:
        return
    others = [o for o in below if o not in leads]
    for n, item in enumerate(collective.items.order_by("seq")[:TASKS]):
        lead = leads[n % len(leads)]
        helpers = [o for o in (leads + others)[n + 1 : n + 3] if o.pk != lead.pk]
        services.task_assign(
            actor=None,
            item=item,
            lead_org=lead,
            assisting_orgs=helpers,
            deadline=date(year, 3 * (n % 4) + 3, 28),
        )
    tasks = services.task_notices_generate(actor=None, org=unit, year=year).created
    for n, notice in enumerate(tasks):
        notice = services.notice_issue(actor=None, notice=notice)
        made["通知书已发出"] += 1
        principal = _principal(notice.recipient_org, on) if notice.recipient_org else None
        if n % 2 == 0 and principal is not None:
            services.notice_acknowledge(actor=None, notice=notice, paper_signer=principal)
            made["通知书已签收"] += 1


def _orders(root: Org, year: int, on: date, made: Counter[str]) -> None:
    body = (
        DisciplineBody.objects.filter(org=root, kind=DisciplineBody.Kind.COMMISSION)
        .select_related("org")
        .first()
    )
    if body is None:
        return
    issuer = Issuer(body.org, body)
    reminder = (
        Reminder.objects.filter(
            Q(org__path__startswith=root.path),
            step=Reminder.Step.SUPERVISION_ORDER_DRAFT,
            recipient_body=body,
            notices__isnull=True,
        )
        .order_by("raised_on")
        .first()
    )
    if reminder is not None:
        services.order_from_reminder(actor=None, reminder=reminder)
        made["督办书草稿（来自督促提醒）"] += 1
    report = queries.poor_progress(issuer, year, queries.POOR_PROGRESS_CELLS, on)
    if report.people:
        worst = report.people[0]
        notice = services.order_draft(
            actor=None, issuer=issuer, year=year, recipient_person=worst.person
        )
        services.notice_issue(actor=None, notice=notice)
        made["督办书已发出"] += 1
    if reminder is None and report.units:
        services.order_draft(
            actor=None, issuer=issuer, year=year, recipient_org=report.units[0].org
        )
        made["督办书草稿"] += 1


def already_seeded(year: int) -> bool:
    return Notice.objects.filter(year=year).exists()
