import pytest

from liangze.supervision.inspections import services
from liangze.supervision.models import Inspection, Sample
from tests.fixtures.clients import Api
from tests.fixtures.county import County

pytestmark = pytest.mark.django_db
BASE = "/api/v1/inspections"


def test_it_lists_the_inspections_the_token_owner_sees(
    api: Api, county: County, inspection: Inspection
) -> None:
    body = (
        api(county.discipline_officer).get(f"{BASE}/", {"year": "2026", "kind": "special"}).json()
    )
    assert body["count"] == 1
    row = body["items"][0]
    assert row["code"] == str(inspection.code)
    assert row["kind_label"] == "专项督查"
    assert row["organiser"] == "示范县纪委"
    assert (row["targets"], row["checked"], row["findings"]) == (1, 0, 0)
    assert api(county.dispatched_officer).get(f"{BASE}/").json()["count"] == 0


def test_it_returns_an_inspection_with_its_targets_and_draw(
    api: Api, county: County, inspection: Inspection
) -> None:
    sample = services.sample_draw(actor=county.discipline_officer, inspection=inspection, size=1)
    body = api(county.discipline_officer).get(f"{BASE}/{inspection.code}").json()
    assert [(t["org_no"], t["why"]) for t in body["targets"]] == sorted(
        [("C-T2", "mandatory"), (sample.result[0], "drawn")],
        key=lambda t: {"C-T1": 1, "C-T2": 2, "C-D1": 3}[t[0]],
    )
    assert body["sample"]["seed"] == sample.seed
    assert body["sample"]["population"] == ["C-D1", "C-T1"]
    assert body["sample"]["algorithm"] == "sm3-rank/1"


def test_it_verifies_a_recorded_draw(api: Api, county: County, inspection: Inspection) -> None:
    services.sample_draw(actor=county.discipline_officer, inspection=inspection, size=1)
    body = api(county.discipline_officer).post(f"{BASE}/{inspection.code}/verify-draw").json()
    assert body["ok"] is True
    assert body["recomputed"] == Sample.objects.get().result
    assert body["population_unchanged"] is True


def test_it_answers_404_without_a_draw_or_for_an_outsider(
    api: Api, county: County, inspection: Inspection
) -> None:
    client = api(county.discipline_officer)
    assert client.post(f"{BASE}/{inspection.code}/verify-draw").status_code == 404
    outsider = api(county.dispatched_officer)
    assert outsider.get(f"{BASE}/{inspection.code}").status_code == 404
    assert outsider.post(f"{BASE}/{inspection.code}/verify-draw").status_code == 404


def test_it_gives_no_inspection_without_a_sample_a_null_draw(
    api: Api, county: County, inspection: Inspection
) -> None:
    body = api(county.discipline_officer).get(f"{BASE}/{inspection.code}").json()
    assert body["sample"] is None
    assert body["targets"][0]["reasons"] == "发案单位"
