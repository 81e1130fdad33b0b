"""Writes of the quantified duties (量化规则, RULE-2, RULE-3): loading the defaults that
ship with the system, and the versions an org issues for its subtree."""

import json
from datetime import date
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from liangze import access
from liangze.accounts.models import User
from liangze.core import audit, versions
from liangze.ledger import policy
from liangze.ledger.indicators.jurisdiction import RuleBook, loosening
from liangze.ledger.models import ActivityKind, Rule
from liangze.orgs.models import Org

SEED_RULES = Path(__file__).resolve().parent / "rules"
FIELDS = frozenset(
    {
        "key",
        "version",
        "year",
        "issuer_name",
        "name",
        "text",
        "source",
        "actor",
        "activity_kind",
        "subject_contains",
        "report_kind",
        "recipients",
        "population",
        "period_kind",
        "threshold_count",
        "threshold_percent",
        "deadline_month",
        "deadline_day",
        "evidence_workdays",
        "is_active",
        "allow_tighten",
    }
)
# What a level may set in its own version; the rest (who, which activity, how counted,
# how often) is the rule's identity and follows the version it tightens.
EDITABLE = (
    "year",
    "name",
    "text",
    "source",
    "threshold_count",
    "threshold_percent",
    "deadline_month",
    "deadline_day",
    "evidence_workdays",
    "allow_tighten",
)


def rule_problems(rule: Rule) -> list[str]:
    """What makes a rule impossible to compute, beyond what its fields check one by one."""
    problems = []
    if (rule.threshold_count is None) == (rule.threshold_percent is None):
        problems.append(_("“至少次数/人数”和“比例”必须填写且只填写一项。"))
    if rule.threshold_percent is not None and rule.population == Rule.Population.NONE:
        problems.append(_("按比例计算的规则必须指定比例基数。"))
    if rule.population != Rule.Population.NONE and rule.actor in (
        Rule.Actor.UNIT,
        Rule.Actor.COMMITTEE,
    ):
        problems.append(_("比例基数按人计算，责任主体不能是单位。"))
    if (rule.report_kind or rule.recipients) and rule.activity_kind != ActivityKind.WRITTEN_REPORT:
        problems.append(_("只有书面报告才能规定报告类别和报送对象。"))
    if (rule.deadline_month is None) != (rule.deadline_day is None):
        problems.append(_("截止月和截止日必须同时填写。"))
    elif rule.deadline_month is not None and rule.deadline_day is not None:
        try:
            # A non-leap year: a deadline of 2月29日 would not exist most years.
            date(2001, rule.deadline_month, rule.deadline_day)
        except ValueError:
            problems.append(_("截止日期不是有效的月日。"))
    return problems


def _field_errors(error: ValidationError) -> list[str]:
    """Each message with the name of its field, so that the data file can be corrected."""
    labels = {field.name: str(field.verbose_name) for field in Rule._meta.fields}
    named = []
    for field, messages in error.message_dict.items():
        label = labels.get(field)
        named += [f"{label}：{message}" if label else message for message in messages]
    return named


def _rule(entry: dict[str, Any]) -> Rule:
    unknown = sorted(set(entry) - FIELDS)
    problems = [_("未知字段 %(fields)s。") % {"fields": "、".join(unknown)}] if unknown else []
    rule = Rule(**{name: value for name, value in entry.items() if name in FIELDS})
    try:
        rule.full_clean()
    except ValidationError as error:
        problems += _field_errors(error)
    problems += rule_problems(rule)
    if problems:
        raise ValidationError(
            _("规则 %(key)s 不正确：%(problems)s")
            % {"key": entry.get("key", "?"), "problems": " ".join(problems)}
        )
    return rule


@transaction.atomic
def rules_load(*, path: Path) -> list[tuple[Rule, bool]]:
    """Load a rule data file (see rules/*.json); a rule already there is left as it is.

    A locality may have edited a loaded rule (its 8%, its date): loading the
    file again must not undo that, so existing (key, version) pairs are skipped.
    """
    data = json.loads(path.read_text(encoding="utf-8"))
    loaded: list[tuple[Rule, bool]] = []
    for entry in data["rules"]:
        existing = Rule.objects.filter(key=entry["key"], version=entry.get("version", 1)).first()
        if existing is not None:
            loaded.append((existing, False))
            continue
        rule = _rule(entry)
        rule.save()
        audit.record(actor=None, actor_name="命令行", verb=audit.Verb.CREATE, obj=rule)
        loaded.append((rule, True))
    return loaded


@transaction.atomic
def rule_issue(*, actor: User | None, key: str, issuer: Org, **changes: Any) -> Rule:
    """A new version of rule `key` issued by `issuer` for its subtree from `changes["year"]` on.

    Never an edit: every earlier version stays as it was, for the figures of the years
    it governed. The version starts from the one governing the issuer that year, takes
    `changes` (EDITABLE fields), needs its source (出处) and may only tighten the
    version governing the level above, where that one allows it (jurisdiction).
    """
    unknown = sorted(set(changes) - set(EDITABLE))
    if unknown:
        raise ValueError(f"not editable in a rule version: {unknown}")
    year = changes.get("year")
    if not isinstance(year, int):
        raise ValidationError({"year": _("请填写适用年度。")})
    book = RuleBook.load(year)
    base = book.governing(issuer.path).get(key)
    if base is None:
        raise ValidationError({"year": _("%(year)s年度没有该规则可以修订。") % {"year": year}})
    rule = Rule(
        **{f.name: getattr(base, f.name) for f in Rule._meta.concrete_fields if f.name in FIELDS},
    )
    for name, value in changes.items():
        setattr(rule, name, value)
    rule.issuer = issuer
    rule.issuer_name = issuer.name
    rule.is_active = True
    rule.version = versions.next_number(Rule.objects.filter(key=key))
    access.require(actor, policy.ISSUE, rule)
    problems: dict[str, list[str]] = {}
    if not rule.source.strip():
        problems["source"] = [_("请注明本版本的出处（文件名称、文号或会议决定）。")]
    try:
        rule.full_clean()
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            problems.setdefault(field, []).extend(messages)
    if whole := rule_problems(rule):
        problems.setdefault("__all__", []).extend(whole)
    upper = book.upper(issuer.path, key)
    if upper is not None:
        for field, messages in loosening(rule, upper).items():
            problems.setdefault(field, []).extend(messages)
    if problems:
        raise ValidationError(problems)
    versions.save_new_version(rule)
    audit.record(
        actor=actor,
        verb=audit.Verb.CREATE,
        obj=rule,
        data={
            "key": rule.key,
            "version": rule.version,
            "issuer": issuer.name,
            "year": rule.year,
            "based_on": base.version,
            "source": rule.source,
        },
    )
    return rule
