"""Every refusal goes through liangze.access, which writes its `denied` audit event.

A bare `raise PermissionDenied` or `raise Http404` in a view or service refuses
without a trace in the audit trail; so does Django's `get_object_or_404`. This
reads the source (ast, so comments and strings do not count) and names each one.
"""

import ast
from pathlib import Path

import liangze

ROOT = Path(liangze.__file__).resolve().parent
ALLOWED = ROOT / "access"

# Raised or called, by name or as an attribute (`access.PermissionDenied`).
REFUSALS = {
    "PermissionDenied",
    "Http404",
    "get_object_or_404",
    "get_list_or_404",
    "HttpResponseForbidden",
    "HttpResponseNotFound",
}


def _name(node: ast.expr) -> str:
    if isinstance(node, ast.Call):
        node = node.func
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return ""


def refusals_in(source: str, filename: str = "<source>") -> list[tuple[int, str]]:
    """(line, name) of each refusal raised or built outside liangze.access."""
    found: set[tuple[int, str]] = set()
    for node in ast.walk(ast.parse(source, filename)):
        if isinstance(node, ast.Raise) and node.exc is not None:
            name = _name(node.exc)
        elif isinstance(node, ast.Call):
            name = _name(node)
        else:
            continue
        if name in REFUSALS:
            found.add((node.lineno, name))
    return sorted(found)


def scan(root: Path = ROOT, allowed: Path = ALLOWED) -> list[str]:
    return [
        f"{path.relative_to(root.parent)}:{line}: {name}"
        for path in sorted(root.rglob("*.py"))
        if allowed not in path.parents
        for line, name in refusals_in(path.read_text(encoding="utf-8"), str(path))
    ]


def test_it_finds_no_refusal_outside_access() -> None:
    found = scan()
    assert not found, "refuse through access (require, get_for_user, get_within, deny):\n" + (
        "\n".join(found)
    )


# The guard itself --------------------------------------------------------------------------


def test_it_reports_each_form_of_a_bare_refusal() -> None:
    source = """
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from liangze import access


def view(request, code):
    if not request.user.is_staff:
        raise PermissionDenied
    if code is None:
        raise Http404 from None
    if code == 1:
        raise access.PermissionDenied()
    error = Http404("gone")
    return get_object_or_404(Thing, code=code)
"""
    assert refusals_in(source) == [
        (10, "PermissionDenied"),
        (12, "Http404"),
        (14, "PermissionDenied"),
        (15, "Http404"),
        (16, "get_object_or_404"),
    ]


def test_it_ignores_comments_strings_handlers_and_access_itself(tmp_path: Path) -> None:
    source = '''
from django.core.exceptions import PermissionDenied
from liangze import access


def view(request):
    """Would raise PermissionDenied, but access does it."""
    # raise Http404
    message = "raise PermissionDenied"
    try:
        access.require(request.user, "change", request.user)
    except PermissionDenied:
        raise
    return isinstance(message, PermissionDenied)
'''
    assert refusals_in(source) == []
    package = tmp_path / "liangze"
    (package / "access").mkdir(parents=True)
    (package / "access" / "__init__.py").write_text("raise PermissionDenied\n")
    assert scan(package, package / "access") == []


def test_it_fails_when_a_module_refuses_by_itself(tmp_path: Path) -> None:
    package = tmp_path / "liangze"
    (package / "ledger").mkdir(parents=True)
    (package / "ledger" / "views.py").write_text(
        "from django.http import Http404\n\n\ndef page(request):\n    raise Http404\n"
    )
    assert scan(package, package / "access") == ["liangze/ledger/views.py:5: Http404"]
