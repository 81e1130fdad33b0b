import pytest


@pytest.fixture(autouse=True)
def evidence_in_tmp(media: None) -> None:
    """Dashboard tests build ledgers with evidence: keep it out of the real media folder."""
