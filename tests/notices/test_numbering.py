"""文号: gap-free per issuer, family and year; taken at issue, under a row lock."""

import threading

import pytest
from django.db import IntegrityError, connection, transaction

from liangze.notices import numbering, services
from liangze.notices.models import IssuerCode, Notice, NoticeCounter, NoticeKind
from liangze.notices.sources import Issuer
from tests.fixtures.county import County, build
from tests.fixtures.notices import draft_order


@pytest.mark.parametrize(
    ("name", "mark", "expected"),
    [("示范县委", "委", "示委"), ("县教育局党组", "党组", "教党组"), ("青川县纪委", "纪", "青纪")],
)
def test_it_guesses_an_abbreviation_from_the_name(name: str, mark: str, expected: str) -> None:
    assert numbering.default_abbreviation(name, mark) == expected


def test_it_formats_the_number_as_gb_t_9704_does() -> None:
    assert numbering.format_number("青纪", "督", 2026, 3) == "青纪督〔2026〕3号"


def test_it_numbers_issued_notices_one_after_another(county: County) -> None:
    drafts = [draft_order(county) for _ in range(3)]
    issued = [services.notice_issue(actor=county.discipline_officer, notice=n) for n in drafts]
    assert [n.number for n in issued] == [
        "示纪督〔2026〕1号",
        "示纪督〔2026〕2号",
        "示纪督〔2026〕3号",
    ]
    assert [n.seq for n in issued] == [1, 2, 3]


def test_drafts_take_no_number_and_deleting_one_leaves_no_gap(county: County) -> None:
    first, second, third = (draft_order(county) for _ in range(3))
    services.notice_delete(actor=county.discipline_officer, notice=second)
    numbers = [
        services.notice_issue(actor=county.discipline_officer, notice=n).number
        for n in (third, first)
    ]
    assert numbers == ["示纪督〔2026〕1号", "示纪督〔2026〕2号"]


def test_it_counts_each_issuer_family_and_year_on_its_own(
    county: County, issued_duty: Notice
) -> None:
    order = services.notice_issue(actor=county.discipline_officer, notice=draft_order(county))
    assert issued_duty.number == "城委告〔2026〕1号"
    assert order.number == "示纪督〔2026〕1号"
    with transaction.atomic():
        assert numbering.take_next("o1", "督", 2026) == 1
        assert numbering.take_next("o1", "督", 2027) == 1
        assert numbering.take_next("o1", "告", 2026) == 1
        assert numbering.take_next("o1", "督", 2026) == 2
        assert numbering.take_next("b9", "督", 2026) == 1


def test_a_failed_issue_gives_its_number_back(county: County) -> None:
    notice = draft_order(county)
    with pytest.raises(RuntimeError), transaction.atomic():
        services.notice_issue(actor=county.discipline_officer, notice=notice)
        raise RuntimeError("the printer caught fire")
    notice.refresh_from_db()
    assert notice.status == Notice.Status.DRAFT and notice.number == ""
    issued = services.notice_issue(actor=county.discipline_officer, notice=notice)
    assert issued.number == "示纪督〔2026〕1号"


def test_it_takes_a_number_only_inside_the_issuing_transaction(transactional_db: None) -> None:
    with pytest.raises(RuntimeError, match="inside the issuing transaction"):
        numbering.take_next("o1", "督", 2026)


def test_it_uses_the_issuers_own_abbreviation_once_set(county: County) -> None:
    body = county.county_commission
    services.issuer_code_set(
        actor=county.discipline_officer, issuer=Issuer(body.org, body), abbreviation="示县纪"
    )
    issued = services.notice_issue(actor=county.discipline_officer, notice=draft_order(county))
    assert issued.number == "示县纪督〔2026〕1号"
    assert IssuerCode.objects.get(issuer_key=f"b{body.pk}").abbreviation == "示县纪"


def test_the_database_refuses_the_same_number_twice(county: County, issued_order: Notice) -> None:
    other = draft_order(county)
    with pytest.raises(IntegrityError), transaction.atomic():
        Notice.objects.filter(pk=other.pk).update(seq=issued_order.seq)


def test_issuing_twice_numbers_once(county: County, order: Notice) -> None:
    services.notice_issue(actor=county.discipline_officer, notice=order)
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="不能修改"):
        services.notice_issue(actor=county.discipline_officer, notice=order)
    assert NoticeCounter.objects.get().last == 1


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks need a server; SQLite serialises writes"
)
@pytest.mark.django_db(transaction=True)
def test_concurrent_issues_get_distinct_gap_free_numbers() -> None:
    county = build()
    drafts = [draft_order(county) for _ in range(8)]
    barrier = threading.Barrier(len(drafts))
    errors: list[BaseException] = []

    def issue(notice: Notice) -> None:
        try:
            barrier.wait()
            services.notice_issue(actor=county.discipline_officer, notice=notice)
        except BaseException as error:  # noqa: BLE001 — reported by the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=issue, args=(n,)) for n in drafts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    seqs = Notice.objects.filter(kind=NoticeKind.ORDER).values_list("seq", flat=True)
    assert sorted(seq or 0 for seq in seqs) == list(range(1, 9))
    assert NoticeCounter.objects.get().last == 8
