"""Writes to duties as other apps, the demo and the fixtures call them: one public module.

Catalogues are issued before lists are made from them, and a list is then
carried through its workflow; whoever seeds or drives that from outside duties
calls these names, so the sub-packages can change inside.
"""

from liangze.duties.catalogues.services import (
    SEED_CATALOGUES,
    catalogue_entry_update,
    catalogue_issue,
    catalogue_load,
    catalogue_new_version,
    catalogue_settings_update,
)
from liangze.duties.lists.services import (
    duty_items_save,
    duty_list_create,
    duty_list_discuss,
    duty_list_publish,
    duty_list_review,
    duty_list_revise,
    duty_list_sign,
    duty_list_submit,
    verify_digest,
)

__all__ = [
    "SEED_CATALOGUES",
    "catalogue_entry_update",
    "catalogue_issue",
    "catalogue_load",
    "catalogue_new_version",
    "catalogue_settings_update",
    "duty_items_save",
    "duty_list_create",
    "duty_list_discuss",
    "duty_list_publish",
    "duty_list_review",
    "duty_list_revise",
    "duty_list_sign",
    "duty_list_submit",
    "verify_digest",
]
