"""Supervision as other apps read it: one public module, so its inner layout can change.

The dashboard reads open 整改 only through these names.
"""

from liangze.supervision.rectifications.queries import open_rectifications_by_child

__all__ = ["open_rectifications_by_child"]
