"""The dashboard page, its export and its API: who sees what, read only, bounded queries."""

from datetime import date
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from pytest_django import DjangoAssertNumQueries

from liangze.core.models import AuditEvent
from liangze.dashboard import queries
from liangze.dashboard.models import WarningSnapshot
from liangze.dashboard.services import warning_snapshot_take
from liangze.duties.models import Catalogue, DutyList
from liangze.orgs import services as org_services
from liangze.orgs.models import Gender, Org, OrgKind, OrgLevel, Person, PositionKind
from tests.fixtures.clients import Api, Login
from tests.fixtures.clock import On
from tests.fixtures.county import START, County
from tests.fixtures.dashboard import add_entry, make_list
from tests.fixtures.ledger import load_rules

pytestmark = pytest.mark.django_db
URL = reverse("dashboard:index")
EXPORT = reverse("dashboard:export")
API = "/api/v1/dashboard/units"
TODAY = date(2026, 7, 20)


@pytest.fixture
def ledgers(county: County, catalogue: Catalogue, on: On) -> DutyList:
    on(TODAY)
    load_rules()
    zhang = Person.objects.get(person_no="P001")
    town = make_list(county.chengguan, catalogue, [zhang, zhang])
    make_list(county.hekou, catalogue, [Person.objects.get(person_no="P003")])
    add_entry(town.items.order_by("seq")[0], "2026-Q1", entered=date(2026, 3, 1))
    return town


def grow(county: County, catalogue: Catalogue, n: int) -> None:
    """n more townships under the county, each with a branch, a secretary and a list."""
    for i in range(n):
        town = org_services.org_create(
            actor=None, parent=county.county, org_no=f"G{i}", name=f"新增镇{i}",
            kind=OrgKind.PARTY_COMMITTEE, level=OrgLevel.TOWNSHIP,
        )  # fmt: skip
        org_services.org_create(
            actor=None, parent=town, org_no=f"G{i}-B", name=f"新增镇{i}支部",
            kind=OrgKind.BRANCH, level=OrgLevel.BRANCH,
        )  # fmt: skip
        person = org_services.person_create(
            actor=None, org=town, person_no=f"GP{i}", name=f"书记{i}", gender=Gender.MALE
        )
        org_services.position_create(
            actor=None, person=person, org=town, kind=PositionKind.PRINCIPAL, title="党委书记",
            start_date=START,
        )  # fmt: skip
        duty_list = make_list(town, catalogue, [person, person, None])
        add_entry(duty_list.items.order_by("seq")[0], "2026-Q1", entered=date(2026, 3, 1))


def rows_of(content: str) -> int:
    return content.count('<tr data-colour="')


# The page -----------------------------------------------------------------------------------


def test_it_shows_the_discipline_officer_the_county_by_child(
    login: Login, county: County, ledgers: DutyList
) -> None:
    response = login(county.discipline_officer).get(URL)
    assert response.status_code == 200
    board = response.context["board"]
    assert board.org == county.county and board.source == "live"
    assert [row.org for row in board.rows] == [county.chengguan, county.hekou, county.education]
    town = board.rows[0]
    assert (town.tally.overdue_cells, town.tally.due_cells) == (3, 4)
    assert town.drillable and not board.rows[1].drillable
    content = response.content.decode()
    assert f"?org={county.chengguan.code}&year=2026" in content  # drill down
    assert 'id="lz-status-chart"' in content and 'id="lz-status-data"' in content
    assert "dashboard/dashboard.js" in content and "echarts.min.js" in content
    assert rows_of(content) == 1 + 3 + 1 + len(board.people)
    # The scale in words, under the table: 红 for a unit at 30 % overdue.
    assert "满足任一：台账逾期率（%） ≥ 30" in content


def test_it_drills_down_with_a_breadcrumb_back_up(
    login: Login, county: County, ledgers: DutyList
) -> None:
    response = login(county.discipline_officer).get(URL, {"org": str(county.chengguan.code)})
    assert response.status_code == 200
    assert response.context["ancestors"] == [county.county]
    assert [row.org for row in response.context["board"].rows] == [county.branch]
    people = {p.person.name: p for p in response.context["board"].people}
    assert people["张建国"].tally.overdue_cells == 3 and people["张建国"].colour == "red"


def test_the_township_sees_its_own_tree_but_no_breadcrumb_above(
    login: Login, county: County, ledgers: DutyList
) -> None:
    for user in (county.township_secretary, county.township_member):
        response = login(user).get(URL)
        assert response.status_code == 200
        assert response.context["board"].org == county.chengguan
        assert response.context["ancestors"] == []


def test_a_higher_level_reads_without_any_edit_control(
    login: Login, county: County, ledgers: DutyList
) -> None:
    content = login(county.discipline_officer).get(URL, {"org": str(county.chengguan.code)})
    html = content.content.decode()
    logout = reverse("accounts:logout")
    assert html.count('method="post"') == 1 and f'action="{logout}"' in html  # only log-out
    for control in ("<textarea", 'type="file"', "/new/", "/edit/", "/delete/", "/verify/"):
        assert control not in html


def test_it_hides_another_townships_dashboard(
    login: Login, county: County, ledgers: DutyList
) -> None:
    response = login(county.other_township_secretary).get(URL, {"org": str(county.chengguan.code)})
    assert response.status_code == 404
    assert login(county.other_township_secretary).get(URL, {"org": "not-a-uuid"}).status_code == 404


@pytest.mark.parametrize("who", ["clerk", "system_admin", "audit_admin"])
def test_it_refuses_those_who_may_not_watch(
    login: Login, county: County, ledgers: DutyList, who: str
) -> None:
    user = getattr(county, who)
    before = AuditEvent.objects.filter(verb=AuditEvent.Verb.DENIED).count()
    assert login(user).get(URL).status_code == 403
    if who == "clerk":  # the clerk sees the org's own page, not its dashboard
        assert login(user).get(URL, {"org": str(county.chengguan.code)}).status_code == 403
    assert AuditEvent.objects.filter(verb=AuditEvent.Verb.DENIED).count() > before


def test_it_takes_only_get(login: Login, county: County, ledgers: DutyList) -> None:
    client = login(county.discipline_officer)
    assert client.post(URL).status_code == 405
    assert client.post(EXPORT).status_code == 405


def test_it_reads_the_weekly_snapshot_when_asked(
    login: Login, county: County, ledgers: DutyList
) -> None:
    client = login(county.discipline_officer)
    empty = client.get(URL, {"source": "snapshot"})
    assert empty.context["board"].total is None
    assert "还没有预警快照" in empty.content.decode()
    warning_snapshot_take(actor=None, on=date(2026, 7, 14))
    live = client.get(URL).context["board"]
    board = client.get(URL, {"source": "snapshot"}).context["board"]
    assert (board.source, board.as_of) == ("snapshot", date(2026, 7, 14))
    assert [r.org for r in board.rows] == [r.org for r in live.rows]
    # The week of the 13th was taken after Q2's deadline (7 July), as live today.
    assert [r.tally.overdue_cells for r in board.rows] == [r.tally.overdue_cells for r in live.rows]
    assert board.own.tally.overdue_cells == live.own.tally.overdue_cells
    assert board.trend["weeks"] == ["07-13"]
    assert 'id="lz-trend-chart"' in client.get(URL).content.decode()


def test_a_city_reads_snapshots_only(login: Login, county: County, ledgers: DutyList) -> None:
    Org.objects.filter(pk=county.county.pk).update(level=OrgLevel.CITY)
    warning_snapshot_take(actor=None, on=TODAY)
    response = login(county.discipline_officer).get(URL, {"source": "live"})
    board = response.context["board"]
    assert (board.source, board.as_of, board.live_allowed) == ("snapshot", TODAY, False)
    assert "改看实时数据" not in response.content.decode()


def test_a_large_county_opens_on_its_snapshot_and_may_still_be_asked_live(
    login: Login, county: County, ledgers: DutyList, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(queries, "LIVE_DEFAULT_MAX_ORGS", 3)
    client = login(county.discipline_officer)
    # No snapshot yet: computed live rather than shown empty.
    assert client.get(URL).context["board"].source == "live"
    warning_snapshot_take(actor=None, on=TODAY)
    board = client.get(URL).context["board"]
    assert (board.source, board.as_of, board.live_allowed) == ("snapshot", TODAY, True)
    assert client.get(URL, {"source": "live"}).context["board"].source == "live"


def test_it_costs_the_same_queries_for_a_small_and_a_larger_county(
    login: Login,
    county: County,
    catalogue: Catalogue,
    ledgers: DutyList,
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    client = login(county.discipline_officer)
    warning_snapshot_take(actor=None, on=TODAY)
    bound = 32
    with django_assert_max_num_queries(bound):
        assert client.get(URL).status_code == 200
    grow(county, catalogue, 25)
    warning_snapshot_take(actor=None, on=TODAY)
    with django_assert_max_num_queries(bound):
        response = client.get(URL, {"year": "2026"})
    assert len(response.context["board"].rows) == 28
    with django_assert_max_num_queries(bound):
        client.get(URL, {"source": "snapshot"})


# Export -------------------------------------------------------------------------------------


def test_it_exports_the_table_as_excel(login: Login, county: County, ledgers: DutyList) -> None:
    response = login(county.discipline_officer).get(EXPORT, {"org": str(county.county.code)})
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    book = load_workbook(BytesIO(response.content))
    sheet = book[book.sheetnames[0]]
    values = list(sheet.values)
    assert values[0][:3] == ("单位", "预警颜色", "逾期台账（项·季）")
    assert [row[0] for row in values[1:]] == [
        "本级",
        "城关镇党委",
        "河口镇党委",
        "县教育局党组",
        "合计",
    ]
    assert values[2][2] == 3 and values[2][1] == "红"
    people = list(book["本级人员"].values)
    assert people[0][0] == "姓名"
    assert dict(book["说明"].values)["数据"] == "实时计算"


def test_the_export_is_refused_like_the_page(
    login: Login, county: County, ledgers: DutyList
) -> None:
    assert login(county.clerk).get(EXPORT).status_code == 403
    other = login(county.other_township_secretary)
    assert other.get(EXPORT, {"org": str(county.chengguan.code)}).status_code == 404


# API ----------------------------------------------------------------------------------------


def test_the_api_gives_the_same_table(api: Api, county: County, ledgers: DutyList) -> None:
    response = api(county.discipline_officer).get(API, {"org": str(county.county.code)})
    assert response.status_code == 200
    data = response.json()
    assert [c["label"] for c in data["children"]] == ["城关镇党委", "河口镇党委", "县教育局党组"]
    town = data["children"][0]
    assert town["metrics"]["overdue_cells"] == 3 and town["colour"] == "red"
    assert town["cells"]["overdue"] == 3
    assert data["source"] == "live" and data["scale_code"] == "four-colour"


def test_the_api_refuses_like_the_page(api: Api, county: County, ledgers: DutyList) -> None:
    assert api(county.clerk).get(API, {"org": str(county.chengguan.code)}).status_code == 403
    outsider = api(county.other_township_secretary)
    assert outsider.get(API, {"org": str(county.chengguan.code)}).status_code == 404


def test_no_snapshot_is_written_by_reading(login: Login, county: County, ledgers: DutyList) -> None:
    login(county.discipline_officer).get(URL)
    assert not WarningSnapshot.objects.exists()


def test_the_menu_offers_the_dashboard_only_to_those_who_may_watch(
    login: Login, county: County
) -> None:
    assert "监督看板" in login(county.discipline_officer).get("/").content.decode()
    assert "监督看板" in login(county.township_secretary).get("/").content.decode()
    assert "监督看板" not in login(county.clerk).get("/").content.decode()
