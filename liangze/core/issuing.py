"""The POST half that every "issue a new version" page shares (rules, ladder, scale)."""

from collections.abc import Callable, Mapping
from typing import Any, Protocol, TypeVar
from uuid import UUID

from django.contrib import messages
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from liangze.core.formerrors import validation_errors


class Issued(Protocol):
    @property
    def version(self) -> int: ...

    @property
    def year(self) -> int: ...


V = TypeVar("V", bound=Issued)


def issue_and_return(
    request: HttpRequest,
    form: Form,
    issue: Callable[[Mapping[str, Any]], V],
    *,
    said: Callable[[V], str],
    page: str,
    org_code: UUID | str,
) -> HttpResponse | None:
    """On a valid POST, issue the version, say so and go back to `page` for its org and year;
    None when the form is to be shown (again, with the service's refusal on its fields)."""
    if request.method != "POST" or not form.is_valid():
        return None
    with validation_errors(form) as attempt:
        version = issue(form.cleaned_data)
    if not attempt.ok:
        return None
    messages.success(request, said(version))
    return redirect(f"{reverse(page)}?org={org_code}&year={version.year}")
