import pytest

from liangze.duties import services
from liangze.duties.models import Catalogue


@pytest.fixture
def draft_catalogue(db) -> Catalogue:  # type: ignore[no-untyped-def]
    """The 广安 catalogue as loaded: not issued yet, so only the system admin corrects it."""
    loaded, _ = services.catalogue_load(path=services.SEED_CATALOGUES / "guangan.json")
    return loaded
