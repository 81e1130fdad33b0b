from liangze.duties.lists.diffing import Segment, diff_versions, segments


def row(seq: int, name: str, entry: str = "", **fields: str) -> dict[str, object]:
    base = {"task": "", "responsible": "张建国", "department": "党政办"}
    base |= {q: f"{name}{q}" for q in ("q1", "q2", "q3", "q4")}
    return {"seq": seq, "entry": entry, "name": name, **base, **fields}


def test_it_reports_nothing_for_identical_versions() -> None:
    rows = [row(1, "甲", "C-01"), row(2, "乙", "C-02")]
    assert [d.kind for d in diff_versions(rows, rows)] == ["unchanged", "unchanged"]


def test_it_names_the_changed_field_with_old_and_new_text() -> None:
    old = [row(1, "甲", "C-01", q3="每季度开展一次谈话")]
    new = [row(1, "甲", "C-01", q3="每月开展一次谈话")]
    (diff,) = diff_versions(old, new)
    assert diff.kind == "changed"
    (change,) = diff.changes
    assert (change.field, str(change.label), change.old, change.new) == (
        "q3",
        "三季度",
        "每季度开展一次谈话",
        "每月开展一次谈话",
    )
    assert change.segments == (
        Segment("equal", "每"),
        Segment("delete", "季度"),
        Segment("insert", "月"),
        Segment("equal", "开展一次谈话"),
    )


def test_it_pairs_catalogue_rows_by_entry_even_when_they_move() -> None:
    old = [row(1, "甲", "C-01"), row(2, "乙", "C-02")]
    new = [row(1, "自选一"), row(2, "甲", "C-01"), row(3, "乙", "C-02")]
    diffs = diff_versions(old, new)
    assert [(d.kind, d.name, d.old_seq, d.new_seq) for d in diffs] == [
        ("added", "自选一", None, 1),
        ("changed", "甲", 1, 2),
        ("changed", "乙", 2, 3),
    ]
    assert diffs[1].moved and diffs[1].changes == []


def test_it_pairs_own_rows_by_name_so_an_insertion_does_not_shift_them() -> None:
    old = [row(1, "自选甲"), row(2, "自选乙")]
    new = [row(1, "自选甲"), row(2, "自选新"), row(3, "自选乙")]
    assert [(d.kind, d.name) for d in diff_versions(old, new)] == [
        ("unchanged", "自选甲"),
        ("added", "自选新"),
        ("changed", "自选乙"),  # moved from 2 to 3
    ]


def test_it_shows_a_removed_row_where_it_stood() -> None:
    old = [row(1, "甲", "C-01"), row(2, "乙", "C-02"), row(3, "丙", "C-03")]
    new = [row(1, "甲", "C-01"), row(2, "丙", "C-03")]
    diffs = diff_versions(old, new)
    assert [(d.kind, d.name) for d in diffs] == [
        ("unchanged", "甲"),
        ("removed", "乙"),
        ("changed", "丙"),
    ]


def test_it_pairs_a_renamed_row_of_the_same_entry() -> None:
    old = [row(1, "甲", "C-01")]
    new = [row(1, "甲（细化）", "C-01")]
    (diff,) = diff_versions(old, new)
    assert diff.kind == "changed"
    assert [c.field for c in diff.changes] == ["name", "q1", "q2", "q3", "q4"]


def test_it_splits_text_into_kept_deleted_and_inserted_runs() -> None:
    assert segments("", "新") == (Segment("insert", "新"),)
    assert segments("旧", "") == (Segment("delete", "旧"),)
    assert segments("同", "同") == (Segment("equal", "同"),)
