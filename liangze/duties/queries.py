"""Duties as other apps read them: one public module, so the sub-packages can change inside.

The ledger reads the lists a user sees, with the relations its pages show.
"""

from liangze.duties.lists.queries import RELATED, duty_lists_visible_to

__all__ = ["RELATED", "duty_lists_visible_to"]
