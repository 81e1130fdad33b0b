from datetime import date, timedelta
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils import timezone
from openpyxl import Workbook, load_workbook
from pytest_django import DjangoAssertNumQueries, Settings

from liangze.core.models import AuditEvent
from liangze.core.sm3 import sm3_hex
from liangze.orgs import importing
from liangze.orgs.importing import ImportFailed, import_workbook
from liangze.orgs.models import DisciplineBody, ImportRun, Org, Person, Position, PositionKind
from tests.fixtures.clients import Login
from tests.fixtures.county import County

pytestmark = pytest.mark.django_db

HEADERS = {
    "组织": ["组织编号", "名称", "类型", "层级", "上级组织编号", "排序"],
    "纪检机构": ["编号", "名称", "类型", "所在组织编号", "监督单位编号"],
    "人员": ["人员编号", "姓名", "性别", "是否党员", "职级", "所在单位编号", "科室"],
    "职务": [
        "人员编号",
        "任职组织编号",
        "职务类别",
        "职务名称",
        "纪检机构编号",
        "分管工作",
        "联系单位编号",
        "任职日期",
        "免职日期",
        # Last, not where the template has it: columns are found by their header.
        "分管单位编号",
    ],
}

# Hangs a small city under the test county's 示范县委 (C).
GOOD: dict[str, list[list[Any]]] = {
    "组织": [
        ["T", "测试市委", "党委", "市", "", 1],
        ["T-1", "甲县委", "党委", "县", "T", 1],
        ["T-1-1", "甲镇党委", "党委", "乡镇", "T-1", 1],
        ["T-1-1-1", "甲镇第一党支部", "党支部", "支部", "T-1-1", None],
        ["T-2", "乙县委", "党委", "县（市、区）", "T", 2],
        ["C-T3", "新城街道党工委", "党工委", "街道", "C", 4],
    ],
    "纪检机构": [
        ["TD-1", "甲县纪委", "纪委", "T-1", "T-1"],
        ["TD-2", "派驻第二纪检监察组", "派驻纪检监察组", "T", "T-1-1、T-2；C-T3"],
    ],
    "人员": [
        ["TP1", "甲书记", "男", "是", "县处级", "T-1", ""],
        ["TP2", "乙纪检", "女", None, None, "T-1", "纪检室"],
        ["TP3", "丙群众", "女", "否", "办事员", "C-T3", None],
    ],
    "职务": [
        [
            "TP1",
            "T-1",
            "主要负责人",
            "县委书记",
            "",
            "全面工作",
            "T-1-1, T-1-1-1",
            date(2024, 1, 1),
            None,
        ],
        ["TP2", "T-1", "纪检监察干部", "纪检室主任", "TD-1", "", "", "2024-03-01", ""],
        ["P001", "C-T1", "班子成员", "挂职副书记", "", "", "", "2024/05/01", "2025-04-30"],
    ],
}


def xlsx(sheets: dict[str, list[list[Any]]], headers: dict[str, list[str]] = HEADERS) -> BytesIO:
    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        sheet.append(headers[name])
        for row in rows:
            sheet.append(row)
    buffer = BytesIO()
    book.save(buffer)
    buffer.seek(0)
    buffer.name = "组织人员.xlsx"
    return buffer


def with_rows(sheet: str, *changes: tuple[int, int, Any]) -> dict[str, list[list[Any]]]:
    """GOOD with cells replaced: (index of the data row, index of the column, new value)."""
    sheets = {name: [list(row) for row in rows] for name, rows in GOOD.items()}
    for row, column, value in changes:
        sheets[sheet][row][column] = value
    return sheets


def table_counts() -> list[int]:
    return [m.objects.count() for m in (Org, DisciplineBody, Person, Position)]


def snapshot() -> list[list[tuple[Any, ...]]]:
    return [
        list(Org.objects.order_by("pk").values_list()),
        list(DisciplineBody.objects.order_by("pk").values_list()),
        list(DisciplineBody.supervised_orgs.through.objects.order_by("pk").values_list()),
        list(Person.objects.order_by("pk").values_list()),
        list(Position.objects.order_by("pk").values_list()),
        list(Position.liaison_orgs.through.objects.order_by("pk").values_list()),
        list(Position.portfolio_orgs.through.objects.order_by("pk").values_list()),
    ]


def counts(report: importing.ImportReport) -> dict[str, tuple[int, int, int]]:
    return {c.sheet: (c.created, c.updated, c.unchanged) for c in report.sheets}


def problems_of(sheets: dict[str, list[list[Any]]], **headers: list[str]) -> list[Any]:
    with pytest.raises(ImportFailed) as failed:
        import_workbook(actor=None, file=xlsx(sheets, {**HEADERS, **headers}))
    return failed.value.problems


def test_it_creates_the_whole_file(county: County) -> None:
    report = import_workbook(actor=None, file=xlsx(GOOD))

    assert counts(report) == {
        "组织": (6, 0, 0),
        "纪检机构": (2, 0, 0),
        "人员": (3, 0, 0),
        "职务": (3, 0, 0),
    }
    orgs = {o.org_no: o for o in Org.objects.select_related("parent")}
    assert orgs["T"].parent is None and orgs["T"].path == "0002" and orgs["T"].depth == 1
    assert orgs["T-1"].parent == orgs["T"] and orgs["T-1"].path == "00020001"
    assert orgs["T-2"].path == "00020002" and orgs["T-2"].sort_order == 2
    assert orgs["T-1-1-1"].path == "0002000100010001" and orgs["T-1-1-1"].depth == 4
    assert orgs["T-1-1-1"].sort_order == 0 and orgs["T-1-1-1"].kind == "branch"
    assert orgs["C-T3"].parent == county.county
    assert orgs["C-T3"].path == county.county.path + "0004"
    assert orgs["C-T3"].level == "township" and orgs["T-1"].level == "county"
    child_counts = {no: orgs[no].child_count for no in ("C", "T", "T-1", "T-1-1", "T-1-1-1")}
    assert child_counts == {"C": 4, "T": 2, "T-1": 1, "T-1-1": 1, "T-1-1-1": 0}

    dispatched = DisciplineBody.objects.get(body_no="TD-2")
    assert dispatched.org == orgs["T"] and dispatched.kind == "dispatched"
    supervised = dispatched.supervised_orgs.values_list("org_no", flat=True)
    assert set(supervised) == {"T-1-1", "T-2", "C-T3"}

    clerk = Person.objects.get(person_no="TP3")
    assert (clerk.gender, clerk.is_party_member, clerk.rank) == ("F", False, "clerk")
    officer = Person.objects.get(person_no="TP2")
    assert (officer.is_party_member, officer.rank, officer.department) == (True, "none", "纪检室")

    principal = Position.objects.get(person__person_no="TP1")
    assert principal.kind == PositionKind.PRINCIPAL and principal.org == orgs["T-1"]
    assert principal.start_date == date(2024, 1, 1) and principal.end_date is None
    liaisons = principal.liaison_orgs.values_list("org_no", flat=True)
    assert set(liaisons) == {"T-1-1", "T-1-1-1"}
    staff = Position.objects.get(person__person_no="TP2")
    assert staff.discipline_body == DisciplineBody.objects.get(body_no="TD-1")
    assert staff.start_date == date(2024, 3, 1)
    seconded = Position.objects.get(person__person_no="P001", title="挂职副书记")
    assert (seconded.start_date, seconded.end_date) == (date(2024, 5, 1), date(2025, 4, 30))

    event = AuditEvent.objects.get(verb=AuditEvent.Verb.IMPORT)
    assert event.actor_name == "命令行"
    assert event.data["sheets"]["人员"] == {"created": 3, "updated": 0, "unchanged": 0}


def test_it_writes_nothing_when_three_rows_are_bad(county: County) -> None:
    sheets = with_rows("组织", (2, 3, "村"))
    sheets["人员"][1][2] = "M"
    sheets["职务"][2][8] = "2023-12-31"
    before = table_counts()

    problems = problems_of(sheets)

    assert [(p.sheet, p.row, p.column) for p in problems] == [
        ("组织", 4, "层级"),
        ("人员", 3, "性别"),
        ("职务", 4, "免职日期"),
    ]
    assert "「村」不是可选的值" in problems[0].reason
    assert problems[1].reason == "「M」不是可选的值，应为：男、女"
    assert problems[2].reason == "免职日期不能早于任职日期"
    assert str(problems[0]).startswith("工作表「组织」第 4 行「层级」：")
    assert table_counts() == before
    assert not AuditEvent.objects.filter(verb=AuditEvent.Verb.IMPORT).exists()


def test_it_changes_nothing_when_the_same_file_comes_twice(county: County) -> None:
    import_workbook(actor=None, file=xlsx(GOOD))
    before = snapshot()

    report = import_workbook(actor=None, file=xlsx(GOOD))

    assert (report.created, report.updated) == (0, 0)
    assert counts(report)["人员"] == (0, 0, 3)
    assert snapshot() == before
    assert AuditEvent.objects.filter(verb=AuditEvent.Verb.IMPORT).count() == 2


def test_it_applies_changed_values_on_reimport(county: County) -> None:
    import_workbook(actor=None, file=xlsx(GOOD))
    sheets = with_rows("组织", (0, 1, "测试市委（新）"), (4, 5, 9))
    sheets["纪检机构"][1][4] = "T-2"
    sheets["人员"][0][5] = "T-2"
    sheets["职务"][0][6] = "T-2"
    sheets["职务"][1][8] = date(2025, 6, 30)

    report = import_workbook(actor=None, file=xlsx(sheets))

    assert counts(report) == {
        "组织": (0, 2, 4),
        "纪检机构": (0, 1, 1),
        "人员": (0, 1, 2),
        "职务": (0, 2, 1),
    }
    assert Org.objects.get(org_no="T").name == "测试市委（新）"
    assert Org.objects.get(org_no="T-2").sort_order == 9
    body = DisciplineBody.objects.get(body_no="TD-2")
    assert list(body.supervised_orgs.values_list("org_no", flat=True)) == ["T-2"]
    assert Person.objects.get(person_no="TP1").org.org_no == "T-2"
    principal = Position.objects.get(person__person_no="TP1")
    assert list(principal.liaison_orgs.values_list("org_no", flat=True)) == ["T-2"]
    assert Position.objects.get(person__person_no="TP2").end_date == date(2025, 6, 30)


def test_it_links_and_relinks_the_units_of_a_portfolio(county: County) -> None:
    sheets = {name: [list(row) for row in rows] for name, rows in GOOD.items()}
    sheets["职务"][2].append("T-1-1；T-2")
    import_workbook(actor=None, file=xlsx(sheets))
    seconded = Position.objects.get(person__person_no="P001", title="挂职副书记")
    assert set(seconded.portfolio_orgs.values_list("org_no", flat=True)) == {"T-1-1", "T-2"}
    assert not seconded.liaison_orgs.exists()

    sheets["职务"][2][9] = "T-2"
    report = import_workbook(actor=None, file=xlsx(sheets))

    assert counts(report)["职务"] == (0, 1, 2)
    assert list(seconded.portfolio_orgs.values_list("org_no", flat=True)) == ["T-2"]
    sheets["职务"][2][9] = "X9"
    problems = problems_of(sheets)
    assert [(p.column, p.reason) for p in problems] == [("分管单位编号", "找不到编号为 X9 的组织")]


def test_it_creates_parents_listed_after_their_children(db: None) -> None:
    sheets = {
        "组织": [
            ["Z-1-1", "孙", "党支部", "支部", "Z-1", None],
            ["Z-1", "子", "党总支", "部门", "Z", None],
            ["Z", "根", "党委", "省", None, None],
        ]
    }

    import_workbook(actor=None, file=xlsx(sheets))

    paths = dict(Org.objects.values_list("org_no", "path"))
    assert paths == {"Z": "0001", "Z-1": "00010001", "Z-1-1": "000100010001"}
    assert Org.objects.get(org_no="Z-1-1").parent == Org.objects.get(org_no="Z-1")


def test_it_refuses_to_move_an_existing_org(county: County) -> None:
    sheets = {"组织": [["C-T1", "城关镇党委", "党委", "乡镇", "C-T2", None]]}

    [problem] = problems_of(sheets)

    assert (problem.row, problem.column) == (2, "上级组织编号")
    assert "不支持移动子树" in problem.reason
    assert Org.objects.get(org_no="C-T1").parent == county.county


def test_it_reports_duplicates_loops_and_unknown_codes(county: County) -> None:
    sheets: dict[str, list[list[Any]]] = {
        "组织": [
            ["L1", "环一", "党委", "市", "L2", None],
            ["L2", "环二", "党委", "市", "L1", None],
            ["L1", "重复", "党委", "市", "", None],
            ["N", "无上级", "党委", "市", "NOPE", "第一"],
        ],
        "职务": [["P001", "C-T1", "纪检委员", "纪检委员", "", "", "X1、C", "2024-02-30", None]],
    }

    problems = [(p.sheet, p.row, p.column, p.reason) for p in problems_of(sheets)]

    assert problems == [
        ("组织", 2, "上级组织编号", "上级组织形成循环"),
        ("组织", 3, "上级组织编号", "上级组织形成循环"),
        ("组织", 4, "组织编号", "与第 2 行重复"),
        ("组织", 5, "上级组织编号", "找不到编号为 NOPE 的组织"),
        ("组织", 5, "排序", "应为不小于 0 的整数"),
        ("职务", 2, "纪检机构编号", "纪检职务必须填写所属纪检机构编号"),
        ("职务", 2, "联系单位编号", "找不到编号为 X1 的组织"),
        ("职务", 2, "任职日期", "「2024-02-30」不是有效日期，应为 Excel 日期或 YYYY-MM-DD"),
    ]


def test_it_skips_blank_rows_and_numbers_rows_as_excel_does(county: County) -> None:
    blank: list[Any] = [None] * 7
    sheets = {
        "人员": [
            blank,
            ["X1", "某甲", "男", "", "", "C", ""],
            blank,
            blank,
            ["X2", "", "男", "", "", "C"],
        ]
    }

    [problem] = problems_of(sheets)

    assert (problem.row, problem.column, problem.reason) == (6, "姓名", "必填，不能为空")


def test_it_names_unknown_and_missing_columns(db: None) -> None:
    headers = ["人员编号", "姓名", "性别*", "是否党员", "职级", "所在单位编号", "电话"]

    problems = problems_of({"人员": [["X", "某", "男", "", "", "C", "123"]]}, 人员=headers)

    assert [(p.row, p.column, p.reason) for p in problems] == [
        (1, "电话", "不是模板中的列，请删除或改正列名"),
        (1, "科室", "缺少这一列"),
    ]


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"not a workbook", "文件不是有效的 Excel 工作簿"),
        (b"\0" * (importing.MAX_BYTES + 1), "文件超过 20 MB"),
    ],
)
def test_it_refuses_a_file_it_cannot_use(
    db: None, tmp_path: Path, content: bytes, reason: str
) -> None:
    path = tmp_path / "bad.xlsx"
    path.write_bytes(content)

    with pytest.raises(ImportFailed) as failed:
        import_workbook(actor=None, file=str(path))

    [problem] = failed.value.problems
    assert str(problem).startswith(reason)


def test_it_refuses_a_workbook_without_known_sheets(db: None) -> None:
    with pytest.raises(ImportFailed) as failed:
        import_workbook(actor=None, file=xlsx({"Sheet1": []}, {"Sheet1": ["a"]}))

    assert "没有可导入的工作表" in failed.value.problems[0].reason


def test_it_lets_only_the_system_admin_import(county: County) -> None:
    with pytest.raises(PermissionDenied):
        import_workbook(actor=county.township_secretary, file=xlsx(GOOD))

    report = import_workbook(actor=county.system_admin, file=xlsx(GOOD))

    assert report.created == 14
    assert AuditEvent.objects.get(verb=AuditEvent.Verb.IMPORT).actor == county.system_admin


@pytest.mark.skipif(
    connection.vendor != "sqlite",
    reason="simulates a backend without RETURNING through SQLite's lastrowid",
)
def test_it_reads_back_pks_where_the_database_cannot_return_them(
    county: County, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(connection.features, "can_return_columns_from_insert", False)

    import_workbook(actor=None, file=xlsx(GOOD))

    principal = Position.objects.get(person__person_no="TP1")
    assert set(principal.liaison_orgs.values_list("org_no", flat=True)) == {"T-1-1", "T-1-1-1"}
    assert Org.objects.get(org_no="T-1-1-1").parent == Org.objects.get(org_no="T-1-1")


def test_it_imports_its_own_template(db: None) -> None:
    report = import_workbook(actor=None, file=BytesIO(importing.template_workbook()))

    assert report.created == 4
    assert Position.objects.get().start_date == date(2024, 1, 1)


@pytest.mark.parametrize("people", [30, 300])
def test_it_imports_in_a_bounded_number_of_queries(
    county: County, people: int, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    sheets = {
        "人员": [[f"Q{n}", f"人员{n}", "男", "是", "股级", "C-T1", ""] for n in range(people)],
        "职务": [
            [f"Q{n}", "C-T1", "班子成员", "委员", "", "", "C-T1-B1", "2024-01-01", ""]
            for n in range(people)
        ],
    }
    file = xlsx(sheets)

    with django_assert_max_num_queries(40):
        import_workbook(actor=None, file=file)

    assert Person.objects.filter(person_no__startswith="Q").count() == people


def test_it_runs_from_the_command_line(
    county: County, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "good.xlsx"
    path.write_bytes(xlsx(GOOD).getvalue())

    call_command("import_orgs", str(path))

    out = capsys.readouterr().out
    assert "good.xlsx 导入完成" in out
    assert "人员：新增 3 条，修改 0 条，未变 0 条" in out


def test_it_fails_on_the_command_line_listing_every_problem(county: County, tmp_path: Path) -> None:
    path = tmp_path / "bad.xlsx"
    path.write_bytes(xlsx(with_rows("人员", (0, 2, "M"), (1, 5, "NOPE"))).getvalue())

    with pytest.raises(CommandError) as failed:
        call_command("import_orgs", str(path))

    message = str(failed.value)
    assert "共 2 处问题" in message
    assert "工作表「人员」第 2 行「性别」" in message
    assert "工作表「人员」第 3 行「所在单位编号」：找不到编号为 NOPE 的组织" in message
    assert not Person.objects.filter(person_no__startswith="TP").exists()


def upload(content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile("组织人员.xlsx", content)


def test_it_imports_from_the_upload_page(login: Login, county: County) -> None:
    client = login(county.system_admin)
    page = client.get("/orgs/import/")
    assert page.status_code == 200
    assert "下载导入模板" in page.content.decode()

    response = client.post("/orgs/import/", {"file": upload(xlsx(GOOD).getvalue())})

    assert response.status_code == 200
    assert response.context["report"].created == 14
    assert 'data-testid="import-report"' in response.content.decode()
    assert Org.objects.filter(org_no="T-1-1-1").exists()


def test_it_shows_the_problems_on_the_upload_page(login: Login, county: County) -> None:
    client = login(county.system_admin)

    response = client.post("/orgs/import/", {"file": upload(b"junk")})

    html = response.content.decode()
    assert 'data-testid="import-problems"' in html
    assert "文件不是有效的 Excel 工作簿" in html


def test_it_forbids_the_upload_page_to_a_township_secretary(login: Login, county: County) -> None:
    client = login(county.township_secretary)

    assert client.get("/orgs/import/").status_code == 403
    response = client.post("/orgs/import/", {"file": upload(xlsx(GOOD).getvalue())})
    assert response.status_code == 403
    assert client.get("/orgs/import/template/").status_code == 403
    assert not Org.objects.filter(org_no="T").exists()


def test_it_answers_405_to_other_methods(login: Login, county: County) -> None:
    client = login(county.system_admin)

    assert client.put("/orgs/import/").status_code == 405
    assert client.post("/orgs/import/template/").status_code == 405


def test_it_serves_the_template_with_the_exact_headers(login: Login, county: County) -> None:
    response = login(county.system_admin).get("/orgs/import/template/")

    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    book = load_workbook(BytesIO(response.content))
    assert book.sheetnames == list(HEADERS)
    # The template has the 分管 units beside the 分管 description.
    positions = [h for h in HEADERS["职务"] if h != "分管单位编号"]
    positions.insert(positions.index("分管工作") + 1, "分管单位编号")
    for name, headers in {**HEADERS, "职务": positions}.items():
        rows = list(book[name].iter_rows(values_only=True))
        assert list(rows[0]) == headers
        assert len(rows) == 2  # headers and one example
    assert book["职务"].column_dimensions["D"].width == 20


def test_it_shows_the_import_entry_to_the_system_admin_only(login: Login, county: County) -> None:
    admin_nav = login(county.system_admin).get("/").context["nav_items"]
    assert "/orgs/import/" in [item["url"] for item in admin_nav]
    secretary_nav = login(county.township_secretary).get("/").context["nav_items"]
    assert "/orgs/import/" not in [item["url"] for item in secretary_nav]


# Written in batches, finished by the same file ------------------------------------------------


def branches(count: int) -> dict[str, list[list[Any]]]:
    return {"组织": [[f"C-Y{n}", f"新支部{n}", "党支部", "支部", "C-T1", n] for n in range(count)]}


def unfinished_run(file: BytesIO, *, minutes_ago: int) -> ImportRun:
    """The record a killed import leaves: started on `file`, not written to since."""
    run = ImportRun.objects.create(
        file_name="组织人员.xlsx",
        sm3=sm3_hex(file.getvalue()),
        rows_total=1200,
        rows_done=600,
        counts={"组织": [1200, 0, 0]},
        touched_org_nos=["C-T1"],
        parent_org_nos=["C-T1"],
    )
    long_ago = timezone.now() - timedelta(minutes=minutes_ago)
    ImportRun.objects.filter(pk=run.pk).update(updated_at=long_ago)
    return run


def test_it_writes_a_long_file_in_batches_and_records_the_run(county: County) -> None:
    report = import_workbook(actor=None, file=xlsx(branches(1200)))

    run = ImportRun.objects.get()
    assert (run.state, run.rows_done, run.rows_total) == (ImportRun.State.DONE, 1200, 1200)
    assert counts(report) == {"组织": (1200, 0, 0)}
    assert (
        Org.objects.get(org_no="C-T1").child_count
        == Org.objects.filter(parent__org_no="C-T1").count()
    )


def test_it_finishes_a_killed_import_when_the_same_file_comes_again(county: County) -> None:
    import_workbook(actor=None, file=xlsx(branches(600)))  # what the killed run had written
    full = xlsx(branches(1200))
    run = unfinished_run(full, minutes_ago=10)

    report = import_workbook(actor=None, file=full)

    run.refresh_from_db()
    assert run.state == ImportRun.State.DONE and run.rows_done == 1200
    # The report is the file's, as first checked, not what the rerun had left to do.
    assert counts(report) == {"组织": (1200, 0, 0)}
    assert Org.objects.filter(org_no__startswith="C-Y").count() == 1200
    parent = Org.objects.get(org_no="C-T1")
    assert parent.child_count == Org.objects.filter(parent=parent).count()


def test_it_refuses_another_file_while_one_is_unfinished(county: County) -> None:
    unfinished_run(xlsx(branches(1200)), minutes_ago=10)
    before = snapshot()

    with pytest.raises(ImportFailed) as failed:
        import_workbook(actor=None, file=xlsx(GOOD))

    assert "组织人员.xlsx」的导入尚未完成（已写入 600 / 1200 行）" in str(failed.value.problems[0])
    assert snapshot() == before


def test_it_does_not_start_the_same_file_twice_at_once(county: County) -> None:
    full = xlsx(branches(1200))
    unfinished_run(full, minutes_ago=0)

    with pytest.raises(ImportFailed) as failed:
        import_workbook(actor=None, file=full)

    assert str(failed.value.problems[0]) == "这个文件正在导入中，请稍后查看结果。"


def test_it_refuses_a_sheet_over_the_row_limit_before_reading_on(
    db: None, settings: Settings
) -> None:
    settings.LIANGZE_ORG_IMPORT_MAX_ROWS = 5
    rows = [[f"X{n}", f"组织{n}", "党委", "县", "", n] for n in range(5)]

    with pytest.raises(ImportFailed) as failed:
        import_workbook(actor=None, file=xlsx({"组织": rows}))

    [problem] = failed.value.problems
    assert str(problem) == ("工作表「组织」超过 5 行的导入上限，请删除多余的行或拆分后分批导入。")
    assert not Org.objects.filter(org_no__startswith="X").exists()
