"""The wording of each notice, drafted from data; the issuer edits it before it goes out.

Pure functions of the gathered facts. The body is plain text, one paragraph a
line; a line opening with 一、 is a first-level heading and one opening with
（一） a second-level one, as GB/T 9704 sets them (黑体, 楷体), so the same text
reads right in the edit box, on the page and in the Word file.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _

from liangze.core.periods import Period
from liangze.notices.sources import (
    QUARTER_NAMES,
    LeadTasks,
    MemberDuties,
    OverdueCell,
    by_item,
)

# A 督办书 names the worst items and points to the ledger for the rest: one page, not ten.
LISTED_ITEMS = 15

NUMERALS = "一二三四五六七八九十"


def numeral(n: int) -> str:
    """1 → 一, 12 → 十二, 25 → 二十五 (enough for the items of any list)."""
    if n <= 10:
        return NUMERALS[n - 1]
    tens, ones = divmod(n, 10)
    head = "十" if tens == 1 else NUMERALS[tens - 1] + "十"
    return head + (NUMERALS[ones - 1] if ones else "")


def day_text(day: date) -> str:
    return _("%(y)d年%(m)d月%(d)d日") % {"y": day.year, "m": day.month, "d": day.day}


def quoted(text: str) -> str:
    """“text”, its own quotes turned to ‘’ as a quote inside a quote is written."""
    inner = text.strip().replace("“", "‘").replace("”", "’")
    return f"“{inner}”"


def periods_text(periods: Sequence[Period]) -> str:
    """2026年1月、2月、3月: the year once for the periods of one year."""
    parts = []
    year = None
    for period in periods:
        label = period.label
        parts.append(label.removeprefix(f"{period.year}年") if period.year == year else label)
        year = period.year
    return "、".join(parts)


@dataclass(frozen=True)
class Draft:
    title: str
    recipient_name: str
    body: str
    cc_text: str = ""


def _measures(measures: Sequence[str]) -> list[str]:
    return [
        _("%(quarter)s：%(text)s") % {"quarter": QUARTER_NAMES[n], "text": text.strip()}
        for n, text in enumerate(measures)
        if text.strip()
    ]


def _requirements(is_principal: bool) -> str:
    """What the recipient answers for, in 002's words for their role.

    The principal is 第一责任人 for the whole unit and leads, pushes and oversees
    the team; a member bears 主要领导责任 under 一岗双责 for what they are in charge of.
    """
    if is_principal:
        duty = _(
            "请切实履行党风廉政建设第一责任人责任，重要工作亲自部署、重大问题亲自过问、"
            "重点环节亲自协调、重要案件亲自督办，管好班子、带好队伍，"
            "督促班子成员履行好“一岗双责”，"
        )
    else:
        duty = _(
            "请严格落实“一岗双责”要求，对分管范围和联系单位的党风廉政建设负主要领导责任，"
            "定期研究、布置、检查和报告分管范围内的党风廉政建设工作情况，"
        )
    return duty + _(
        "按季度落实上述工作措施，及时在工作台账中填报进展、上传佐证材料。"
        "本告知书请于收到后及时签收。"
    )


def duty_notice(issuer_name: str, year: int, member: MemberDuties) -> Draft:
    """责任分工告知书 to one team member: their post, 分管, 联系单位, items by quarter, and what
    they answer for — as 第一责任人 if they lead the team, else under 一岗双责."""
    if member.is_principal:
        opening = _(
            "根据%(year)d年度党风廉政建设责任清单，按照“谁主管、谁负责”的要求，"
            "经%(issuer)s研究，现将你作为党风廉政建设第一责任人的%(year)d年度责任告知如下："
        )
    else:
        opening = _(
            "根据%(year)d年度党风廉政建设责任清单，按照“谁主管、谁负责”和“一岗双责”的要求，"
            "经%(issuer)s研究，现将你%(year)d年度党风廉政建设责任分工告知如下："
        )
    lines = [
        opening % {"year": year, "issuer": issuer_name},
        _("一、职务和分工"),
        _("职务：%(title)s。") % {"title": member.title},
    ]
    if member.portfolio:
        lines.append(_("分管工作：%(text)s。") % {"text": member.portfolio.rstrip("。")})
    if member.liaison:
        lines.append(_("联系单位：%(text)s。") % {"text": "、".join(member.liaison)})
    lines.append(_("二、责任事项"))
    if not member.lines:
        lines.append(_("（本年度责任清单中暂无以你为责任人的事项，请对照清单补充后再发出。）"))
    for n, line in enumerate(member.lines, start=1):
        lines.append(
            _("（%(n)s）%(name)s（%(source)s）")
            % {"n": numeral(n), "name": line.name, "source": line.source}
        )
        if line.task:
            lines.append(_("项目任务：%(task)s") % {"task": line.task.strip()})
        lines += _measures(line.measures)
    lines += [_("三、工作要求"), _requirements(member.is_principal)]
    return Draft(
        title=_("%(year)d年度党风廉政建设责任分工告知书") % {"year": year},
        recipient_name=_("%(name)s同志") % {"name": member.person.name},
        body="\n".join(lines),
    )


def task_notice(issuer_name: str, year: int, lead: LeadTasks) -> Draft:
    """目标任务通知书 to one lead unit: its tasks, their 完成时限, measures and 协办单位."""
    lines = [
        _(
            "根据%(issuer)s%(year)d年度党风廉政建设领导班子主体责任清单，按照“谁主管、谁负责”的原则，"
            "经研究，确定你单位为下列工作任务的牵头单位，现通知如下："
        )
        % {"issuer": issuer_name, "year": year},
        _("一、牵头任务"),
    ]
    for n, (item, assignment) in enumerate(lead.tasks, start=1):
        lines.append(_("（%(n)s）%(name)s") % {"n": numeral(n), "name": item.name})
        if item.task:
            lines.append(_("项目任务：%(task)s") % {"task": item.task.strip()})
        due = (
            day_text(assignment.deadline)
            if assignment.deadline
            else _("按季度工作措施推进，%(year)d年12月31日前全部完成") % {"year": year}
        )
        lines.append(_("完成时限：%(due)s。") % {"due": due})
        assisting = [o.name for o in assignment.assisting_orgs.all()]
        if assisting:
            lines.append(_("协办单位：%(orgs)s。") % {"orgs": "、".join(assisting)})
        lines += _measures(item.measures)
    lines += [
        _("二、工作要求"),
        _(
            "请切实履行牵头抓总责任，会同协办单位制定具体落实方案，明确责任人和时间节点，"
            "按时序进度推进；每季度末将任务进展情况书面报送%(issuer)s，"
            "并在工作台账中填报进展、上传佐证材料。协办单位要主动配合、通力协作。"
        )
        % {"issuer": issuer_name},
    ]
    return Draft(
        title=_("关于下达%(year)d年度党风廉政建设目标任务的通知书") % {"year": year},
        recipient_name=lead.lead.name,
        body="\n".join(lines),
        cc_text="、".join(o.name for o in lead.assisting),
    )


def item_text(cells: Sequence[OverdueCell]) -> str:
    """One item's overdue quarters as a line of a 督办书: which, by when, how late, who."""
    first = cells[0]
    item = first.item
    oldest = min(cells, key=lambda c: c.deadline)
    text = _("《%(list)s》第%(seq)d项%(item)s%(quarters)s工作措施落实情况未按期填报") % {
        "list": item.duty_list.get_list_type_display(),
        "seq": item.seq,
        "item": quoted(item.name),
        "quarters": periods_text([c.period for c in cells]),
    }
    due = {"period": oldest.period.label, "day": day_text(oldest.deadline), "days": oldest.days}
    if len(cells) == 1:
        text += _("，应于%(day)s前填报，已逾期%(days)d个工作日") % due
    else:
        text += _("，其中%(period)s应于%(day)s前填报，已逾期%(days)d个工作日") % due
    if first.responsible is not None:
        text += _("，责任人：%(person)s") % {"person": first.responsible.name}
    return text + "。"


@dataclass(frozen=True)
class Shortfall:
    """A quantified duty unmet, as the escalation ladder found it: the facts, not its message."""

    rule: str
    subject: str  # the person measured; empty when the unit itself is
    periods: Sequence[Period]  # the periods it fell short in, oldest first
    required: int  # of the one period; 0 for a repeated failure, which has no one figure
    actual: int
    deadline: date | None


def shortfall_text(shortfall: Shortfall) -> str:
    """张建国“主要负责人每月谈心谈话”2026年1月、2月、3月未达标。

    A single period says by when and how far short (…应于2026年4月10日前完成，
    未达标（应完成2，实际完成0）); a repeated failure carries no single figure (the
    ladder counts the periods), so none is made up.
    """
    due = ""
    if shortfall.deadline and len(shortfall.periods) == 1:
        due = _("应于%(day)s前完成，") % {"day": day_text(shortfall.deadline)}
    figures = ""
    if shortfall.required:
        figures = _("（应完成%(required)d，实际完成%(actual)d）") % {
            "required": shortfall.required,
            "actual": shortfall.actual,
        }
    return _("%(who)s%(rule)s%(periods)s%(due)s未达标%(figures)s。") % {
        "who": shortfall.subject,
        "rule": quoted(shortfall.rule),
        "periods": periods_text(shortfall.periods),
        "due": due,
        "figures": figures,
    }


def order_notice(
    issuer_name: str,
    year: int,
    recipient_name: str,
    cells: Sequence[OverdueCell],
    *,
    to_person: bool,
    on: date,
    reply_due: date,
    findings: Sequence[str] = (),
    shortfalls: Sequence[Shortfall] = (),
) -> Draft:
    """任务落实督办书 to a member or unit with overdue work: each item, its deadline, the reply due.

    `findings` are further shortfalls in the issuer's words; `shortfalls` the
    quantified duties the escalation ladder found unmet, drafted from their facts.
    The recipient is named once, above the body; no item names the unit again.
    """
    whom = _("你") if to_person else _("你单位")
    # The items with the most lapsed quarters first; among equals, in list order.
    items = sorted(by_item(cells), key=len, reverse=True)
    count = len(items) + len(findings) + len(shortfalls)
    lines = [
        _(
            "经对照%(year)d年度党风廉政建设责任清单和工作台账督查，截至%(day)s，"
            "%(whom)s承担的工作任务进展较差，共有%(count)d项工作任务"
            "（%(cells)d个季度台账）未按期完成："
        )
        % {"year": year, "day": day_text(on), "whom": whom, "count": count, "cells": len(cells)},
        _("一、逾期未完成事项"),
    ]
    texts = [item_text(group) for group in items[:LISTED_ITEMS]]
    texts += [shortfall_text(s) for s in shortfalls] + [f.strip() for f in findings]
    lines += [f"{n}. {text}" for n, text in enumerate(texts, start=1)]
    if len(items) > LISTED_ITEMS:
        lines.append(
            _("另有%(n)d项工作任务逾期未完成，详见工作台账。") % {"n": len(items) - LISTED_ITEMS}
        )
    lines += [
        _("二、督办要求"),
        _(
            "请高度重视，认真分析原因，采取有效措施抓紧落实，于%(due)s前将落实情况书面报送"
            "%(issuer)s，并在工作台账中补录进展、上传佐证材料。"
            "对无正当理由仍未落实的，将依规依纪严肃追究相关人员责任。"
        )
        % {"due": day_text(reply_due), "issuer": issuer_name},
    ]
    return Draft(
        title=_("关于%(year)d年度党风廉政建设工作任务落实情况的督办书") % {"year": year},
        recipient_name=recipient_name,
        body="\n".join(lines),
    )
