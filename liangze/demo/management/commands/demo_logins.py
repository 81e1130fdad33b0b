import unicodedata
from collections.abc import Sequence
from typing import Any

from django.core.management.base import BaseCommand

from liangze.accounts.models import User
from liangze.demo.orgs.logins import DEMO_LOGINS, DEMO_PASSWORD
from liangze.orgs.models import Person
from liangze.orgs.queries import current_positions_of

HEADERS = ("用户名", "密码", "角色", "人员 · 职务", "单位", "可以做什么")


def _width(text: str) -> int:
    """Columns a terminal gives the text: two for each Chinese character."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _table(rows: Sequence[Sequence[str]]) -> str:
    widths = [max(_width(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = []
    for n, row in enumerate(rows):
        cells = (cell + " " * (w - _width(cell)) for cell, w in zip(row, widths, strict=True))
        lines.append("  ".join(cells).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _post_and_unit(person: Person) -> tuple[str, str]:
    """The person's post and where it is: the discipline body for discipline staff."""
    positions = list(current_positions_of(person).select_related("discipline_body"))
    for position in positions:
        if position.discipline_body is not None:
            return position.title, position.discipline_body.name
    if positions:
        return positions[0].title, positions[0].org.name
    return f"{person.get_rank_display()}（{person.department}）", person.org.name


class Command(BaseCommand):
    help = "列出演示账号：用户名、密码、角色、单位和能做什么。"

    def handle(self, *args: Any, **options: Any) -> None:
        users = {
            u.username: u
            for u in User.objects.filter(
                username__in=[d.username for d in DEMO_LOGINS]
            ).select_related("person__org")
        }
        if not users:
            self.stdout.write("没有演示账号：先运行 manage.py seed_demo。")
            return
        rows = [HEADERS]
        for demo in DEMO_LOGINS:
            user = users.get(demo.username)
            if user is None:
                continue
            who, unit = "—", "—"
            if user.person is not None:
                post, unit = _post_and_unit(user.person)
                who = f"{user.person.name} · {post}"
            rows.append((demo.username, DEMO_PASSWORD, demo.label, who, unit, demo.can))
        self.stdout.write("演示账号（仅用于演示环境）：")
        self.stdout.write(_table(rows))
