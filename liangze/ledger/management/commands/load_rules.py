from typing import Any

from django.core.management.base import BaseCommand

from liangze.ledger.indicators import services as rules


class Command(BaseCommand):
    help = "载入随系统提供的量化规则（通州 2017、江苏 2015）；重复执行不会重复载入。"

    def handle(self, *args: Any, **options: Any) -> None:
        for path in sorted(rules.SEED_RULES.glob("*.json")):
            loaded = rules.rules_load(path=path)
            created = sum(1 for _rule, new in loaded if new)
            self.stdout.write(f"{path.name}：{len(loaded)} 条规则，新载入 {created} 条")
