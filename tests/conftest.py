import pytest
from django.core.cache import cache
from hypothesis import settings

from liangze.core import workdays

# Property tests check outcomes, not speed (speed lives in bench/): a loaded CI
# machine must not fail them on Hypothesis's 200 ms per-example deadline.
settings.register_profile("liangze", deadline=None)
settings.load_profile("liangze")

# Builders and checks in tests/fixtures assert too: let pytest explain their failures.
pytest.register_assert_rewrite("tests.fixtures")

# Shared fixtures, one module per concern; see tests/fixtures/__init__.py.
pytest_plugins = [
    "tests.fixtures.county",
    "tests.fixtures.clients",
    "tests.fixtures.clock",
    "tests.fixtures.evidence",
    "tests.fixtures.duties",
    "tests.fixtures.ledger",
    "tests.fixtures.groups",
]


@pytest.fixture(autouse=True)
def fresh_cache() -> None:
    """Cached roll-ups must not leak from one test's database into the next."""
    cache.clear()


@pytest.fixture(autouse=True)
def fresh_calendar() -> None:
    """Holiday years entered in one test's database are not known in the next."""
    workdays.forget_entered_years()
