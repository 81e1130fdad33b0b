"""Checking the whole file against itself and the database, before anything is written.

The database is read once per table (`Existing.load`); every check after that
is a dictionary lookup, so a file of 50,000 rows costs the same few queries
as a file of ten.
"""

from collections.abc import Callable, Hashable, Iterable
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from django.utils.translation import gettext as _

from liangze.orgs.importing.layout import BODIES, ORGS, PEOPLE, POSITIONS, SHEETS, Sheet
from liangze.orgs.importing.reading import Cells, Problem, Rows
from liangze.orgs.importing.records import (
    BodyRecord,
    OrgRecord,
    PersonRecord,
    PositionKey,
    PositionRecord,
    body_record,
    org_record,
    person_record,
    position_record,
)
from liangze.orgs.models import DisciplineBody, Org, Person, Position

K = TypeVar("K", bound=Hashable)
R = TypeVar("R", OrgRecord, BodyRecord, PersonRecord, PositionRecord)


def _links(through: Any, owner: str) -> dict[int, frozenset[str]]:
    """Owner pk → the codes of its linked orgs, from a many-to-many table in one query."""
    found: dict[int, set[str]] = {}
    for owner_id, code in through.objects.values_list(owner, "org__org_no"):
        found.setdefault(owner_id, set()).add(code)
    return {owner_id: frozenset(codes) for owner_id, codes in found.items()}


@dataclass
class Existing:
    """The rows already stored, keyed like the file: code → (pk, record)."""

    orgs: dict[str, tuple[int, OrgRecord]] = field(default_factory=dict)
    org_paths: dict[str, str] = field(default_factory=dict)
    bodies: dict[str, tuple[int, BodyRecord]] = field(default_factory=dict)
    people: dict[str, tuple[int, PersonRecord]] = field(default_factory=dict)
    positions: dict[PositionKey, tuple[int, PositionRecord]] = field(default_factory=dict)

    @classmethod
    def load(cls, present: Iterable[str]) -> "Existing":
        """Only the tables the file's sheets need: one query each, plus one per link table."""
        sheets = set(present)
        existing = cls()
        existing._load_orgs()
        if sheets & {BODIES.name, POSITIONS.name}:
            existing._load_bodies(with_links=BODIES.name in sheets)
        if sheets & {PEOPLE.name, POSITIONS.name}:
            existing._load_people()
        if POSITIONS.name in sheets:
            existing._load_positions()
        return existing

    def _load_orgs(self) -> None:
        fields = ("name", "kind", "level", "parent__org_no", "sort_order", "path")
        for pk, no, name, kind, level, parent_no, order, path in Org.objects.values_list(
            "pk", "org_no", *fields
        ):
            self.orgs[no] = (pk, OrgRecord(no, name, kind, level, parent_no or "", order))
            self.org_paths[no] = path

    def _load_bodies(self, *, with_links: bool) -> None:
        # Positions only need to know which bodies exist, not what they supervise.
        through = DisciplineBody.supervised_orgs.through
        supervised = _links(through, "disciplinebody_id") if with_links else {}
        fields = ("name", "kind", "org__org_no")
        for pk, no, name, kind, org_no in DisciplineBody.objects.values_list(
            "pk", "body_no", *fields
        ):
            record = BodyRecord(no, name, kind, org_no, supervised.get(pk, frozenset()))
            self.bodies[no] = (pk, record)

    def _load_people(self) -> None:
        fields = ("name", "gender", "is_party_member", "rank", "org__org_no", "department")
        for pk, no, name, gender, party, rank, org_no, department in Person.objects.values_list(
            "pk", "person_no", *fields
        ):
            record = PersonRecord(no, name, gender, party, rank, org_no, department)
            self.people[no] = (pk, record)

    def _load_positions(self) -> None:
        portfolio_units = _links(Position.portfolio_orgs.through, "position_id")
        liaisons = _links(Position.liaison_orgs.through, "position_id")
        fields = ("person__person_no", "org__org_no", "kind", "start_date", "title")
        more = ("discipline_body__body_no", "portfolio", "end_date")
        for (
            pk,
            person_no,
            org_no,
            kind,
            start,
            title,
            body_no,
            portfolio,
            end,
        ) in Position.objects.values_list("pk", *fields, *more):
            record = PositionRecord(
                person_no,
                org_no,
                kind,
                start,
                title,
                body_no or "",
                portfolio,
                portfolio_units.get(pk, frozenset()),
                liaisons.get(pk, frozenset()),
                end,
            )
            self.positions[record.key] = (pk, record)


@dataclass
class Table(Generic[R]):
    """What importing one sheet will do."""

    created: list[R] = field(default_factory=list)
    updated: list[tuple[int, R, R]] = field(default_factory=list)  # pk, before, after
    unchanged: int = 0


@dataclass
class Plan:
    orgs: Table[OrgRecord] | None = None
    bodies: Table[BodyRecord] | None = None
    people: Table[PersonRecord] | None = None
    positions: Table[PositionRecord] | None = None


class _Checker:
    def __init__(self, rows: Rows, existing: Existing) -> None:
        self.rows = rows
        self.existing = existing
        self.problems = rows.problems

    def problem(self, sheet: Sheet, record: R, column: str, reason: str) -> None:
        self.problems.append(Problem(sheet.name, record.row, column, reason))

    def parse(self, sheet: Sheet, parse: Callable[[Cells], R]) -> list[R] | None:
        cells = self.rows.of(sheet)
        return None if cells is None else [parse(c) for c in cells]

    def first_of_each(
        self, sheet: Sheet, records: list[R] | None, key: Callable[[R], K], column: str
    ) -> dict[K, R] | None:
        """The sheet's records by key; a repeated key is a problem on the later row."""
        if records is None:
            return None
        found: dict[K, R] = {}
        for record in records:
            k = key(record)
            if not all(k if isinstance(k, tuple) else (k,)):
                continue  # a missing part of the key is reported already
            if k in found:
                reason = _("与第 %(row)d 行重复") % {"row": found[k].row}
                self.problem(sheet, record, column, reason)
            else:
                found[k] = record
        return found

    def references(
        self,
        sheet: Sheet,
        records: list[R] | None,
        column: str,
        codes: Callable[[R], Iterable[str]],
        known: AbstractSet[str],
        what: str,
    ) -> None:
        for record in records or ():
            for code in sorted(codes(record)):
                if code and code not in known:
                    reason = _("找不到编号为 %(code)s 的%(what)s") % {"code": code, "what": what}
                    self.problem(sheet, record, column, reason)

    def check_parents(self, orgs: dict[str, OrgRecord]) -> None:
        """Existing orgs keep their parent; new orgs must not form a loop."""
        for record in orgs.values():
            stored = self.existing.orgs.get(record.org_no)
            if stored and stored[1].parent_no != record.parent_no:
                reason = _(
                    "组织 %(code)s 已存在，其上级组织编号为 %(parent)s；"
                    "导入不能调整已有组织的上级（不支持移动子树）"
                ) % {"code": record.org_no, "parent": stored[1].parent_no or _("空（顶级）")}
                self.problem(ORGS, record, "上级组织编号", reason)
        new = {no: r for no, r in orgs.items() if no not in self.existing.orgs}
        for record in in_cycle(new):
            self.problem(ORGS, record, "上级组织编号", _("上级组织形成循环"))


def in_cycle(new: dict[str, OrgRecord]) -> list[OrgRecord]:
    """The new orgs whose parent chain comes back to itself."""
    done: set[str] = set()
    looped: list[OrgRecord] = []
    for start in new:
        chain: list[str] = []
        code = start
        while code in new and code not in done and code not in chain:
            chain.append(code)
            code = new[code].parent_no
        if code in chain:
            looped += [new[c] for c in chain[chain.index(code) :]]
        done.update(chain)
    return looped


def creation_order(new: Iterable[OrgRecord]) -> list[OrgRecord]:
    """New orgs with each parent before its children, whatever the order in the sheet."""
    pending = {r.org_no: r for r in new}
    ordered: list[OrgRecord] = []
    placed: set[str] = set()
    for record in list(pending.values()):
        chain = []
        code = record.org_no
        while code in pending and code not in placed:
            chain.append(pending[code])
            placed.add(code)
            code = pending[code].parent_no
        ordered += reversed(chain)
    return ordered


def _diff(
    found: dict[K, R], stored: dict[K, tuple[int, R]], order: Callable[[list[R]], list[R]] = list
) -> Table[R]:
    table: Table[R] = Table()
    for key, record in found.items():
        before = stored.get(key)
        if before is None:
            table.created.append(record)
        elif before[1] == record:
            table.unchanged += 1
        else:
            table.updated.append((before[0], before[1], record))
    table.created = order(table.created)
    return table


def check(rows: Rows, existing: Existing) -> tuple[Plan, list[Problem]]:
    """The plan, and every problem found in the file; the plan may be written only without any."""
    checker = _Checker(rows, existing)
    org_rows = checker.parse(ORGS, org_record)
    body_rows = checker.parse(BODIES, body_record)
    person_rows = checker.parse(PEOPLE, person_record)
    position_rows = checker.parse(POSITIONS, position_record)
    orgs = checker.first_of_each(ORGS, org_rows, lambda r: r.org_no, "组织编号")
    bodies = checker.first_of_each(BODIES, body_rows, lambda r: r.body_no, "编号")
    people = checker.first_of_each(PEOPLE, person_rows, lambda r: r.person_no, "人员编号")
    positions = checker.first_of_each(POSITIONS, position_rows, lambda r: r.key, "人员编号")

    org = (existing.orgs.keys() | (orgs or {}).keys(), _("组织"))
    body = (existing.bodies.keys() | (bodies or {}).keys(), _("纪检机构"))
    person = (existing.people.keys() | (people or {}).keys(), _("人员"))
    checker.references(ORGS, org_rows, "上级组织编号", lambda r: [r.parent_no], *org)
    checker.references(BODIES, body_rows, "所在组织编号", lambda r: [r.org_no], *org)
    checker.references(BODIES, body_rows, "监督单位编号", lambda r: r.supervised, *org)
    checker.references(PEOPLE, person_rows, "所在单位编号", lambda r: [r.org_no], *org)
    checker.references(POSITIONS, position_rows, "人员编号", lambda r: [r.person_no], *person)
    checker.references(POSITIONS, position_rows, "任职组织编号", lambda r: [r.org_no], *org)
    checker.references(POSITIONS, position_rows, "纪检机构编号", lambda r: [r.body_no], *body)
    checker.references(POSITIONS, position_rows, "分管单位编号", lambda r: r.portfolio_units, *org)
    checker.references(POSITIONS, position_rows, "联系单位编号", lambda r: r.liaisons, *org)
    plan = Plan()
    if orgs is not None:
        checker.check_parents(orgs)
        plan.orgs = _diff(orgs, existing.orgs, creation_order)
    if bodies is not None:
        plan.bodies = _diff(bodies, existing.bodies)
    if people is not None:
        plan.people = _diff(people, existing.people)
    if positions is not None:
        plan.positions = _diff(positions, existing.positions)
    return plan, sorted(checker.problems, key=_problem_order)


def _problem_order(problem: Problem) -> tuple[int, int, int]:
    """In the order a reader meets them: sheet, row, then column as laid out."""
    for number, sheet in enumerate(SHEETS):
        if sheet.name == problem.sheet:
            headers = sheet.headers
            column = headers.index(problem.column) if problem.column in headers else -1
            return number, problem.row, column
    return -1, problem.row, -1
