"""Every spreadsheet the app offers keeps text that looks like a formula as text (issue 11.7).

Names, subjects and descriptions are typed by users; a cell beginning with
`=`, `+`, `-`, `@`, a tab or a CR would be run by Excel or LibreOffice when
the file is opened (CSV/Excel injection). The data below carries such text in
every place the exports show, then each export is downloaded and read back.
"""

import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from io import BytesIO
from pathlib import Path

import pytest
from django.urls import reverse
from openpyxl import load_workbook

import liangze
from liangze.accounts.models import User
from liangze.duties.models import DutyItem, DutyList
from liangze.ledger.models import ActivityKind
from liangze.orgs.models import Org, Person
from liangze.supervision.inspections import services as inspections
from liangze.supervision.models import Inspection, Reminder
from liangze.supervision.reminders.services import run_escalation
from tests.fixtures.clients import Login
from tests.fixtures.clock import On
from tests.fixtures.county import County
from tests.fixtures.ledger import add_activity, load_rules, recorded
from tests.fixtures.notices import draft_order
from tests.fixtures.supervision import plan

pytestmark = pytest.mark.django_db

UNIT = "=1+1"  # 城关镇党委
SECRETARY = "+cmd"  # 张建国
MEMBER = "-2"  # 李明华
FINDING = "@SUM(A1)"
TASK = "\t=x"
SUBJECT = '\r=HYPERLINK("http://x")'
PAYLOADS = {UNIT, SECRETARY, MEMBER, FINDING, TASK, SUBJECT}


@dataclass
class Poisoned:
    county: County
    duty_list: DutyList
    inspection: Inspection


@pytest.fixture
def poisoned(county: County, published: DutyList, on: On) -> Poisoned:
    """城关镇 and its people renamed, and its list, activities, reminders, inspection and 督办书
    written, with text a spreadsheet would run."""
    Org.objects.filter(pk=county.chengguan.pk).update(name=UNIT)
    Person.objects.filter(person_no="P001").update(name=SECRETARY)
    Person.objects.filter(person_no="P002").update(name=MEMBER)
    DutyItem.objects.filter(duty_list=published).update(task=TASK)
    county.chengguan.refresh_from_db()
    secretary, member = (Person.objects.get(person_no=no) for no in ("P001", "P002"))
    load_rules()
    for month in (1, 2):
        talk = add_activity(
            county.chengguan,
            ActivityKind.TALK,
            date(2026, month, 9),
            secretary,
            member,
            subject=SUBJECT,
        )
        recorded(talk, date(2026, month, 9))
    run_escalation(on=date(2026, 4, 9))
    on(date(2026, 4, 10))
    assert Reminder.objects.filter(org=county.chengguan).exists()
    inspection = plan(county)
    inspections.target_add(
        actor=county.discipline_officer, inspection=inspection, org=county.chengguan
    )
    inspections.inspection_start(actor=county.discipline_officer, inspection=inspection)
    inspections.finding_record(
        actor=county.discipline_officer,
        target=inspection.targets.get(org=county.chengguan),
        description=FINDING,
    )
    draft_order(county)
    return Poisoned(county, published, inspection)


@dataclass(frozen=True)
class Export:
    """Where one spreadsheet is downloaded, by whom, and which of the payloads it shows."""

    user: Callable[[County], User]
    url: Callable[[Poisoned], str]
    shows: frozenset[str]


def listed(name: str) -> Callable[[Poisoned], str]:
    return lambda _p: f"{reverse(name)}?export=xlsx&state="


SECRETARY_USER: Callable[[County], User] = lambda c: c.township_secretary  # noqa: E731
OFFICER_USER: Callable[[County], User] = lambda c: c.discipline_officer  # noqa: E731

EXPORTS = {
    "duties:export_xlsx": Export(
        SECRETARY_USER,
        lambda p: reverse("duties:export_xlsx", args=[p.duty_list.code]),
        frozenset({TASK}),
    ),
    "dashboard:export": Export(
        OFFICER_USER,
        lambda p: f"{reverse('dashboard:export')}?org={p.county.county.code}&year=2026",
        frozenset({UNIT}),
    ),
    "orgs:people": Export(SECRETARY_USER, listed("orgs:people"), frozenset({SECRETARY, MEMBER})),
    "ledger:activities": Export(
        SECRETARY_USER, listed("ledger:activities"), frozenset({UNIT, SECRETARY, SUBJECT})
    ),
    "supervision:reminders": Export(
        SECRETARY_USER, listed("supervision:reminders"), frozenset({UNIT})
    ),
    "supervision:export": Export(
        OFFICER_USER,
        lambda p: reverse("supervision:export", args=[p.inspection.code]),
        frozenset({UNIT, FINDING}),
    ),
    "supervision:rectifications": Export(
        OFFICER_USER, listed("supervision:rectifications"), frozenset({UNIT, FINDING})
    ),
    "notices:index": Export(OFFICER_USER, listed("notices:index"), frozenset({UNIT})),
    "orgs:import_template": Export(
        lambda c: c.system_admin, lambda _p: reverse("orgs:import_template"), frozenset()
    ),
}


@pytest.mark.parametrize("name", EXPORTS)
def test_no_cell_of_the_export_is_a_formula_and_the_text_is_kept(
    name: str, poisoned: Poisoned, login: Login
) -> None:
    export = EXPORTS[name]
    response = login(export.user(poisoned.county)).get(export.url(poisoned))
    assert response.status_code == 200
    with zipfile.ZipFile(BytesIO(response.content)) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/sheet")]
        assert sheets
        assert not [n for n in sheets if b"<f>" in archive.read(n) or b"<f " in archive.read(n)]
    book = load_workbook(BytesIO(response.content))
    cells = [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
    texts = {cell.value for cell in cells if cell.data_type == "s"}
    assert export.shows <= texts
    risky = [c for c in cells if isinstance(c.value, str) and c.value[:1] in "=+-@\t\r"]
    assert all(cell.quotePrefix for cell in risky)


def test_no_module_but_core_xlsx_sets_a_cell_value_itself() -> None:
    """A new sheet writer cannot bypass xlsx.put: the modules that build workbooks set no value."""
    root = Path(liangze.__file__).parent
    writers = [p for p in root.rglob("*.py") if "from openpyxl import Workbook" in p.read_text()]
    assert root / "core" / "xlsx.py" in writers
    bypass = re.compile(r"\.cell\([^)]*value=|\.value\s*=[^=]|\.append\((?!xlsx\.cells\()")
    found = [
        f"{path.relative_to(root)}:{n}"
        for path in writers
        if path != root / "core" / "xlsx.py"
        for n, line in enumerate(path.read_text().splitlines(), start=1)
        if bypass.search(line)
    ]
    assert found == []
