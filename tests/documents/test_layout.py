import pytest

from liangze.documents.layout import Cell, Form, Kind, runs, split


def test_it_groups_equal_neighbours_but_never_empty_ones() -> None:
    assert runs(["a", "a", "b", "", "", "a"]) == [(0, 2), (2, 1), (3, 1), (4, 1), (5, 1)]


def test_it_splits_columns_into_label_value_slices() -> None:
    assert split(7, 3) == [3, 2, 2]
    assert split(9, 1) == [9]
    with pytest.raises(ValueError):
        split(5, 3)


def test_it_places_the_label_rows_above_the_column_headers(form: Form) -> None:
    cells = form.cells()
    assert cells[:6] == [
        Cell(0, 0, "单位", Kind.LABEL, center=True),
        Cell(0, 1, "城关镇党委", Kind.VALUE, cols=2),
        Cell(0, 3, "姓名", Kind.LABEL, center=True),
        Cell(0, 4, "张建国", Kind.VALUE),
        Cell(0, 5, "职务", Kind.LABEL, center=True),
        Cell(0, 6, "党委书记", Kind.VALUE),
    ]
    assert form.head_rows == 3 and form.table_rows == 6


def test_it_spans_ungrouped_headers_over_both_header_rows(form: Form) -> None:
    headers = {c.text: c for c in form.cells() if c.kind == Kind.HEADER}
    assert headers["序号"] == Cell(1, 1, "序号", Kind.HEADER, rows=2, center=True)
    assert headers["工作措施和目标要求"] == Cell(
        1, 3, "工作措施和目标要求", Kind.HEADER, cols=4, center=True
    )
    assert headers["二季度"] == Cell(2, 4, "二季度", Kind.HEADER, center=True)


def test_it_merges_equal_names_down_the_body(form: Form) -> None:
    names = [c for c in form.cells() if c.kind == Kind.BODY and c.col == 0]
    assert [(c.row, c.rows, c.text) for c in names] == [(3, 2, "组织领导"), (5, 1, "正风肃纪")]
    seqs = [c for c in form.cells() if c.kind == Kind.BODY and c.col == 1]
    assert [c.rows for c in seqs] == [1, 1, 1]
