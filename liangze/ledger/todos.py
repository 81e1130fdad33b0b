"""To-dos from the ledger: entries waiting for the user's 对账销号."""

from collections.abc import Iterator

from django.urls import reverse
from django.utils.translation import gettext as _

from liangze.accounts.models import User
from liangze.core.todos import Todo
from liangze.ledger.entries import queries as entry_queries

LIMIT = 50


def for_user(user: User) -> Iterator[Todo]:
    for entry in entry_queries.pending_verification(user)[:LIMIT]:
        text = f"{entry.item.duty_list.org.name} · {entry.item.name}（{entry.period}）"
        yield Todo(_("核实台账"), text, reverse("ledger:entry", args=[entry.code]))
