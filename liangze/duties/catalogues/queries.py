"""Reads behind the catalogue pages and the choices of catalogue and issuer, scoped by access."""

from typing import Any

from django.db.models import Count, Q, QuerySet

from liangze import access
from liangze.accounts.models import User
from liangze.duties import policy
from liangze.duties.models import Catalogue, CatalogueEntry, ListType
from liangze.orgs.models import Org


def issued_catalogues() -> QuerySet[Catalogue]:
    return Catalogue.objects.filter(status=Catalogue.Status.ISSUED).order_by("-year", "title")


def catalogues_visible_to(user: User) -> QuerySet[Catalogue]:
    """On the catalogue pages, where the system admin keeps the seed documents."""
    return Catalogue.objects.filter(access.visible_q(user, Catalogue, administering=True))


def catalogue_search(
    user: User, *, text: str = "", year: int | None = None, status: str = ""
) -> QuerySet[Catalogue]:
    catalogues = (
        catalogues_visible_to(user).select_related("issuer").annotate(entry_count=Count("entries"))
    )
    if text:
        catalogues = catalogues.filter(Q(title__icontains=text) | Q(issuer_name__icontains=text))
    if year:
        catalogues = catalogues.filter(year=year)
    if status:
        catalogues = catalogues.filter(status=status)
    return catalogues.order_by("-year", "key", "-version")


def get_catalogue_for_user(user: User, code: Any, action: str = access.VIEW) -> Catalogue:
    related = Catalogue.objects.select_related("issuer", "previous")
    related = related.prefetch_related("next_version")
    return access.get_for_user(user, related, action, administering=True, code=code)


def catalogue_sections(catalogue: Catalogue) -> list[tuple[Any, list[CatalogueEntry]]]:
    """The entries grouped by list type, in the order of 004 附件1–4."""
    entries = list(catalogue.entries.order_by("seq"))
    return [
        (label, [e for e in entries if e.list_type == value])
        for value, label in ListType.choices
        if any(e.list_type == value for e in entries)
    ]


def may_edit_catalogue(user: User, catalogue: Catalogue) -> bool:
    """Whether catalogue_entry_update / catalogue_new_version will let this user through."""
    return access.user_can(user, policy.EDIT, catalogue)


def issuer_orgs(user: User, draft: Catalogue) -> QuerySet[Org]:
    """Orgs the user may issue `draft` from (policy.draft_issuers)."""
    return Org.objects.filter(pk__in=policy.draft_issuers(user, draft)).order_by("path")
