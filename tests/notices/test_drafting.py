"""The wording, without the database: numerals, headings, and a long 督办书 cut to one page."""

from dataclasses import dataclass
from datetime import date

from liangze.core.periods import Period
from liangze.notices import document, drafting
from liangze.notices.sources import MemberDuties, OverdueCell
from liangze.orgs.models import Person


def test_it_writes_chinese_numerals() -> None:
    assert [drafting.numeral(n) for n in (1, 10, 11, 20, 25)] == [
        "一",
        "十",
        "十一",
        "二十",
        "二十五",
    ]


def test_it_tells_headings_from_text() -> None:
    assert document.paragraph_level("一、职务和分工") == 1
    assert document.paragraph_level("（十二）督促检查") == 2
    assert document.paragraph_level("1. 逾期事项") == 0
    assert document.paragraph_level("职务：党委副书记。") == 0


@dataclass
class _List:
    def get_list_type_display(self) -> str:
        return "领导班子主体责任清单"

    person = None


@dataclass
class _Item:
    pk: int
    name: str
    duty_list: _List
    responsible: None = None
    seq: int = 1

    @property
    def measures(self) -> list[str]:
        return ["一", "二", "三", "四"]


def cells(items: int, quarters: int = 3) -> list[OverdueCell]:
    return [
        OverdueCell(
            item=_Item(n, f"事项{n}", _List()),  # type: ignore[arg-type]  # a stand-in for DutyItem
            period=Period(2026, "quarter", q),
            deadline=date(2026, 3 * q + 1, 8),
            days=100 - 20 * q,
            responsible=None,
        )
        for n in range(1, items + 1)
        for q in range(1, quarters + 1)
    ]


def order(found: list[OverdueCell]) -> str:
    return drafting.order_notice(
        "示范县纪委",
        2026,
        "城关镇党委",
        found,
        to_person=False,
        on=date(2026, 11, 23),
        reply_due=date(2026, 12, 7),
    ).body


def test_an_order_lists_each_item_once_with_its_quarters() -> None:
    body = order(cells(2))
    assert "共有2项工作任务（6个季度台账）未按期完成" in body
    assert (
        "1. 《领导班子主体责任清单》第1项“事项1”2026年一季度、二季度、三季度"
        "工作措施落实情况未按期填报，其中2026年一季度应于2026年4月8日前填报，已逾期80个工作日。"
    ) in body
    assert "于2026年12月7日前将落实情况书面报送示范县纪委" in body


def test_a_long_order_names_the_worst_items_and_points_to_the_ledger() -> None:
    found = cells(20, 1) + cells(1, 3)[:0]
    worst = cells(1, 3)
    worst = [
        OverdueCell(
            _Item(99, "最差事项", _List()),  # type: ignore[arg-type]  # a stand-in for DutyItem
            c.period,
            c.deadline,
            c.days,
            None,
        )
        for c in worst
    ]
    body = order(found + worst)
    lines = body.splitlines()
    assert lines[2].startswith("1. 《领导班子主体责任清单》第1项“最差事项”2026年一季度、二季度")
    listed = [line for line in lines if line[:1].isdigit()]
    assert len(listed) == drafting.LISTED_ITEMS
    assert "另有6项工作任务逾期未完成，详见工作台账。" in body


def test_a_quantified_duty_is_written_from_its_facts_with_nested_quotes() -> None:
    once = drafting.Shortfall(
        rule="“第一议题”学习",
        subject="",
        periods=[Period(2026, "quarter", 1)],
        required=3,
        actual=1,
        deadline=date(2026, 4, 10),
    )
    assert drafting.shortfall_text(once) == (
        "“‘第一议题’学习”2026年一季度应于2026年4月10日前完成，未达标（应完成3，实际完成1）。"
    )
    repeated = drafting.Shortfall(
        rule="主要负责人每月谈心谈话",
        subject="张建国",
        periods=[Period(2025, "month", 12), Period(2026, "month", 1), Period(2026, "month", 2)],
        required=0,
        actual=0,
        deadline=None,
    )
    assert drafting.shortfall_text(repeated) == (
        "张建国“主要负责人每月谈心谈话”2025年12月、2026年1月、2月未达标。"
    )


def duty_body(*, is_principal: bool) -> str:
    member = MemberDuties(
        person=Person(name="张建国"),
        title="党委书记" if is_principal else "党委副书记",
        is_principal=is_principal,
        portfolio="" if is_principal else "党建、宣传",
        liaison=(),
        lines=(),
        source_list=None,
    )
    return drafting.duty_notice("城关镇党委", 2026, member).body


def test_the_principals_duty_notice_names_him_first_responsible_person() -> None:
    body = duty_body(is_principal=True)
    assert "第一责任人" in body
    assert "重要工作亲自部署" in body
    assert "直接领导责任" not in body
    assert "主要领导责任" not in body


def test_a_members_duty_notice_gives_leading_responsibility_for_their_portfolio() -> None:
    body = duty_body(is_principal=False)
    assert "对分管范围和联系单位的党风廉政建设负主要领导责任" in body
    assert "“一岗双责”" in body
    assert "第一责任人" not in body
    assert "直接领导责任" not in body
