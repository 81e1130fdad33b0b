"""The layer contract (docs/architecture.md) holds, covers every module, and bites.

`make lint` runs import-linter on the real tree; these tests show that the
contract fails when a violation is planted in a copy of the tree, and that no
module of liangze escapes it by being named in no layer.
"""

import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "liangze"
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"

# Not part of the running application's import graph: configuration, entry
# points, app registration and schema history.
OUTSIDE_LAYERS = ("liangze.settings", "liangze.wsgi")
OUTSIDE_LEAVES = ("apps", "migrations")


def contract() -> list[dict[str, object]]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    contracts: list[dict[str, object]] = config["tool"]["importlinter"]["contracts"]
    return contracts


def layered_modules() -> set[str]:
    (layers,) = [c["layers"] for c in contract() if c["type"] == "layers"]
    assert isinstance(layers, list)
    names: set[str] = set()
    for layer in layers:
        for part in str(layer).replace("|", ":").split(":"):
            names.add(part.strip())
    return names


def modules_of_package() -> list[str]:
    found = []
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(ROOT).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found.append(".".join(parts))
    return sorted(found)


def test_it_names_every_module_in_some_layer() -> None:
    layered = layered_modules()
    unlayered = [
        module
        for module in modules_of_package()
        if module != "liangze"
        and not module.startswith(OUTSIDE_LAYERS)
        and not any(leaf in module.split(".") for leaf in OUTSIDE_LEAVES)
        and not any(module == name or module.startswith(name + ".") for name in layered)
        # A package whose every module sits in layers (orgs, accounts) is itself empty.
        and not any(name.startswith(module + ".") for name in layered)
    ]
    assert unlayered == []


def lint_copy(tmp_path: Path, planted: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """Run import-linter on a copy of the tree with `planted` files added to it."""
    shutil.copytree(
        PACKAGE, tmp_path / "liangze", ignore=shutil.ignore_patterns("static", "templates")
    )
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    for relative, source in planted.items():
        (tmp_path / relative).write_text(source, encoding="utf-8")
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", "--no-logo"],
        cwd=tmp_path,
        env={"PYTHONPATH": str(tmp_path), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.skipif(not LINT_IMPORTS.exists(), reason="import-linter is installed by make")
def test_it_keeps_the_contract_of_the_real_tree(tmp_path: Path) -> None:
    result = lint_copy(tmp_path, {})
    assert result.returncode == 0, result.stdout


@pytest.mark.skipif(not LINT_IMPORTS.exists(), reason="import-linter is installed by make")
def test_it_fails_on_an_upward_import_from_core(tmp_path: Path) -> None:
    result = lint_copy(tmp_path, {"liangze/core/planted.py": "from liangze.duties import models\n"})
    assert result.returncode != 0
    assert "liangze.core is not allowed to import liangze.duties" in result.stdout


@pytest.mark.skipif(not LINT_IMPORTS.exists(), reason="import-linter is installed by make")
def test_it_fails_when_a_domain_app_reaches_into_another_apps_views(tmp_path: Path) -> None:
    result = lint_copy(
        tmp_path, {"liangze/dashboard/planted.py": "from liangze.ledger.entries import views\n"}
    )
    assert result.returncode != 0
    assert "liangze.dashboard is not allowed to import liangze.ledger" in result.stdout
