"""Pages of catalogues (责任目录): browse, edit a draft's entries and settings, issue, start a
new version."""

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from liangze import access
from liangze.accounts.http import AuthedRequest
from liangze.accounts.models import User
from liangze.core.formerrors import validation_errors
from liangze.core.paging import paginate
from liangze.duties import policy
from liangze.duties.catalogues import queries, services
from liangze.duties.catalogues.forms import (
    CatalogueEntryForm,
    CatalogueFilterForm,
    CatalogueIssueForm,
    CatalogueSettingsForm,
)
from liangze.duties.models import Catalogue


def _require_catalogue_reader(user: User) -> None:
    """Catalogues are for business users and the system admin, not the other two admins."""
    if access.role(user) not in ("", access.SYSTEM):
        access.require_role(user, access.SYSTEM)


@require_GET
def catalogues(request: AuthedRequest) -> HttpResponse:
    _require_catalogue_reader(request.user)
    form = CatalogueFilterForm(request.GET)
    data = form.cleaned_data if form.is_valid() else {}
    found = queries.catalogue_search(
        request.user,
        text=data.get("q", "").strip(),
        year=data.get("year"),
        status=data.get("status", ""),
    )
    return render(
        request, "duties/catalogues.html", {"form": form, "page_obj": paginate(request, found)}
    )


def _render_catalogue(
    request: AuthedRequest,
    catalogue: Catalogue,
    *,
    bound: tuple[str, CatalogueEntryForm] | None = None,
    issue_form: CatalogueIssueForm | None = None,
    settings_form: CatalogueSettingsForm | None = None,
) -> HttpResponse:
    editable = not catalogue.is_issued and queries.may_edit_catalogue(request.user, catalogue)

    def entry_form(entry: Any) -> CatalogueEntryForm | None:
        if bound is not None and bound[0] == entry.ref:
            return bound[1]
        if not editable:
            return None
        initial = {"name": entry.name, "text": entry.text}
        return CatalogueEntryForm(initial=initial, auto_id=f"id_{entry.ref}_%s")

    sections = [
        (label, [(entry, entry_form(entry)) for entry in entries])
        for label, entries in queries.catalogue_sections(catalogue)
    ]
    if catalogue.is_issued or not queries.issuer_orgs(request.user, catalogue).exists():
        issue_form = None
    elif issue_form is None:
        today = timezone.localdate()
        initial = {"year": today.year, "submit_deadline": catalogue.submit_deadline}
        issue_form = CatalogueIssueForm(request.user, catalogue, initial=initial)
    if editable and settings_form is None:
        initial = {"covers_units_without_committee": catalogue.covers_units_without_committee}
        settings_form = CatalogueSettingsForm(initial=initial)
    context = {
        "catalogue": catalogue,
        "sections": sections,
        "issue_form": issue_form,
        "settings_form": settings_form if editable else None,
        "may_revise": catalogue.is_issued
        and not hasattr(catalogue, "next_version")
        and queries.may_edit_catalogue(request.user, catalogue),
    }
    return render(request, "duties/catalogue.html", context)


@require_GET
def catalogue_detail(request: AuthedRequest, code: UUID) -> HttpResponse:
    _require_catalogue_reader(request.user)
    return _render_catalogue(request, queries.get_catalogue_for_user(request.user, code))


@require_POST
def catalogue_entry(request: AuthedRequest, code: UUID, ref: str) -> HttpResponse:
    _require_catalogue_reader(request.user)
    catalogue = queries.get_catalogue_for_user(request.user, code)
    entry = access.get_within(request.user, catalogue.entries.all(), ref=ref)
    form = CatalogueEntryForm(request.POST, auto_id=f"id_{entry.ref}_%s")
    if form.is_valid():
        with validation_errors(form, request=request) as attempt:
            services.catalogue_entry_update(actor=request.user, entry=entry, **form.cleaned_data)
        if attempt.ok:
            messages.success(request, _("已修改“%(name)s”。") % {"name": entry.name})
            return redirect(reverse("duties:catalogue", args=[code]) + f"#entry-{entry.ref}")
    return _render_catalogue(request, catalogue, bound=(entry.ref, form))


@require_POST
def catalogue_settings(request: AuthedRequest, code: UUID) -> HttpResponse:
    _require_catalogue_reader(request.user)
    catalogue = queries.get_catalogue_for_user(request.user, code)
    form = CatalogueSettingsForm(request.POST)
    if form.is_valid():
        with validation_errors(form, request=request) as attempt:
            services.catalogue_settings_update(
                actor=request.user, catalogue=catalogue, **form.cleaned_data
            )
        if attempt.ok:
            messages.success(request, _("已保存目录设置。"))
            return redirect("duties:catalogue", code=code)
    return _render_catalogue(request, catalogue, settings_form=form)


@require_POST
def catalogue_issue(request: AuthedRequest, code: UUID) -> HttpResponse:
    _require_catalogue_reader(request.user)
    catalogue = queries.get_catalogue_for_user(request.user, code)
    # One with no org to issue this draft from is refused here, not shown an empty choice.
    access.require_any(request.user, policy.ISSUE, Catalogue)
    if not queries.issuer_orgs(request.user, catalogue).exists():
        access.deny(request.user, obj=catalogue, reason=f"no_{policy.ISSUE}", hide=False)
    form = CatalogueIssueForm(request.user, catalogue, request.POST)
    if form.is_valid():
        with validation_errors(form, request=request) as attempt:
            services.catalogue_issue(actor=request.user, catalogue=catalogue, **form.cleaned_data)
        if attempt.ok:
            messages.success(request, _("目录已下发。"))
            return redirect("duties:catalogue", code=code)
    return _render_catalogue(request, catalogue, issue_form=form)


@require_POST
def catalogue_new_version(request: AuthedRequest, code: UUID) -> HttpResponse:
    _require_catalogue_reader(request.user)
    catalogue = queries.get_catalogue_for_user(request.user, code)
    with validation_errors(request=request) as attempt:
        fresh = services.catalogue_new_version(actor=request.user, catalogue=catalogue)
    if not attempt.ok:
        return redirect("duties:catalogue", code=code)
    messages.success(request, _("已创建第 %(n)d 版草稿，修改后请重新下发。") % {"n": fresh.version})
    return redirect("duties:catalogue", code=fresh.code)
