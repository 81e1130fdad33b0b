from io import BytesIO

from openpyxl import load_workbook

from liangze.core import xlsx


def test_text_that_would_run_is_kept_as_text_and_everything_else_as_it_was() -> None:
    row = ["=1+1", "+cmd", "-2", "@SUM(A1)", "\t=x", "\r=y", "城关镇", "a=b", None, -3, 2.5]
    content = xlsx.workbook_bytes([("表", ["=标题"], [row])])
    sheet = load_workbook(BytesIO(content))["表"]
    header, cells = (list(r) for r in sheet.iter_rows())
    assert (header[0].value, header[0].data_type, header[0].font.b) == ("=标题", "s", True)
    assert [c.value for c in cells] == row
    assert [c.data_type for c in cells] == ["s"] * 8 + ["n", "n", "n"]
    assert [c.quotePrefix for c in cells] == [True] * 6 + [False] * 5
