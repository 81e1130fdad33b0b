"""The rows the demo generator produces, and the builder that hands out their ids.

Rows carry their own ids, so the loader writes them with COPY or executemany
without reading anything back.
"""

import random
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from liangze.demo.orgs.names import Names, Places
from liangze.orgs.models import Gender, Rank
from liangze.orgs.tree import child_path

FIRST_DAY = date(2019, 1, 1)
LAST_DAY = date(2025, 12, 31)


# Rows -----------------------------------------------------------------------
# Each *_COLUMNS tuple lists the model's concrete columns, in the order the
# loader writes them; tests check it against the model so a new column is noticed.


@dataclass(slots=True, eq=False)
class OrgRow:
    id: int
    code: uuid.UUID
    org_no: str
    name: str
    kind: str
    level: str
    parent_id: int | None
    path: str
    depth: int
    sort_order: int
    child_count: int = 0
    is_active: bool = True
    written: bool = False


ORG_COLUMNS = (
    "id",
    "code",
    "org_no",
    "name",
    "kind",
    "level",
    "parent_id",
    "path",
    "depth",
    "child_count",
    "sort_order",
    "is_active",
)


@dataclass(slots=True, eq=False)
class BodyRow:
    id: int
    code: uuid.UUID
    body_no: str
    name: str
    kind: str
    org_id: int
    supervised: list[int]


BODY_COLUMNS = ("id", "code", "body_no", "name", "kind", "org_id")


@dataclass(slots=True, eq=False)
class PersonRow:
    id: int
    code: uuid.UUID
    person_no: str
    name: str
    gender: str
    is_party_member: bool
    rank: str
    org_id: int
    department: str
    is_active: bool = True


PERSON_COLUMNS = (
    "id",
    "code",
    "person_no",
    "name",
    "gender",
    "is_party_member",
    "rank",
    "org_id",
    "department",
    "is_active",
)


@dataclass(slots=True, eq=False)
class PositionRow:
    id: int
    code: uuid.UUID
    person_id: int
    org_id: int
    kind: str
    title: str
    discipline_body_id: int | None
    portfolio: str
    start_date: date
    end_date: date | None
    portfolio_units: list[int]
    liaison: list[int]


POSITION_COLUMNS = (
    "id",
    "code",
    "person_id",
    "org_id",
    "kind",
    "title",
    "discipline_body_id",
    "portfolio",
    "start_date",
    "end_date",
)


@dataclass
class Batch:
    """Rows to write together; every reference points into this batch or an earlier one."""

    orgs: list[OrgRow] = field(default_factory=list)
    bodies: list[BodyRow] = field(default_factory=list)
    people: list[PersonRow] = field(default_factory=list)
    positions: list[PositionRow] = field(default_factory=list)


@dataclass(frozen=True)
class Personas:
    """The people the demo logins are bound to, all in the first county."""

    county: OrgRow
    township: OrgRow
    county_secretary: PersonRow
    town_secretary: PersonRow
    town_member: PersonRow
    discipline_secretary: PersonRow
    discipline_staff: PersonRow
    dispatched_leader: PersonRow
    clerk: PersonRow


# The builder ------------------------------------------------------------------


class Builder:
    """Hands out ids, paths and codes, and collects rows until the loader takes them."""

    def __init__(self, seed: int) -> None:
        # Reproducible on purpose: demo data, never secrets.
        self.rng = random.Random(seed)  # noqa: S311
        self.names = Names(self.rng)
        self.places = Places(self.rng)
        self.personas: Personas | None = None
        self.places_taken: set[str] = set()  # county names, unique across a province
        self._batch = Batch()
        self._last_id = {"org": 0, "body": 0, "person": 0, "position": 0}
        self._roots = 0
        # Orgs already handed to the loader whose child_count grew afterwards.
        self._stale: dict[int, OrgRow] = {}

    def take(self) -> Batch:
        batch, self._batch = self._batch, Batch()
        for org in batch.orgs:
            org.written = True
        return batch

    def take_stale(self) -> list[OrgRow]:
        stale = list(self._stale.values())
        self._stale.clear()
        return stale

    def _id(self, table: str) -> int:
        self._last_id[table] += 1
        return self._last_id[table]

    def code(self) -> uuid.UUID:
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)

    def day(self, first: date = FIRST_DAY, last: date = LAST_DAY) -> date:
        return first + timedelta(days=self.rng.randrange((last - first).days + 1))

    def between(self, bounds: tuple[int, int]) -> int:
        return self.rng.randint(*bounds)

    def org(self, parent: OrgRow | None, name: str, kind: str, level: str) -> OrgRow:
        if parent is None:
            self._roots += 1
            index, path, depth = self._roots, child_path("", self._roots), 1
        else:
            parent.child_count += 1
            if parent.written:
                self._stale[parent.id] = parent
            index, path, depth = (
                parent.child_count,
                child_path(parent.path, parent.child_count),
                parent.depth + 1,
            )
        org = OrgRow(
            id=self._id("org"),
            code=self.code(),
            org_no=f"D{path}",
            name=name,
            kind=kind,
            level=level,
            parent_id=parent.id if parent else None,
            path=path,
            depth=depth,
            sort_order=index,
        )
        self._batch.orgs.append(org)
        return org

    def body(self, org: OrgRow, name: str, kind: str, supervised: Sequence[OrgRow]) -> BodyRow:
        body_id = self._id("body")
        body = BodyRow(
            id=body_id,
            code=self.code(),
            body_no=f"J{body_id:07d}",
            name=name,
            kind=kind,
            org_id=org.id,
            supervised=[o.id for o in supervised],
        )
        self._batch.bodies.append(body)
        return body

    def person(
        self,
        org: OrgRow,
        *,
        female: float,
        party: float,
        rank: str = Rank.NONE,
        department: str = "",
    ) -> PersonRow:
        rng = self.rng
        is_female = rng.random() < female
        person_id = self._id("person")
        person = PersonRow(
            id=person_id,
            code=self.code(),
            person_no=f"P{person_id:08d}",
            name=self.names.person(female=is_female),
            gender=Gender.FEMALE if is_female else Gender.MALE,
            is_party_member=rng.random() < party,
            rank=rank,
            org_id=org.id,
            department=department,
        )
        self._batch.people.append(person)
        return person

    def position(
        self,
        person: PersonRow,
        org: OrgRow,
        kind: str,
        title: str,
        *,
        start: date,
        end: date | None = None,
        body: BodyRow | None = None,
        portfolio: str = "",
        portfolio_units: Sequence[OrgRow] = (),
        liaison: Sequence[OrgRow] = (),
    ) -> PositionRow:
        position = PositionRow(
            id=self._id("position"),
            code=self.code(),
            person_id=person.id,
            org_id=org.id,
            kind=kind,
            title=title,
            discipline_body_id=body.id if body else None,
            portfolio=portfolio,
            start_date=start,
            end_date=end,
            portfolio_units=[o.id for o in portfolio_units],
            liaison=[o.id for o in liaison],
        )
        self._batch.positions.append(position)
        return position
