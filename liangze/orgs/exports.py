from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils import timezone

from liangze.accounts.models import User
from liangze.core import audit, xlsx
from liangze.orgs.models import Person

PEOPLE_HEADERS = ("人员编号", "姓名", "性别", "党员", "职级", "所在单位", "科室")


def people_xlsx(user: User, people: QuerySet[Person]) -> HttpResponse:
    """The filtered people list as a workbook; the export itself is audited."""
    rows = (
        (
            p.person_no,
            p.name,
            p.get_gender_display(),
            "是" if p.is_party_member else "否",
            p.get_rank_display(),
            p.org.name,
            p.department,
        )
        for p in people.iterator(chunk_size=2000)
    )
    content = xlsx.workbook_bytes([("人员", PEOPLE_HEADERS, rows)])
    audit.record(
        actor=user, verb=audit.Verb.EXPORT, label="人员名单", data={"rows": people.count()}
    )
    return xlsx.download(content, f"人员名单-{timezone.localdate():%Y%m%d}.xlsx")
