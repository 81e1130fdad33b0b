import json
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from liangze.core.models import AuditEvent
from liangze.ledger.indicators.services import SEED_RULES, rule_problems, rules_load
from liangze.ledger.models import Rule

pytestmark = pytest.mark.django_db


def test_it_loads_the_seed_rules_once(db: None) -> None:
    call_command("load_rules")
    call_command("load_rules")
    assert set(Rule.objects.values_list("key", flat=True)) == {
        "tz2017-principal-talks",
        "tz2017-member-talks",
        "tz2017-hearing-meeting",
        "tz2017-party-lecture",
        "tz2017-principal-report",
        "tz2017-reception",
        "tz2017-member-report",
        "tz2017-democratic-life",
        "tz2017-group-study",
        "tz2017-principal-pledge",
        "tz2017-member-hearing",
        "tz2017-discipline-report",
        "js2015-special-inspection",
    }
    assert Rule.objects.count() == 13
    assert AuditEvent.objects.filter(object_type="ledger.rule", verb="create").count() == 13


def test_it_loads_only_valid_rules(db: None) -> None:
    call_command("load_rules")
    for rule in Rule.objects.all():
        rule.full_clean()
        assert rule_problems(rule) == [], rule.key
        assert rule.text and rule.source and rule.issuer_name


def test_it_keeps_a_localitys_changes_when_loaded_again(db: None) -> None:
    call_command("load_rules")
    Rule.objects.filter(key="tz2017-principal-talks").update(threshold_percent=10)
    call_command("load_rules")
    assert Rule.objects.get(key="tz2017-principal-talks").threshold_percent == 10


def _write(tmp_path: Path, **changes: object) -> Path:
    data = json.loads((SEED_RULES / "jiangsu.json").read_text(encoding="utf-8"))
    data["rules"][0].update(changes)
    path = tmp_path / "rules.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"period_kind": "week"}, "周期"),
        ({"threshold_percent": "8"}, "只填写一项"),
        ({"deadline_month": 2, "deadline_day": 30}, "不是有效的月日"),
        ({"deadline_day": 15}, "同时填写"),
        ({"population": "portfolio_heads"}, "不能是单位"),
        ({"colour": "red"}, "未知字段 colour"),
        ({"recipients": ["higher_committee", "mayor"]}, "须报送对象：报送对象须从以下选择"),
        ({"report_kind": "primary"}, "只有书面报告才能规定报告类别"),
    ],
)
def test_it_names_the_rule_and_the_field_of_bad_data(
    db: None, tmp_path: Path, changes: dict[str, object], message: str
) -> None:
    with pytest.raises(ValidationError, match=message) as error:
        rules_load(path=_write(tmp_path, **changes))
    assert "js2015-special-inspection" in error.value.messages[0]
    assert not Rule.objects.exists()
