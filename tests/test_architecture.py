"""Reads sit below writes: no `queries` module imports a `services` module.

import-linter checks layers between packages, but `queries` and `services` are
siblings inside every app, and a contract per app would have to be written again
for each new one (and for each sub-package of the ledger). So the rule is checked
here, over the source, for every reads module there is or will be.
"""

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent / "liangze"


def is_queries_module(path: Path) -> bool:
    """`queries.py`, or any module of a `queries` package."""
    return path.name == "queries.py" or "queries" in path.parent.relative_to(ROOT.parent).parts


def queries_modules() -> Iterator[Path]:
    for path in sorted(ROOT.rglob("*.py")):
        if is_queries_module(path):
            yield path


def _package_of(path: Path) -> list[str]:
    return list(path.relative_to(ROOT.parent).with_suffix("").parts[:-1])


def _absolute(node: ast.ImportFrom, package: list[str]) -> str:
    if not node.level:
        return node.module or ""
    base = package[: len(package) - node.level + 1]
    return ".".join([*base, *([node.module] if node.module else [])])


def services_imports(source: str, path: Path) -> list[str]:
    """`line: module` for each import of a services module in `source` (read as `path`)."""
    found = []
    for node in ast.walk(ast.parse(source, filename=str(path))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            module = _absolute(node, _package_of(path))
            # `from liangze.duties import services` names the module as an imported name.
            names = (
                [module]
                if "services" in module.split(".")
                else [f"{module}.{alias.name}" for alias in node.names]
            )
        else:
            continue
        found += [f"{node.lineno}: {n}" for n in names if "services" in n.split(".")]
    return found


def test_it_finds_the_reads_modules() -> None:
    found = {path.relative_to(ROOT).as_posix() for path in queries_modules()}
    assert {
        "duties/queries.py",
        "supervision/queries.py",
        "ledger/entries/queries.py",
        "supervision/reminders/queries.py",
    } <= found


@pytest.mark.parametrize(
    "path", list(queries_modules()), ids=lambda p: p.relative_to(ROOT).as_posix()
)
def test_no_queries_module_imports_services(path: Path) -> None:
    assert services_imports(path.read_text(encoding="utf-8"), path) == []


PLANTED = """
from liangze import access
from liangze.duties import policy, services
from liangze.ledger.services.evidence import evidence_store
from . import services as own
from .services import helper
import liangze.notices.services


def lazy():
    from liangze.supervision import services as later
"""


def test_it_reports_a_planted_violation() -> None:
    path = ROOT / "duties" / "queries.py"
    assert services_imports(PLANTED, path) == [
        "3: liangze.duties.services",
        "4: liangze.ledger.services.evidence",
        "5: liangze.duties.services",
        "6: liangze.duties.services",
        "7: liangze.notices.services",
        "11: liangze.supervision.services",
    ]


def test_it_lets_queries_import_other_reads() -> None:
    source = "from liangze.duties import queries as duty_queries, policy\nfrom . import rules\n"
    assert services_imports(source, ROOT / "ledger" / "queries.py") == []


def test_it_knows_a_queries_package() -> None:
    assert is_queries_module(ROOT / "ledger" / "entries" / "queries.py")
    assert is_queries_module(ROOT / "ledger" / "queries" / "grid.py")
    assert not is_queries_module(ROOT / "ledger" / "services" / "entries.py")
