import hashlib
from collections.abc import Iterable, Iterator
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Count, Model, Q
from django.test import Client
from pytest_django import DjangoDbBlocker

from liangze import access
from liangze.accounts.models import User
from liangze.demo.orgs.generator import UNITS_WITHOUT_COMMITTEE, generate, numeral, spread
from liangze.demo.orgs.logins import DEMO_LOGINS, DEMO_PASSWORD
from liangze.demo.orgs.rows import (
    BODY_COLUMNS,
    ORG_COLUMNS,
    PERSON_COLUMNS,
    POSITION_COLUMNS,
    Builder,
)
from liangze.orgs.models import (
    DisciplineBody,
    GroupRole,
    LeadingGroup,
    Org,
    OrgKind,
    OrgLevel,
    Person,
    Position,
    PositionKind,
)
from liangze.orgs.tree import PATH_STEP
from tests.fixtures.county import person_of

SEED = 2026
CURRENT = Q(positions__end_date__isnull=True)


def _digest(orgs: Iterable[tuple[object, ...]], people: Iterable[tuple[object, ...]]) -> str:
    lines = [f"{no}|{name}|{code}" for no, name, code in sorted(orgs, key=str)]
    lines += [f"{no}|{name}|{code}" for no, name, code in sorted(people, key=str)]
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()


def _generated_digest(seed: int) -> str:
    builder = Builder(seed)
    orgs, people = [], []
    for batch in generate(builder, "county"):
        orgs += [(o.org_no, o.name, o.code) for o in batch.orgs]
        people += [(p.person_no, p.name, p.code) for p in batch.people]
    return _digest(orgs, people)


def _stored_digest() -> str:
    return _digest(
        Org.objects.values_list("org_no", "name", "code"),
        Person.objects.values_list("person_no", "name", "code"),
    )


@pytest.fixture(scope="module")
def seeded(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Iterator[None]:
    """The county demo, loaded once for the module and flushed afterwards."""
    with django_db_blocker.unblock():
        call_command("seed_demo", scale="county", seed=SEED, stdout=StringIO())
        yield
        call_command("flush", interactive=False, verbosity=0)


@pytest.fixture
def demo(seeded: None, db: None) -> dict[str, User]:
    return {u.username: u for u in User.objects.select_related("person__org")}


def test_it_writes_every_column_the_models_have() -> None:
    for columns, model in (
        (ORG_COLUMNS, Org),
        (BODY_COLUMNS, DisciplineBody),
        (PERSON_COLUMNS, Person),
        (POSITION_COLUMNS, Position),
    ):
        assert set(columns) == {f.attname for f in model._meta.concrete_fields}, model


def test_it_generates_the_same_county_for_the_same_seed() -> None:
    assert _generated_digest(SEED) == _generated_digest(SEED)
    assert _generated_digest(SEED) != _generated_digest(SEED + 1)


def test_it_remembers_parents_that_grew_after_they_were_written() -> None:
    builder = Builder(SEED)
    root = builder.org(None, "省委", OrgKind.PARTY_COMMITTEE, OrgLevel.PROVINCE)
    builder.take()
    child = builder.org(root, "市委", OrgKind.PARTY_COMMITTEE, OrgLevel.CITY)
    assert child.path == root.path + "0001"
    assert builder.take_stale() == [root]
    assert root.child_count == 1
    assert builder.take_stale() == []


def test_it_numbers_and_spreads_like_a_clerk_would() -> None:
    assert [numeral(n) for n in (1, 10, 12, 20, 35)] == ["一", "十", "十二", "二十", "三十五"]
    counts = spread(1240, 95, Builder(SEED).rng)
    assert sum(counts) == 1240 and set(counts) == {13, 14}


def test_it_stores_exactly_what_the_seed_generates(demo: dict[str, User]) -> None:
    assert _stored_digest() == _generated_digest(SEED)


def test_it_builds_a_county_of_realistic_size(demo: dict[str, User]) -> None:
    def count(model: type[Model], **lookup: object) -> int:
        return model._default_manager.filter(**lookup).count()

    assert count(Org, depth=1) == 1
    assert 15 <= count(Org, level=OrgLevel.TOWNSHIP) <= 25
    assert 35 <= count(Org, level=OrgLevel.DEPARTMENT) <= 45
    assert 12 <= count(Org, level=OrgLevel.SCHOOL) <= 18
    assert count(Org, kind=OrgKind.BRANCH) > 200
    assert count(Org, kind=OrgKind.GOVERNMENT) == len(UNITS_WITHOUT_COMMITTEE)
    assert 2500 <= count(Person) <= 3500
    assert 0.8 <= count(Person, is_party_member=True) / count(Person) <= 0.9
    assert count(Position, end_date__isnull=False) > 20  # history for the person pages


def test_it_gives_every_committee_one_principal_and_every_branch_one_secretary(
    demo: dict[str, User],
) -> None:
    def holders(kind: str) -> Count:
        return Count("positions", filter=CURRENT & Q(positions__kind=kind))

    committees = Org.objects.exclude(kind=OrgKind.BRANCH).annotate(
        n=holders(PositionKind.PRINCIPAL)
    )
    branches = Org.objects.filter(kind=OrgKind.BRANCH).annotate(
        n=holders(PositionKind.BRANCH_SECRETARY)
    )
    assert set(committees.values_list("n", flat=True)) == {1}
    assert set(branches.values_list("n", flat=True)) == {1}
    members = committees.filter(kind=OrgKind.PARTY_COMMITTEE).annotate(
        m=holders(PositionKind.MEMBER)
    )
    assert all(4 <= m <= 8 for m in members.values_list("m", flat=True))


def test_it_sets_up_the_discipline_bodies(demo: dict[str, User]) -> None:
    county = Org.objects.get(depth=1)
    commission = DisciplineBody.objects.get(org=county, kind=DisciplineBody.Kind.COMMISSION)
    assert list(commission.supervised_orgs.all()) == [county]
    assert commission.positions.count() >= 10
    dispatched = DisciplineBody.objects.filter(kind=DisciplineBody.Kind.DISPATCHED)
    assert 4 <= dispatched.count() <= 6
    spans = dispatched.annotate(n=Count("supervised_orgs")).values_list("n", flat=True)
    assert all(1 <= n <= 10 for n in spans)
    townships = Org.objects.filter(level=OrgLevel.TOWNSHIP)
    assert DisciplineBody.objects.filter(org__in=townships).count() == townships.count()


def test_it_keeps_the_tree_consistent(demo: dict[str, User]) -> None:
    children = dict(
        Org.objects.values_list("pk").annotate(n=Count("children")).values_list("pk", "n")
    )
    paths = dict(Org.objects.values_list("pk", "path"))
    for org in Org.objects.all():
        assert org.child_count == children[org.pk], org
        assert org.depth == len(org.path) // PATH_STEP
        if org.parent_id:
            assert org.path[:-PATH_STEP] == paths[org.parent_id]


def test_it_does_nothing_the_second_time_with_once(demo: dict[str, User]) -> None:
    out = StringIO()
    before = Person.objects.count()
    call_command("seed_demo", scale="county", seed=SEED, once=True, stdout=out)
    assert "已存在" in out.getvalue()
    assert Person.objects.count() == before


def test_it_refuses_to_seed_over_existing_data(demo: dict[str, User]) -> None:
    with pytest.raises(CommandError):
        call_command("seed_demo", scale="county", seed=SEED, stdout=StringIO())


def test_it_lets_every_demo_user_log_in(client: Client, demo: dict[str, User]) -> None:
    assert client.login(username="town_sec", password=DEMO_PASSWORD)
    # One Argon2 check takes most of a second; the others share the hash just verified.
    for login in DEMO_LOGINS:
        user = demo[login.username]
        assert user.password == demo["town_sec"].password, login.username
        assert user.is_active and not user.must_change_password
        assert (user.person_id is None) == bool(login.role)


def test_it_shows_the_township_secretary_exactly_their_township(demo: dict[str, User]) -> None:
    township = person_of(demo["town_sec"]).org
    assert township.level == OrgLevel.TOWNSHIP
    subtree = set(Org.objects.filter(path__startswith=township.path))
    assert len(subtree) > 1
    assert set(access.orgs_visible_to(demo["town_sec"])) == subtree
    assert set(access.orgs_visible_to(demo["town_member"])) == subtree


def test_it_shows_the_county_to_its_leaders_and_discipline_staff(demo: dict[str, User]) -> None:
    everything = Org.objects.count()
    for username in ("county_sec", "jw_sec", "jw_staff"):
        assert access.orgs_visible_to(demo[username]).count() == everything, username


def test_it_limits_the_dispatched_leader_to_the_supervised_departments(
    demo: dict[str, User],
) -> None:
    leader = demo["pz_leader"]
    group = DisciplineBody.objects.get(positions__person=person_of(leader))
    supervised = group.supervised_orgs.all()
    expected = set(Org.objects.filter(Q(pk=person_of(leader).org_id) | _subtrees(supervised)))
    assert set(access.orgs_visible_to(leader)) == expected


def _subtrees(orgs: Iterable[Org]) -> Q:
    q = Q(pk__in=[])
    for org in orgs:
        q |= org.subtree_q()
    return q


def test_it_shows_the_clerk_only_their_own_unit(demo: dict[str, User]) -> None:
    clerk = demo["clerk"]
    assert list(access.orgs_visible_to(clerk)) == [person_of(clerk).org]


def test_it_shows_the_audit_admin_no_orgs(demo: dict[str, User]) -> None:
    assert not access.orgs_visible_to(demo["auditadmin"]).exists()


def test_it_lists_the_demo_logins(demo: dict[str, User]) -> None:
    out = StringIO()
    call_command("demo_logins", stdout=out)
    for login in DEMO_LOGINS:
        assert login.username in out.getvalue()
    assert DEMO_PASSWORD in out.getvalue()


def test_it_seats_the_countys_two_leading_groups(demo: dict[str, User]) -> None:
    call_command("seed_demo_groups", "--once", stdout=StringIO())
    call_command("seed_demo_groups", "--once", stdout=StringIO())
    responsibility, warning = LeadingGroup.objects.order_by("established")
    assert warning.name.endswith("纪委“两书上会”警示教育活动领导小组")
    assert (warning.office_section, responsibility.office_section) == ("宣教室", "监察室")
    leader = warning.memberships.get(role=GroupRole.LEADER)
    assert leader.person == person_of(demo["jw_sec"])
    assert warning.memberships.filter(role=GroupRole.DEPUTY).count() == 2
    assert responsibility.memberships.filter(role=GroupRole.LEADER).count() == 1
    # The demo's 纪检监察干部 directs the 两书上会 office, and so acts in the group's name.
    assert access.acts_for_group(demo["jw_staff"], warning)
    assert not access.acts_for_group(demo["clerk"], warning)
