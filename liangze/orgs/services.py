"""Writes of organizations, discipline bodies, people and positions.

`actor=None` means a command run by the operator on the server (import,
demo data); every other caller must be the system administrator.
"""

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import F

from liangze import access
from liangze.accounts.models import User
from liangze.core import audit
from liangze.orgs import changes
from liangze.orgs.models import DisciplineBody, Org, Person, Position
from liangze.orgs.tree import next_child_path


def _require_system(actor: User | None) -> None:
    if actor is not None:
        access.require_role(actor, access.SYSTEM)


def _record_create(actor: User | None, obj: Any) -> None:
    audit.record(actor=actor, actor_name="" if actor else "命令行", verb=audit.Verb.CREATE, obj=obj)


@transaction.atomic
def org_create(
    *,
    actor: User | None,
    parent: Org | None,
    org_no: str,
    name: str,
    kind: str,
    level: str,
    sort_order: int = 0,
) -> Org:
    """A new org under `parent` (or a new root), at the end of its siblings."""
    _require_system(actor)
    siblings = Org.objects.filter(parent=parent) if parent else Org.objects.filter(depth=1)
    last = siblings.order_by("-path").values_list("path", flat=True).first()
    org = Org(
        parent=parent,
        org_no=org_no,
        name=name,
        kind=kind,
        level=level,
        path=next_child_path(parent.path if parent else "", last),
        depth=(parent.depth + 1) if parent else 1,
        sort_order=sort_order,
    )
    org.full_clean()
    org.save()
    if parent:
        Org.objects.filter(pk=parent.pk).update(child_count=F("child_count") + 1)
        parent.child_count += 1
    _record_create(actor, org)
    changes.orgs_changed({org.pk})
    return org


@transaction.atomic
def discipline_body_create(
    *,
    actor: User | None,
    org: Org,
    body_no: str,
    name: str,
    kind: str,
    supervises: Iterable[Org] = (),
) -> DisciplineBody:
    _require_system(actor)
    body = DisciplineBody(org=org, body_no=body_no, name=name, kind=kind)
    body.full_clean()
    body.save()
    body.supervised_orgs.set(list(supervises))
    _record_create(actor, body)
    changes.orgs_changed({org.pk})
    return body


@transaction.atomic
def person_create(
    *, actor: User | None, org: Org, person_no: str, name: str, **fields: Any
) -> Person:
    _require_system(actor)
    person = Person(org=org, person_no=person_no, name=name, **fields)
    person.full_clean()
    person.save()
    _record_create(actor, person)
    return person


@transaction.atomic
def position_create(
    *,
    actor: User | None,
    person: Person,
    org: Org,
    kind: str,
    title: str,
    start_date: date,
    end_date: date | None = None,
    discipline_body: DisciplineBody | None = None,
    portfolio: str = "",
    portfolio_orgs: Iterable[Org] = (),
    liaison_orgs: Iterable[Org] = (),
) -> Position:
    _require_system(actor)
    position = Position(
        person=person,
        org=org,
        kind=kind,
        title=title,
        start_date=start_date,
        end_date=end_date,
        discipline_body=discipline_body,
        portfolio=portfolio,
    )
    position.full_clean()
    position.save()
    position.portfolio_orgs.set(list(portfolio_orgs))
    position.liaison_orgs.set(list(liaison_orgs))
    _record_create(actor, position)
    changes.orgs_changed({org.pk})
    return position
