from hypothesis import given
from hypothesis import strategies as st

from liangze.orgs.tree import PATH_ALPHABET, ancestor_paths, child_path, subtree_bounds

steps = st.text(alphabet=PATH_ALPHABET, min_size=4, max_size=4)
paths = st.lists(steps, min_size=1, max_size=5).map("".join)


@given(paths, paths)
def test_it_bounds_exactly_the_subtree(root: str, other: str) -> None:
    low, high = subtree_bounds(root)
    inside = low <= other and (high is None or other < high)
    assert inside == other.startswith(root)


def test_it_carries_over_the_last_step() -> None:
    assert subtree_bounds("0001ZZZZ") == ("0001ZZZZ", "0002")
    assert subtree_bounds("ZZZZ") == ("ZZZZ", None)


def test_it_numbers_children_and_lists_ancestors() -> None:
    assert child_path("0001", 37) == "00010011"
    assert ancestor_paths("000100020003") == ["0001", "00010002"]
