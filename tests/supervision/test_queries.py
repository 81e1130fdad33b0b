from datetime import date

from django.utils import timezone
from pytest_django import DjangoAssertNumQueries

from liangze.supervision import queries
from liangze.supervision.inspections import services
from liangze.supervision.models import Finding, Rectification
from tests.fixtures.county import County
from tests.fixtures.supervision import plan


def test_it_counts_open_rectifications_by_child_in_one_group_by(
    county: County, finding: Finding, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    target = finding.target
    branch_target = services.target_add(
        actor=county.discipline_officer, inspection=finding.inspection, org=county.branch
    )
    hekou_target = finding.inspection.targets.get(org=county.hekou)
    for unit_target, text in ((branch_target, "支部"), (hekou_target, "河口"), (target, "二")):
        services.finding_record(
            actor=county.discipline_officer, target=unit_target, description=f"问题{text}"
        )
    verified = Rectification.objects.get(finding__description="问题二")
    Rectification.objects.filter(pk=verified.pk).update(status=Rectification.Status.VERIFIED)

    with django_assert_max_num_queries(2):
        counts = queries.open_rectifications_by_child(county.county, 2026, timezone.localdate())
    # 城关镇: its own one plus the branch's; 河口镇: one; the verified one is not counted.
    assert counts == {county.chengguan.pk: 2, county.hekou.pk: 1}
    assert queries.open_rectifications_by_child(county.chengguan, 2026, timezone.localdate()) == {
        county.chengguan.pk: 1,
        county.branch.pk: 1,
    }
    assert queries.open_rectifications_by_child(county.county, 2025, timezone.localdate()) == {}


def test_it_counts_only_inspections_of_the_year(county: County, finding: Finding) -> None:
    earlier = plan(
        county,
        year=2025,
        period="2025",
        planned_start=date(2025, 3, 1),
        planned_end=date(2025, 4, 1),
    )
    assert earlier.year == 2025
    assert queries.open_rectifications_by_child(county.county, 2025, timezone.localdate()) == {}
    assert queries.open_rectifications_by_child(county.county, 2026, timezone.localdate()) == {
        county.chengguan.pk: 1
    }
