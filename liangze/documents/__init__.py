"""Word and Excel renderers for the official forms, used by every app (DOC-1)."""
