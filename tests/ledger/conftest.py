import pytest


@pytest.fixture(autouse=True)
def evidence_in_tmp(media: None) -> None:
    """Ledger tests upload evidence: keep it out of the real media folder."""
