import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command

from liangze.duties import services
from liangze.duties.models import Catalogue, CatalogueEntry
from tests.fixtures.county import County

pytestmark = pytest.mark.django_db


def counts(key: str) -> dict[str, int]:
    entries = CatalogueEntry.objects.filter(catalogue__key=key)
    return {
        t: entries.filter(list_type=t).count()
        for t in ("collective", "principal", "member", "supervisory")
    }


def test_it_loads_the_two_seed_catalogues_once(db: None) -> None:
    call_command("load_catalogues")
    call_command("load_catalogues")
    assert Catalogue.objects.count() == 2
    # 004: 8 主体责任 + 6 保障措施; the 6 个人责任 split 5/5 (see the fixture's notes); 7 监督责任
    assert counts("tongzhou-2017") == {
        "collective": 14,
        "principal": 5,
        "member": 5,
        "supervisory": 7,
    }
    # 002: 9 collective duties; 领导推动监管自律; 分管指导监管自律; 5 supervisory
    assert counts("guangan-2014") == {
        "collective": 9,
        "principal": 4,
        "member": 4,
        "supervisory": 5,
    }
    # 004: "未设党委（党组）的学校、单位参照执行"
    assert Catalogue.objects.get(key="tongzhou-2017").covers_units_without_committee
    safeguards = CatalogueEntry.objects.filter(catalogue__key="tongzhou-2017", kind="safeguard")
    assert safeguards.count() == 6
    principal = CatalogueEntry.objects.filter(
        catalogue__key="guangan-2014", list_type="principal"
    ).order_by("seq")
    assert [e.name[:2] for e in principal] == ["领导", "推动", "监管", "自律"]


def test_it_freezes_an_issued_catalogue(county: County, catalogue: Catalogue) -> None:
    entry = catalogue.entries.first()
    assert entry is not None
    with pytest.raises(ValidationError, match="已下发"):
        services.catalogue_entry_update(
            actor=county.discipline_officer, entry=entry, name="改", text="改"
        )


def test_it_corrects_an_issued_catalogue_through_a_new_version(
    county: County, catalogue: Catalogue
) -> None:
    fresh = services.catalogue_new_version(actor=county.discipline_officer, catalogue=catalogue)
    entry = fresh.entries.get(ref="TZ-C-01")
    services.catalogue_entry_update(
        actor=county.discipline_officer, entry=entry, name="新名称", text="新要求"
    )
    assert catalogue.entries.get(ref="TZ-C-01").name != "新名称"
    assert fresh.previous == catalogue and fresh.version == 2
    with pytest.raises(ValidationError):
        services.catalogue_new_version(actor=county.discipline_officer, catalogue=catalogue)


def test_it_lets_only_the_issuing_level_issue(county: County, db: None) -> None:
    call_command("load_catalogues")
    catalogue = Catalogue.objects.get(key="guangan-2014")
    with pytest.raises(PermissionDenied):
        services.catalogue_issue(
            actor=county.township_secretary,
            catalogue=catalogue,
            issuer=county.county,
            submit_deadline=None,
        )
