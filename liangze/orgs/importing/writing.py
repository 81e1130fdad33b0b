"""Writing a checked plan in bulk: a number of queries that grows with batches, not rows.

Only called once the whole file is free of problems. Each batch of writes runs
inside `batch(rows)`, which the service makes a short transaction of its own, so
a long file never holds the database's write lock for long (SQLite has one).
Every batch leaves the database a state that checking the same file again turns
into the rest of the plan, which is how an interrupted import is finished.
"""

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import replace
from typing import Any, TypeVar

from django.db.models import Count, Model, OuterRef, Subquery

from liangze.core import bulk
from liangze.orgs.importing.checking import Existing, Plan, Table
from liangze.orgs.importing.records import BodyRecord, OrgRecord, PersonRecord, PositionRecord
from liangze.orgs.models import DisciplineBody, Org, Person, Position
from liangze.orgs.tree import PATH_STEP, next_child_path

BATCH = 500

M = TypeVar("M", bound=Model)
T = TypeVar("T")

# Opens one batch that writes `rows` rows of the file (0 for links and counts).
Batch = Callable[[int], AbstractContextManager[object]]


def _chunks(items: Sequence[T]) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), BATCH):
        yield items[start : start + BATCH]


def _insert(model: type[M], objs: list[M], key_fields: tuple[str, ...], batch: Batch) -> None:
    for chunk in _chunks(objs):
        with batch(len(chunk)):
            model._default_manager.bulk_create(chunk)
            if not all(obj.pk for obj in chunk):
                _read_back_pks(model, chunk, key_fields)


def _read_back_pks(model: type[M], objs: Sequence[M], key_fields: tuple[str, ...]) -> None:
    # Backends without INSERT … RETURNING (MySQL, some domestic databases) leave
    # the pks unset; later sheets need them, so read them back by natural key.
    first = key_fields[0]
    stored = model._default_manager.filter(**{f"{first}__in": {getattr(o, first) for o in objs}})
    pks = {tuple(row[:-1]): row[-1] for row in stored.values_list(*key_fields, "pk")}
    for obj in objs:
        obj.pk = pks[tuple(getattr(obj, f) for f in key_fields)]


def _update(objs: list[M], fields: list[str], batch: Batch) -> None:
    for chunk in _chunks(objs):
        with batch(len(chunk)):
            bulk.update_objects(chunk, fields)


def _relink(
    through: Any,
    owner: str,
    cleared: Iterable[int],
    links: Mapping[int, Iterable[str]],
    org_ids: Mapping[str, int],
    batch: Batch,
) -> None:
    """Replaces the linked orgs of the `cleared` owners and links new owners."""
    for chunk in _chunks(sorted(cleared)):
        with batch(0):
            through.objects.filter(**{f"{owner}__in": chunk}).delete()
    rows = [
        through(**{owner: pk, "org_id": org_ids[code]})
        for pk, codes in links.items()
        for code in codes
    ]
    for chunk in _chunks(rows):
        with batch(0):
            through.objects.bulk_create(chunk)


def _fields_changed(table: Table[Any], *links: str) -> list[tuple[int, Any]]:
    """Updated rows whose own columns changed, leaving aside the `links` sets written apart."""
    return [
        (pk, after)
        for pk, before, after in table.updated
        if replace(before, **{name: getattr(after, name) for name in links}) != after
    ]


def write(plan: Plan, existing: Existing, batch: Batch) -> None:
    org_ids = {no: pk for no, (pk, _) in existing.orgs.items()}
    body_ids = {no: pk for no, (pk, _) in existing.bodies.items()}
    person_ids = {no: pk for no, (pk, _) in existing.people.items()}
    if plan.orgs is not None:
        _write_orgs(plan.orgs, existing.org_paths, org_ids, batch)
    if plan.bodies is not None:
        _write_bodies(plan.bodies, org_ids, body_ids, batch)
    if plan.people is not None:
        _write_people(plan.people, org_ids, person_ids, batch)
    if plan.positions is not None:
        _write_positions(plan.positions, org_ids, body_ids, person_ids, batch)


def _write_orgs(
    table: Table[OrgRecord], stored_paths: dict[str, str], ids: dict[str, int], batch: Batch
) -> None:
    paths = dict(stored_paths)
    last_child: dict[str, str] = {}
    for path in stored_paths.values():
        parent = path[:-PATH_STEP]
        last_child[parent] = max(path, last_child.get(parent, ""))
    by_depth: dict[int, list[tuple[Org, str]]] = {}
    for record in table.created:  # parents come first (checking.creation_order)
        parent_path = paths[record.parent_no] if record.parent_no else ""
        path = next_child_path(parent_path, last_child.get(parent_path))
        last_child[parent_path] = paths[record.org_no] = path
        org = Org(
            org_no=record.org_no,
            name=record.name,
            kind=record.kind,
            level=record.level,
            path=path,
            depth=len(path) // PATH_STEP,
            sort_order=record.sort_order,
        )
        by_depth.setdefault(org.depth, []).append((org, record.parent_no))
    # One batch per depth, so each parent has its pk before its children are inserted.
    for depth in sorted(by_depth):
        level = by_depth[depth]
        for org, parent_no in level:
            org.parent_id = ids[parent_no] if parent_no else None
        _insert(Org, [org for org, _ in level], ("org_no",), batch)
        ids.update((org.org_no, org.pk) for org, _ in level)
    _update(
        [
            Org(pk=pk, name=r.name, kind=r.kind, level=r.level, sort_order=r.sort_order)
            for pk, _, r in table.updated
        ],
        ["name", "kind", "level", "sort_order"],
        batch,
    )


def recount_children(org_nos: Iterable[str]) -> None:
    """Puts right the child counts of these orgs (the parents of new ones), after the batches."""
    # Counted by the database, so a count that had drifted is put right as well.
    count = (
        Org.objects.filter(parent=OuterRef("pk"))
        .order_by()
        .values("parent")
        .annotate(n=Count("pk"))
        .values("n")
    )
    for chunk in _chunks(sorted(set(org_nos))):
        Org.objects.filter(org_no__in=chunk).update(child_count=Subquery(count))


def _write_bodies(
    table: Table[BodyRecord], org_ids: dict[str, int], ids: dict[str, int], batch: Batch
) -> None:
    def body(r: BodyRecord, pk: int | None = None) -> DisciplineBody:
        return DisciplineBody(
            pk=pk, body_no=r.body_no, name=r.name, kind=r.kind, org_id=org_ids[r.org_no]
        )

    created = [body(r) for r in table.created]
    _insert(DisciplineBody, created, ("body_no",), batch)
    ids.update((b.body_no, b.pk) for b in created)
    _update(
        [body(r, pk) for pk, r in _fields_changed(table, "supervised")],
        ["name", "kind", "org"],
        batch,
    )
    relinked = {pk: a.supervised for pk, b, a in table.updated if a.supervised != b.supervised}
    _relink(
        DisciplineBody.supervised_orgs.through,
        "disciplinebody_id",
        relinked,
        {**{ids[r.body_no]: r.supervised for r in table.created}, **relinked},
        org_ids,
        batch,
    )


def _write_people(
    table: Table[PersonRecord], org_ids: dict[str, int], ids: dict[str, int], batch: Batch
) -> None:
    def person(r: PersonRecord, pk: int | None = None) -> Person:
        return Person(
            pk=pk,
            person_no=r.person_no,
            name=r.name,
            gender=r.gender,
            is_party_member=r.is_party_member,
            rank=r.rank,
            org_id=org_ids[r.org_no],
            department=r.department,
        )

    created = [person(r) for r in table.created]
    _insert(Person, created, ("person_no",), batch)
    ids.update((p.person_no, p.pk) for p in created)
    _update(
        [person(r, pk) for pk, _, r in table.updated],
        ["name", "gender", "is_party_member", "rank", "org", "department"],
        batch,
    )


def _write_positions(
    table: Table[PositionRecord],
    org_ids: dict[str, int],
    body_ids: dict[str, int],
    person_ids: dict[str, int],
    batch: Batch,
) -> None:
    def position(r: PositionRecord, pk: int | None = None) -> Position:
        assert r.start_date is not None  # checked: a row without one is a problem
        return Position(
            pk=pk,
            person_id=person_ids[r.person_no],
            org_id=org_ids[r.org_no],
            kind=r.kind,
            title=r.title,
            discipline_body_id=body_ids[r.body_no] if r.body_no else None,
            portfolio=r.portfolio,
            start_date=r.start_date,
            end_date=r.end_date,
        )

    created = [position(r) for r in table.created]
    _insert(Position, created, ("person_id", "org_id", "kind", "start_date"), batch)
    _update(
        [position(r, pk) for pk, r in _fields_changed(table, "portfolio_units", "liaisons")],
        ["title", "discipline_body", "portfolio", "end_date"],
        batch,
    )
    for through, links in (
        (Position.portfolio_orgs.through, "portfolio_units"),
        (Position.liaison_orgs.through, "liaisons"),
    ):
        relinked = {
            pk: getattr(a, links)
            for pk, b, a in table.updated
            if getattr(a, links) != getattr(b, links)
        }
        new = {p.pk: getattr(r, links) for p, r in zip(created, table.created, strict=True)}
        _relink(through, "position_id", relinked, {**new, **relinked}, org_ids, batch)
