"""One typed record per row, with references kept as the file's codes.

Records read from the database have the same shape, so "unchanged" is plain
equality; `row` is left out of the comparison.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import cache

from django.db.models import Choices, Model
from django.utils import translation
from django.utils.translation import gettext as _

from liangze.orgs.importing.layout import LEVEL_SYNONYMS
from liangze.orgs.importing.reading import Cells
from liangze.orgs.models import (
    DISCIPLINE_KINDS,
    DisciplineBody,
    Gender,
    Org,
    OrgKind,
    OrgLevel,
    Person,
    Position,
    PositionKind,
    Rank,
)


@dataclass(frozen=True)
class OrgRecord:
    org_no: str
    name: str
    kind: str
    level: str
    parent_no: str
    sort_order: int
    row: int = field(default=0, compare=False)


@dataclass(frozen=True)
class BodyRecord:
    body_no: str
    name: str
    kind: str
    org_no: str
    supervised: frozenset[str]
    row: int = field(default=0, compare=False)


@dataclass(frozen=True)
class PersonRecord:
    person_no: str
    name: str
    gender: str
    is_party_member: bool
    rank: str
    org_no: str
    department: str
    row: int = field(default=0, compare=False)


PositionKey = tuple[str, str, str, date | None]


@dataclass(frozen=True)
class PositionRecord:
    person_no: str
    org_no: str
    kind: str
    start_date: date | None
    title: str
    body_no: str
    portfolio: str
    portfolio_units: frozenset[str]
    liaisons: frozenset[str]
    end_date: date | None
    row: int = field(default=0, compare=False)

    @property
    def key(self) -> PositionKey:
        return (self.person_no, self.org_no, self.kind, self.start_date)


@cache
def labels(choices: type[Choices]) -> Mapping[str, str]:
    """Label → stored value. The file format is Chinese whatever the interface language."""
    with translation.override(None):
        return {str(label): value for value, label in choices.choices}


def _limit(model: type[Model], name: str) -> int:
    return int(getattr(model._meta.get_field(name), "max_length", 0))


def org_record(c: Cells) -> OrgRecord:
    return OrgRecord(
        org_no=c.text("组织编号", max_length=_limit(Org, "org_no"), required=True),
        name=c.text("名称", max_length=_limit(Org, "name"), required=True),
        kind=c.choice("类型", labels(OrgKind)) or "",
        level=c.choice("层级", {**labels(OrgLevel), **LEVEL_SYNONYMS}) or "",
        parent_no=c.text("上级组织编号", max_length=_limit(Org, "org_no")),
        sort_order=c.whole_number("排序"),
        row=c.number,
    )


def body_record(c: Cells) -> BodyRecord:
    return BodyRecord(
        body_no=c.text("编号", max_length=_limit(DisciplineBody, "body_no"), required=True),
        name=c.text("名称", max_length=_limit(DisciplineBody, "name"), required=True),
        kind=c.choice("类型", labels(DisciplineBody.Kind)) or "",
        org_no=c.text("所在组织编号", max_length=_limit(Org, "org_no"), required=True),
        supervised=c.keys("监督单位编号"),
        row=c.number,
    )


def person_record(c: Cells) -> PersonRecord:
    return PersonRecord(
        person_no=c.text("人员编号", max_length=_limit(Person, "person_no"), required=True),
        name=c.text("姓名", max_length=_limit(Person, "name"), required=True),
        gender=c.choice("性别", labels(Gender)) or "",
        is_party_member=c.choice("是否党员", {"是": True, "否": False}, default=True) is True,
        rank=c.choice("职级", labels(Rank), default=Rank.NONE.value) or "",
        org_no=c.text("所在单位编号", max_length=_limit(Org, "org_no"), required=True),
        department=c.text("科室", max_length=_limit(Person, "department")),
        row=c.number,
    )


def position_record(c: Cells) -> PositionRecord:
    record = PositionRecord(
        person_no=c.text("人员编号", max_length=_limit(Person, "person_no"), required=True),
        org_no=c.text("任职组织编号", max_length=_limit(Org, "org_no"), required=True),
        kind=c.choice("职务类别", labels(PositionKind)) or "",
        title=c.text("职务名称", max_length=_limit(Position, "title"), required=True),
        body_no=c.text("纪检机构编号", max_length=_limit(DisciplineBody, "body_no")),
        portfolio=c.text("分管工作", max_length=_limit(Position, "portfolio")),
        portfolio_units=c.keys("分管单位编号"),
        liaisons=c.keys("联系单位编号"),
        start_date=c.date("任职日期", required=True),
        end_date=c.date("免职日期"),
        row=c.number,
    )
    if record.kind in DISCIPLINE_KINDS and not record.body_no:
        c.problem("纪检机构编号", _("纪检职务必须填写所属纪检机构编号"))
    if record.start_date and record.end_date and record.end_date < record.start_date:
        c.problem("免职日期", _("免职日期不能早于任职日期"))
    return record
