"""Stored coverage tallies (LIST-6): the roll-up read from them equals the live one, at every org,
whatever happened to lists, catalogues and posts in between."""

from datetime import date
from io import BytesIO, StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook
from pytest_django import DjangoAssertNumQueries

from liangze.core.models import JobRun
from liangze.duties import services
from liangze.duties.coverage import queries as coverage
from liangze.duties.coverage import tallies
from liangze.duties.models import Catalogue, CoverageTally, DutyList, ListType, Review
from liangze.orgs import services as org_services
from liangze.orgs.importing import import_workbook
from liangze.orgs.models import Org, OrgKind, OrgLevel, Person, PositionKind
from tests.fixtures.bulk import add_branches, add_people
from tests.fixtures.clients import Login
from tests.fixtures.county import County
from tests.fixtures.duties import appoint, full_rows

pytestmark = pytest.mark.django_db

YEAR = 2026
POSITION_HEADERS = [
    "人员编号",
    "任职组织编号",
    "职务类别",
    "职务名称",
    "纪检机构编号",
    "分管工作",
    "联系单位编号",
    "任职日期",
    "免职日期",
    "分管单位编号",
]
SHEETS = {
    "组织": ["组织编号", "名称", "类型", "层级", "上级组织编号", "排序"],
    "人员": ["人员编号", "姓名", "性别", "是否党员", "职级", "所在单位编号", "科室"],
    "职务": POSITION_HEADERS,
}


def workbook(**sheets: list[list[Any]]) -> BytesIO:
    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        sheet.append(SHEETS[name])
        for row in rows:
            sheet.append(row)
    out = BytesIO()
    book.save(out)
    out.seek(0)
    return out


def assert_exact(year: int = YEAR) -> None:
    """At every org, the roll-up from the tallies is there and equals the live roll-up."""
    for org in Org.objects.order_by("path"):
        basis, children = coverage.reference(org, year), coverage._children(org)
        stored = coverage._from_tallies(org, year, basis, children)
        assert stored is not None, f"no tallies for {org.name}"
        live = coverage._coverage(org, year)
        assert (stored.own, stored.rows, stored.total) == (live.own, live.rows, live.total), (
            org.name
        )


def make_list(
    catalogue: Catalogue,
    org: Org,
    list_type: str,
    *,
    person: Person | None = None,
    body: Any = None,
) -> DutyList:
    duty_list = services.duty_list_create(
        actor=None,
        org=org,
        year=YEAR,
        list_type=list_type,
        catalogue=catalogue,
        person=person,
        discipline_body=body,
    )
    someone = Person.objects.filter(org.subtree_q("org__")).order_by("person_no").first()
    assert someone is not None
    rows = full_rows(duty_list, someone.person_no)
    services.duty_items_save(actor=None, duty_list=duty_list, rows=rows)
    return duty_list


def advance(
    duty_list: DutyList, signer: Person, *steps: str, body_head: Person | None = None
) -> DutyList:
    """Walk a list on through the workflow as the operator entering paper records would.

    A supervisory list is signed by `signer`, the unit's principal, and by `body_head`.
    """
    for step in steps:
        if step == "discussed":
            services.duty_list_discuss(
                actor=None,
                duty_list=duty_list,
                on=date(YEAR, 1, 10),
                meeting="党委会",
                attendees="全体",
            )
        elif step == "signed":
            services.duty_list_sign(actor=None, duty_list=duty_list, paper_signer=signer)
            if duty_list.list_type == ListType.MEMBER and duty_list.person:
                services.duty_list_sign(
                    actor=None, duty_list=duty_list, paper_signer=duty_list.person
                )
            if body_head is not None:
                services.duty_list_sign(actor=None, duty_list=duty_list, paper_signer=body_head)
        elif step == "submitted":
            services.duty_list_submit(actor=None, duty_list=duty_list, score=False)
        elif step in (Review.Verdict.ACCEPTED, Review.Verdict.RETURNED):
            services.duty_list_review(actor=None, duty_list=duty_list, verdict=step, reason="重写")
        elif step == "published":
            services.duty_list_publish(
                actor=None, duty_list=duty_list, publish_range=DutyList.PublishRange.SUBTREE
            )
        duty_list.refresh_from_db()
    return duty_list


TO_ACCEPTED = ("discussed", "signed", "submitted", "accepted")
TO_FORCE = (*TO_ACCEPTED, "published")


def test_it_equals_the_live_roll_up_through_a_year_of_changes(
    county: County, catalogue: Catalogue
) -> None:
    secretary = Person.objects.get(person_no="P001")
    member = Person.objects.get(person_no="P002")
    assert_exact()  # issuing the catalogue counted the required

    unit = advance(
        make_list(catalogue, county.chengguan, ListType.COLLECTIVE), secretary, *TO_ACCEPTED
    )
    assert_exact()
    advance(unit, secretary, "published")
    assert_exact()

    returned = make_list(catalogue, county.hekou, ListType.COLLECTIVE)
    advance(returned, secretary, "discussed", "signed", "submitted", "returned")
    assert_exact()

    principal = make_list(catalogue, county.chengguan, ListType.PRINCIPAL, person=secretary)
    advance(principal, secretary, *TO_ACCEPTED)
    personal = make_list(catalogue, county.chengguan, ListType.MEMBER, person=member)
    advance(personal, secretary, *TO_ACCEPTED, "published")
    # A body counted once, though two of its lists are in force.
    head = appoint(
        county.county,
        "P011",
        "孙纪明",
        PositionKind.DISCIPLINE_SECRETARY,
        "纪委书记",
        body=county.county_commission,
    )
    principals = {county.hekou: Person.objects.get(person_no="P003"), county.chengguan: secretary}
    body_lists = [
        advance(
            make_list(catalogue, org, ListType.SUPERVISORY, body=county.county_commission),
            principal,
            *TO_FORCE,
            body_head=head,
        )
        for org, principal in principals.items()
    ]
    assert_exact()

    # A revision leaves the version in force counted until it is published itself.
    fresh = services.duty_list_revise(actor=None, duty_list=unit)
    services.duty_list_revise(actor=None, duty_list=body_lists[0])
    assert_exact()
    services.duty_items_save(actor=None, duty_list=fresh, rows=full_rows(fresh, "P001"))
    advance(fresh, secretary, *TO_ACCEPTED)
    assert_exact()
    advance(fresh, secretary, "published")
    assert_exact()

    # Posts change through the import: a branch secretary until March, a member ending now,
    # a new branch under 河口镇 with its secretary.
    import_workbook(
        actor=None,
        file=workbook(
            组织=[["C-T2-B1", "河口镇第一党支部", "党支部", "支部", "C-T2", 1]],
            人员=[
                ["P300", "周支书", "男", "是", "股级", "C-T1-B1", ""],
                ["P301", "吴支书", "女", "是", "股级", "C-T2-B1", ""],
            ],
            职务=[
                ["P300", "C-T1-B1", "支部书记", "书记", "", "", "", "2024-01-01", "2099-03-31"],
                ["P301", "C-T2-B1", "支部书记", "书记", "", "", "", "2024-01-01", ""],
                ["P002", "C-T1", "班子成员", "党委副书记", "", "", "", "2024-01-01", "2025-12-31"],
            ],
        ),
    )
    assert_exact()

    # 城关镇 issues a catalogue of its own with a later deadline: below it, posts count on
    # that day (the secretary whose post ends in March drops out), above it on the county's.
    own, _ = services.catalogue_load(path=services.SEED_CATALOGUES / "guangan.json")
    services.catalogue_issue(
        actor=None,
        catalogue=own,
        issuer=county.chengguan,
        submit_deadline=date(2099, 6, 30),
        year=YEAR,
    )
    assert coverage.reference(county.branch, YEAR).on == date(2099, 6, 30)
    assert_exact()
    branch_list = make_list(catalogue, county.branch, ListType.PRINCIPAL, person=secretary)
    org_services.position_create(
        actor=None,
        person=secretary,
        org=county.branch,
        kind=PositionKind.BRANCH_SECRETARY,
        title="书记",
        start_date=date(2024, 1, 1),
    )
    # The new post is counted at once: orgs.services tells the tallies which org changed.
    assert_exact()
    advance(branch_list, secretary, *TO_FORCE)
    assert_exact()


def test_it_moves_the_path_when_a_list_comes_into_force(
    county: County, submitted: DutyList
) -> None:
    before = CoverageTally.objects.get(org=county.county, year=YEAR).collective_done_sub
    services.duty_list_review(
        actor=county.discipline_officer, duty_list=submitted, verdict=Review.Verdict.ACCEPTED
    )
    assert CoverageTally.objects.get(org=county.county, year=YEAR).collective_done_sub == before
    services.duty_list_publish(
        actor=county.township_secretary,
        duty_list=submitted,
        publish_range=DutyList.PublishRange.UNIT,
    )
    rows = {t.org_id: t for t in CoverageTally.objects.filter(year=YEAR)}
    assert rows[county.county.pk].collective_done_sub == before + 1
    assert rows[county.county.pk].collective_done_own == 0
    assert rows[county.chengguan.pk].collective_done_own == 1
    assert rows[county.branch.pk].collective_done_sub == 0


def test_it_reads_a_roll_up_in_three_queries_however_many_children(
    county: County, catalogue: Catalogue, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    add_branches(county.hekou, 5)
    tallies.rebuild(YEAR)
    with django_assert_max_num_queries(3) as small:
        report = coverage.coverage(county.hekou, YEAR)
    assert report.computed_at is not None
    add_branches(county.hekou, 150)
    tallies.rebuild(YEAR)
    coverage.invalidate()
    with django_assert_max_num_queries(len(small.captured_queries)):
        report = coverage.coverage(county.hekou, YEAR)
    assert report.computed_at is not None
    assert report.total.cells[ListType.COLLECTIVE].required == 156


def test_it_computes_live_when_a_child_has_no_tallies(county: County, catalogue: Catalogue) -> None:
    add_branches(county.hekou, 2)  # behind the services' backs: no rows for them
    report = coverage.coverage(county.hekou, YEAR)
    assert report.computed_at is None
    assert report.total.cells[ListType.COLLECTIVE].required == 3


def test_it_refreshes_the_orgs_an_import_touches_in_bounded_queries(
    county: County, catalogue: Catalogue, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    rows = [
        ["P001", "C-T1", "班子成员", f"委员{n}", "", "", "", f"2024-01-{n + 1:02d}", ""]
        for n in range(20)
    ]
    with django_assert_max_num_queries(40):
        import_workbook(actor=None, file=workbook(职务=rows))
    tally = CoverageTally.objects.get(org=county.county, year=YEAR)
    assert tally.member_required_sub == 21
    assert_exact()


def test_it_rebuilds_from_the_command_line(
    county: County, catalogue: Catalogue, capsys: pytest.CaptureFixture[str]
) -> None:
    CoverageTally.objects.all().delete()
    call_command("rebuild_coverage")
    assert f"{YEAR} 年（全部组织）：全覆盖统计已重建" in capsys.readouterr().out
    assert_exact()
    call_command("rebuild_coverage", "--year", str(YEAR), "--org", str(county.chengguan.code))
    assert "城关镇党委及其下级" in capsys.readouterr().out
    assert_exact()


def test_it_refuses_an_unknown_org_on_the_command_line(
    county: County, catalogue: Catalogue
) -> None:
    with pytest.raises(CommandError, match="找不到组织：NOPE"):
        call_command("rebuild_coverage", "--org", "NOPE")


def test_it_shows_when_the_figures_were_counted(
    login: Login, county: County, catalogue: Catalogue
) -> None:
    response = login(county.discipline_officer).get(reverse("duties:coverage"), {"year": str(YEAR)})
    report = response.context["report"]
    assert report.computed_at is not None
    assert "统计于" in response.content.decode()


def test_it_pages_the_missing_with_the_roll_ups_count(
    login: Login, county: County, catalogue: Catalogue
) -> None:
    response = login(county.discipline_officer).get(
        reverse("duties:coverage"), {"year": str(YEAR), "type": ListType.COLLECTIVE}
    )
    page = response.context["page_obj"]
    assert page.paginator.count == 5
    assert (
        page.paginator.count == coverage.missing(county.county, YEAR, ListType.COLLECTIVE).count()
    )
    assert {org.name for org in page} == {
        "示范县委",
        "城关镇党委",
        "城关镇第一党支部",
        "河口镇党委",
        "县教育局党组",
    }


def test_it_recounts_every_year_at_night(county: County, catalogue: Catalogue) -> None:
    from liangze.duties import tasks

    CoverageTally.objects.all().delete()
    assert tasks.recount_coverage.call_local() == [YEAR]
    assert_exact()
    assert tasks.recount_coverage.call_local() is None  # another worker's fire, same night
    run = JobRun.objects.get(job=tasks.JOB)
    assert (run.state, run.counts) == (JobRun.State.DONE, {"years": [YEAR]})


def test_the_command_refuses_while_the_recount_runs(county: County, catalogue: Catalogue) -> None:
    from liangze.duties import tasks

    JobRun.objects.create(
        job=tasks.JOB,
        slot="2026-07-20",
        state=JobRun.State.RUNNING,
        started_at=timezone.now(),
        host="worker-2",
    )
    with pytest.raises(CommandError, match="该任务正在运行"):
        call_command("rebuild_coverage", stdout=StringIO())


@pytest.mark.parametrize("list_type", ListType.values)
def test_it_finds_a_deep_page_through_the_tallies(
    county: County,
    catalogue: Catalogue,
    submitted: DutyList,
    monkeypatch: pytest.MonkeyPatch,
    list_type: str,
) -> None:
    advance(submitted, Person.objects.get(person_no="P001"), "accepted", "published")
    for parent in (county.hekou, county.branch, county.county):
        for org in add_branches(parent, 3):
            add_people(org, 2, leaders=True)
    tallies.rebuild(YEAR)
    monkeypatch.setattr(coverage, "SEEK_FROM", 0)
    report = coverage.coverage(county.county, YEAR)
    counted = coverage.missing_counted(report, list_type)
    plain = coverage.missing(county.county, YEAR, list_type)
    assert len(counted) == plain.count() > 0
    for start in range(len(counted) + 1):
        assert counted[start : start + 3] == list(plain[start : start + 3]), start


# Units without a Party committee (004 "未设党委（党组）的学校、单位参照执行") -------------------


def archives(parent: Org, name: str) -> Org:
    """A government unit with no Party committee of its own, and its head."""
    unit = org_services.org_create(
        actor=None,
        parent=parent,
        org_no=f"{parent.org_no}-G1",
        name=name,
        kind=OrgKind.GOVERNMENT,
        level=OrgLevel.DEPARTMENT,
    )
    head = org_services.person_create(
        actor=None, org=unit, person_no=f"{unit.org_no}-P1", name="钱馆长", gender="M"
    )
    org_services.position_create(
        actor=None,
        person=head,
        org=unit,
        kind=PositionKind.PRINCIPAL,
        title="馆长",
        start_date=date(2024, 1, 1),
    )
    return unit


def issued(county: County, issuer: Org, *, covers: bool) -> Catalogue:
    """The 广安 catalogue issued by `issuer` on the 通州 one's deadline, set as `covers`."""
    loaded, _ = services.catalogue_load(path=services.SEED_CATALOGUES / "guangan.json")
    services.catalogue_settings_update(
        actor=county.system_admin, catalogue=loaded, covers_units_without_committee=covers
    )
    return services.catalogue_issue(
        actor=None, catalogue=loaded, issuer=issuer, submit_deadline=date(2099, 2, 14), year=YEAR
    )


def missing_units(org: Org) -> set[str]:
    return {o.name for o in coverage.missing(org, YEAR, ListType.COLLECTIVE)}


def test_a_unit_without_a_party_committee_is_missing_when_the_catalogue_covers_it(
    county: County, catalogue: Catalogue
) -> None:
    assert catalogue.covers_units_without_committee  # the 通州 catalogue, as 004 says
    unit = archives(county.county, "示范县档案馆")
    report = coverage.coverage(county.county, YEAR)
    assert report.covers_units_without_committee
    assert "示范县档案馆" in missing_units(county.county)
    archives_row = next(r for r in report.rows if r.org == unit)
    assert archives_row.cells[ListType.COLLECTIVE].required == 1
    assert_exact()
    head = Person.objects.get(person_no=f"{unit.org_no}-P1")
    advance(make_list(catalogue, unit, ListType.COLLECTIVE), head, *TO_FORCE)
    assert "示范县档案馆" not in missing_units(county.county)
    assert_exact()


def test_a_unit_without_a_party_committee_is_not_required_when_the_catalogue_says_so(
    county: County,
) -> None:
    issued(county, county.county, covers=False)
    archives(county.county, "示范县档案馆")
    report = coverage.coverage(county.county, YEAR)
    assert not report.covers_units_without_committee
    assert "示范县档案馆" not in missing_units(county.county)
    assert report.total.cells[ListType.COLLECTIVE].required == 5  # the party orgs only
    assert_exact()


def test_nested_catalogues_of_one_deadline_count_such_units_each_their_own_way(
    county: County, catalogue: Catalogue
) -> None:
    # 城关镇 leaves such units out, on the county's deadline: the county still counts its own.
    issued(county, county.chengguan, covers=False)
    archives(county.chengguan, "城关镇档案馆")
    tallies.rebuild(YEAR)
    assert "城关镇档案馆" in missing_units(county.county)
    assert "城关镇档案馆" not in missing_units(county.chengguan)
    county_row = next(r for r in coverage.coverage(county.county, YEAR).rows)
    assert county_row.org == county.chengguan
    assert county_row.cells[ListType.COLLECTIVE].required == 3
    assert coverage.coverage(county.chengguan, YEAR).total.cells[ListType.COLLECTIVE].required == 2
    assert_exact()
