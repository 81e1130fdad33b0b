from collections.abc import Iterator
from datetime import date

import pytest
from django.contrib.auth.models import AnonymousUser

from liangze.accounts.models import User
from liangze.core import todos
from liangze.core.todos import Todo


@pytest.fixture
def provider() -> Iterator[list[Todo]]:
    items: list[Todo] = []

    def listed(user: User) -> list[Todo]:
        return items

    todos.register(listed)
    yield items
    todos._providers.remove(listed)


def test_it_lists_the_newest_deadline_first_and_undated_last(provider: list[Todo]) -> None:
    provider.extend(
        [
            Todo("签收三书", "undated", "/a"),
            Todo("提醒本人", "february", "/b", due=date(2026, 2, 28), overdue=True),
            Todo("制定整改方案", "december", "/c", due=date(2026, 12, 21)),
            Todo("核实台账", "november", "/d", due=date(2026, 11, 30)),
            Todo("提醒主要负责人", "november too", "/e", due=date(2026, 11, 30)),
        ]
    )
    listed = [t.text for t in todos.for_user(AnonymousUser())]
    assert listed == ["december", "november too", "november", "february", "undated"]
