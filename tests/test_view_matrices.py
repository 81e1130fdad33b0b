"""Every page with a code in its URL has a row in its app's view matrix (STYLE, habit 9).

A new view then cannot ship without its four checks, or a written reason for the
ones that do not apply. The JSON API (namespace `api`) answers in JSON and is
tested by each app's test_api.py.
"""

from collections.abc import Iterator
from importlib import import_module

from django.urls import URLPattern, URLResolver, get_resolver

MATRICES = [
    "tests.accounts.test_view_matrix",
    "tests.duties.test_view_matrix",
    "tests.ledger.test_view_matrix",
    "tests.notices.test_view_matrix",
    "tests.orgs.test_view_matrix",
    "tests.supervision.test_view_matrix",
]


def names_with_a_code(patterns: list[URLPattern | URLResolver], ns: str = "") -> Iterator[str]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{ns}{pattern.namespace}:" if pattern.namespace else ns
            yield from names_with_a_code(pattern.url_patterns, inner)
            continue
        route = pattern.pattern
        if "code" in {*getattr(route, "converters", {}), *route.regex.groupindex}:
            yield f"{ns}{pattern.name}"


def test_it_lists_every_page_with_a_code_in_a_view_matrix() -> None:
    pages = {n for n in names_with_a_code(get_resolver().url_patterns) if not n.startswith("api:")}
    listed = {view.name for module in MATRICES for view in import_module(module).VIEWS}
    assert sorted(pages - listed) == []
    assert sorted(listed - pages) == []
