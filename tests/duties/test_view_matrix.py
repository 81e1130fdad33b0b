"""Every duties view with a code in its URL: happy path, 405, outsider 404, read-only 403.

The list views act on 城关镇's 2026 collective list; 河口镇's secretary is the outsider.
Catalogues have no scope: every business user reads them, so no outsider exists, and
the one refused is whoever may not do the action (the audit admin reads no business data).
"""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from liangze.duties import services
from liangze.duties.lists import exports
from liangze.duties.models import Catalogue, DutyList, Review
from tests.fixtures.county import CLERK, JW_STAFF, MEMBER, SECRETARY, County
from tests.fixtures.duties import full_rows
from tests.fixtures.evidence import photo
from tests.fixtures.views import (
    View,
    ViewMatrix,
)

pytestmark = pytest.mark.django_db

NO_SCOPE = "catalogues have no scope: every business user reads every one"
READ = "GET only, and whoever sees the list may read it"


@pytest.fixture
def filled(county: County, draft: DutyList) -> DutyList:
    services.duty_items_save(
        actor=county.township_secretary, duty_list=draft, rows=full_rows(draft)
    )
    return draft


@pytest.fixture
def discussed(county: County, filled: DutyList) -> DutyList:
    return services.duty_list_discuss(
        actor=county.township_secretary,
        duty_list=filled,
        on=date(2026, 1, 10),
        meeting="党委会",
        attendees="张建国、李明华",
    )


@pytest.fixture
def accepted(county: County, submitted: DutyList) -> DutyList:
    services.duty_list_review(
        actor=county.discipline_officer, duty_list=submitted, verdict=Review.Verdict.ACCEPTED
    )
    return submitted


@pytest.fixture
def awaiting_member(county: County, member_draft: DutyList, media: None) -> DutyList:
    """李明华's member list, signed by the principal, waiting for his line."""
    services.duty_items_save(
        actor=county.township_member, duty_list=member_draft, rows=full_rows(member_draft, "P002")
    )
    services.duty_list_discuss(
        actor=county.township_member,
        duty_list=member_draft,
        on=date(2026, 1, 10),
        meeting="党委会",
        attendees="张建国、李明华",
    )
    services.duty_list_sign(actor=county.township_secretary, duty_list=member_draft)
    return member_draft


def paper_signature(duty_list: DutyList, county: object) -> dict[str, object]:
    return {"role": "member", "scan": photo("签字页.png")}


def first_entry(catalogue: Catalogue) -> dict[str, object]:
    entry = catalogue.entries.order_by("seq").first()
    assert entry is not None
    return {"code": catalogue.code, "ref": entry.ref}


def its_own_export(duty_list: DutyList, county: object) -> dict[str, object]:
    return {"file": SimpleUploadedFile("责任清单.xlsx", exports.xlsx_bytes(duty_list))}


# View(URL name, object fixture, who may, method, data, status, outsider=…, read_only=…)
VIEWS = [
    # Catalogues ------------------------------------------------------------------------
    View(
        "duties:catalogue",
        "catalogue",
        CLERK,
        outsider=None,
        read_only="audit_admin",
        why=NO_SCOPE,
    ),
    View(
        "duties:catalogue_entry",
        "draft_catalogue",
        "system_admin",
        "post",
        {"name": "改过的名称", "text": "改过的要求"},
        302,
        outsider=None,
        read_only=SECRETARY,
        why=NO_SCOPE,
        url_kwargs=first_entry,
    ),
    View(
        "duties:catalogue_settings",
        "draft_catalogue",
        "system_admin",
        "post",
        {"covers_units_without_committee": "on"},
        302,
        outsider=None,
        read_only=SECRETARY,
        why=NO_SCOPE,
    ),
    View(
        "duties:catalogue_issue",
        "draft_catalogue",
        JW_STAFF,  # a shared draft goes out from the top of the tree (duties.policy)
        "post",
        lambda catalogue, county: {"issuer": county.county.pk, "year": 2026},
        302,
        outsider=None,
        read_only=CLERK,
        why=NO_SCOPE,
    ),
    View(
        "duties:catalogue_new_version",
        "catalogue",
        JW_STAFF,
        "post",
        status=302,
        outsider=None,
        read_only=SECRETARY,
        why=NO_SCOPE,
    ),
    # One list ---------------------------------------------------------------------------
    View("duties:list", "draft", SECRETARY, why=READ),
    View("duties:diff", "draft", SECRETARY, why=READ),
    View("duties:export_xlsx", "draft", SECRETARY, why=READ),
    View("duties:export_docx", "draft", SECRETARY, why=READ),
    View("duties:print", "draft", SECRETARY, why=READ),
    View("duties:edit", "draft", SECRETARY, wrong="put", read_only=JW_STAFF),
    View(
        "duties:import_xlsx", "filled", SECRETARY, "post", its_own_export, 302, read_only=JW_STAFF
    ),
    View(
        "duties:discuss",
        "filled",
        SECRETARY,
        "post",
        {"discussed_on": "2026-01-10", "meeting": "党委会", "attendees": "张建国、李明华"},
        302,
        read_only=JW_STAFF,
    ),
    # The team discusses; only the principal signs the unit's list.
    View("duties:sign", "discussed", SECRETARY, "post", status=302, read_only=MEMBER),
    # A signature made on paper is entered by the principal who gathers them, not the member.
    View(
        "duties:paper_sign",
        "awaiting_member",
        SECRETARY,
        "post",
        paper_signature,
        302,
        read_only=MEMBER,
    ),
    View("duties:submit", "signed", SECRETARY, "post", status=302, read_only=JW_STAFF),
    # The level above reviews; the unit never reviews itself.
    View(
        "duties:review",
        "submitted",
        JW_STAFF,
        "post",
        {"verdict": "accepted", "reason": ""},
        302,
        read_only=SECRETARY,
    ),
    View(
        "duties:publish",
        "accepted",
        SECRETARY,
        "post",
        {"publish_range": "unit"},
        302,
        read_only=JW_STAFF,
    ),
    View("duties:revise", "signed", SECRETARY, "post", status=302, read_only=JW_STAFF),
]


class TestViews(ViewMatrix):
    views = VIEWS
