"""LIST-7 against the database: two townships of one county, one copying the other."""

from datetime import date

import pytest
from django.template.loader import render_to_string

from liangze.accounts.models import User
from liangze.duties import services
from liangze.duties.lists import copydetect
from liangze.duties.models import Catalogue, DutyList, ListType
from tests.duties.test_similarity import Writer, copy_of
from tests.fixtures.county import County

pytestmark = pytest.mark.django_db


def rows(duty_list: DutyList, texts: list[list[str]], person_no: str) -> list[dict[str, str]]:
    """One row per catalogue entry: 项目任务 and four quarters from `texts`."""
    return [
        {
            "entry": item.entry.ref if item.entry else "",
            "name": item.name,
            "task": fields[0],
            "responsible": person_no,
            "department": "党政办",
            **dict(zip(("q1", "q2", "q3", "q4"), fields[1:], strict=True)),
        }
        for item, fields in zip(duty_list.items.select_related("entry"), texts, strict=True)
    ]


def submit(user: User, duty_list: DutyList, texts: list[list[str]], person_no: str) -> DutyList:
    services.duty_items_save(
        actor=user, duty_list=duty_list, rows=rows(duty_list, texts, person_no)
    )
    services.duty_list_discuss(
        actor=user,
        duty_list=duty_list,
        on=date(2026, 1, 10),
        meeting="党委会",
        attendees="全体班子成员",
    )
    services.duty_list_sign(actor=user, duty_list=duty_list)
    duty_list.refresh_from_db()
    return services.duty_list_submit(actor=user, duty_list=duty_list)


def hekou_draft(county: County, catalogue: Catalogue) -> DutyList:
    return services.duty_list_create(
        actor=county.other_township_secretary,
        org=county.hekou,
        year=2026,
        list_type=ListType.COLLECTIVE,
        catalogue=catalogue,
    )


CHENGGUAN = Writer(7).items("城关镇党委", "张建国", n=14)


@pytest.fixture
def original(county: County, draft: DutyList) -> DutyList:
    """城关镇's list, written by itself and submitted."""
    return submit(county.township_secretary, draft, CHENGGUAN, "P001")


@pytest.fixture
def copy(county: County, catalogue: Catalogue, original: DutyList) -> DutyList:
    """河口镇's list: 城关镇's measures renamed, two items swapped, 3 % of characters changed."""
    copied = copy_of(
        CHENGGUAN, {"城关镇党委": "河口镇党委", "城关镇": "河口镇", "张建国": "王志强"}, 0.03
    )
    copied[1], copied[4] = copied[4], copied[1]
    return submit(county.other_township_secretary, hekou_draft(county, catalogue), copied, "P003")


def test_it_flags_a_list_that_copies_a_neighbours_measures(
    original: DutyList, copy: DutyList
) -> None:
    result = copydetect.refresh_similarity(copy)

    assert result.similarity >= 0.9
    assert result.twin == original
    copy.refresh_from_db()
    assert copy.similarity == result.similarity and copy.twin == original
    assert copydetect.flagged(copy)


def test_the_original_is_flagged_too(original: DutyList, copy: DutyList) -> None:
    copydetect.refresh_similarity(copy)

    original.refresh_from_db()
    assert original.twin == copy
    assert original.similarity is not None and original.similarity >= 0.9


def test_an_honest_list_stays_unflagged(
    county: County, catalogue: Catalogue, original: DutyList
) -> None:
    own = Writer(8).items("河口镇党委", "王志强", n=14)
    honest = submit(county.other_township_secretary, hekou_draft(county, catalogue), own, "P003")

    result = copydetect.refresh_similarity(honest)

    assert result.similarity < 0.5
    assert result.twin is None
    assert result.template_similarity < 0.9
    honest.refresh_from_db()
    assert not copydetect.flagged(honest)


def test_measures_pasted_from_the_catalogue_score_high_against_the_template(
    county: County, draft: DutyList
) -> None:
    entries = draft.catalogue.entries.filter(list_type=ListType.COLLECTIVE).order_by("seq")
    pasted = []
    for entry in entries:  # the requirements cut into the four quarters
        sentences = [s for s in entry.text.split("。") if s]
        pasted.append([entry.text, *(sentences[k % len(sentences)] for k in range(4))])
    submit(county.township_secretary, draft, pasted, "P001")

    result = copydetect.refresh_similarity(draft)

    assert result.template_similarity >= 0.9
    assert result.twin is None
    assert copydetect.flagged(draft)


def test_drafts_are_not_compared(county: County, catalogue: Catalogue, original: DutyList) -> None:
    draft_copy = hekou_draft(county, catalogue)
    services.duty_items_save(
        actor=county.other_township_secretary,
        duty_list=draft_copy,
        rows=rows(draft_copy, CHENGGUAN, "P003"),
    )

    assert copydetect.refresh_similarity(original).twin is None


def test_the_reviewer_sees_the_twin_side_by_side(
    county: County, original: DutyList, copy: DutyList
) -> None:
    copydetect.refresh_similarity(copy)
    copy.refresh_from_db()

    comparison = copydetect.twin_comparison(copy, county.discipline_officer)

    assert comparison is not None and comparison.twin == original
    assert len(comparison.rows) == 14
    swapped = comparison.rows[1]
    assert swapped.mine is not None and swapped.theirs is not None
    assert (swapped.mine.seq, swapped.theirs.seq) == (2, 5), "paired by content, not by 序号"
    assert any(s.changed for row in comparison.rows for cell in row.cells for s in cell.mine)
    html = render_to_string("duties/_twin.html", {"duty_list": copy, "comparison": comparison})
    assert "疑似雷同：与「城关镇党委 2026年领导班子主体责任清单」的工作措施相似度" in html
    assert "<mark>" in html


def test_a_unit_is_told_of_the_likeness_but_not_shown_the_other_list(
    county: County, copy: DutyList
) -> None:
    copydetect.refresh_similarity(copy)
    copy.refresh_from_db()

    comparison = copydetect.twin_comparison(copy, county.other_township_secretary)

    assert comparison is not None and comparison.twin is None and comparison.rows == []
    html = render_to_string("duties/_twin.html", {"duty_list": copy, "comparison": comparison})
    assert "与同一上级下另一份清单的工作措施相似度" in html
    assert "城关镇" not in html


def test_there_is_nothing_to_compare_without_a_twin(original: DutyList, county: County) -> None:
    assert copydetect.twin_comparison(original, county.discipline_officer) is None
