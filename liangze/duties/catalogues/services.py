"""Every write to catalogues (责任目录): load, edit a draft, issue, start a new version."""

import json
from datetime import date
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from liangze import access
from liangze.accounts.models import User
from liangze.core import audit
from liangze.duties import policy
from liangze.duties.coverage import tallies
from liangze.duties.models import Catalogue, CatalogueEntry
from liangze.orgs.models import Org

# The seed documents sit beside this module, in the package they belong to.
SEED_CATALOGUES = Path(__file__).resolve().parent


@transaction.atomic
def catalogue_load(*, path: Path) -> tuple[Catalogue, bool]:
    """Load a catalogue data file (see catalogues/*.json); loading it again changes nothing."""
    data = json.loads(path.read_text(encoding="utf-8"))
    existing = Catalogue.objects.filter(key=data["code"], version=1).first()
    if existing is not None:
        return existing, False
    deadline = data.get("submit_deadline")
    catalogue = Catalogue.objects.create(
        key=data["code"],
        title=data["title"],
        issuer_name=data["issuer"],
        year=data["year"],
        submit_deadline=date.fromisoformat(deadline) if deadline else None,
        source=data.get("source", ""),
        notes=data.get("notes", ""),
        covers_units_without_committee=data.get("covers_units_without_committee", True),
    )
    CatalogueEntry.objects.bulk_create(
        CatalogueEntry(
            catalogue=catalogue,
            list_type=section["list_type"],
            ref=entry["code"],
            seq=seq,
            name=entry["name"],
            text=entry["text"],
            kind=entry.get("kind", CatalogueEntry.Kind.DUTY),
            source=entry.get("source", ""),
            note=entry.get("note", ""),
        )
        for section in data["sections"]
        for seq, entry in enumerate(section["responsibilities"], start=1)
    )
    audit.record(actor=None, actor_name="命令行", verb=audit.Verb.CREATE, obj=catalogue)
    return catalogue, True


@transaction.atomic
def catalogue_entry_update(*, actor: User, entry: CatalogueEntry, name: str, text: str) -> None:
    """Edit a responsibility of a draft catalogue; an issued one is frozen."""
    catalogue = entry.catalogue
    access.require(actor, policy.EDIT, catalogue)
    if catalogue.is_issued:
        raise ValidationError(_("目录已下发，不能修改；请创建新版本。"))
    before = {"name": entry.name, "text": entry.text}
    entry.name, entry.text = name.strip(), text.strip()
    entry.full_clean()
    entry.save(update_fields=["name", "text"])
    audit.record(
        actor=actor,
        verb=audit.Verb.UPDATE,
        obj=catalogue,
        data={"entry": entry.ref, **audit.changes(before, {"name": name, "text": text})},
    )


@transaction.atomic
def catalogue_settings_update(
    *, actor: User, catalogue: Catalogue, covers_units_without_committee: bool
) -> None:
    """Change a draft catalogue's settings: whether units without a Party committee are covered."""
    access.require(actor, policy.EDIT, catalogue)
    if catalogue.is_issued:
        raise ValidationError(_("目录已下发，不能修改；请创建新版本。"))
    before = {"covers_units_without_committee": catalogue.covers_units_without_committee}
    after = {"covers_units_without_committee": covers_units_without_committee}
    catalogue.covers_units_without_committee = covers_units_without_committee
    catalogue.save(update_fields=["covers_units_without_committee"])
    audit.record(
        actor=actor, verb=audit.Verb.UPDATE, obj=catalogue, data=audit.changes(before, after)
    )


@transaction.atomic
def catalogue_issue(
    *,
    actor: User | None,
    catalogue: Catalogue,
    issuer: Org,
    submit_deadline: date | None,
    year: int | None = None,
) -> Catalogue:
    """Issue a draft catalogue from `issuer` to its subtree for a year; then it never changes.

    A catalogue loaded from a seed document carries that document's year; the
    issuing level may adopt it for the year it is issuing for.
    """
    if catalogue.is_issued:
        raise ValidationError(_("目录已经下发。"))
    catalogue.issuer = issuer
    # Asked of the draft as it is about to go out: may the actor issue in `issuer`'s name?
    access.require(actor, policy.ISSUE, catalogue)
    catalogue.year = year or catalogue.year
    catalogue.submit_deadline = submit_deadline or catalogue.submit_deadline
    catalogue.status = Catalogue.Status.ISSUED
    catalogue.issued_at = timezone.now()
    catalogue.save(update_fields=["issuer", "year", "submit_deadline", "status", "issued_at"])
    # The deadline decides whose lists the issuer's subtree requires: recount it.
    tallies.rebuild(catalogue.year, issuer)
    audit.record(
        actor=actor,
        verb=audit.Verb.UPDATE,
        obj=catalogue,
        data={
            "status": "issued",
            "issuer": str(issuer.code),
            "covers_units_without_committee": catalogue.covers_units_without_committee,
        },
    )
    return catalogue


@transaction.atomic
def catalogue_new_version(*, actor: User, catalogue: Catalogue) -> Catalogue:
    """A draft copy of an issued catalogue, to be corrected and issued in its place."""
    access.require(actor, policy.EDIT, catalogue)
    if hasattr(catalogue, "next_version"):
        raise ValidationError(_("该目录已有新版本。"))
    fresh = Catalogue.objects.create(
        key=catalogue.key,
        version=catalogue.version + 1,
        previous=catalogue,
        title=catalogue.title,
        issuer_name=catalogue.issuer_name,
        issuer=catalogue.issuer,
        year=catalogue.year,
        submit_deadline=catalogue.submit_deadline,
        source=catalogue.source,
        notes=catalogue.notes,
        covers_units_without_committee=catalogue.covers_units_without_committee,
    )
    CatalogueEntry.objects.bulk_create(
        CatalogueEntry(
            catalogue=fresh,
            **{
                f: getattr(e, f)
                for f in ("list_type", "ref", "seq", "name", "text", "kind", "source", "note")
            },
        )
        for e in catalogue.entries.all()
    )
    audit.record(
        actor=actor, verb=audit.Verb.CREATE, obj=fresh, data={"previous": str(catalogue.code)}
    )
    return fresh
