from datetime import datetime, time
from typing import Any

from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from liangze.core.models import AuditEvent, HolidayYear, JobRun


def audit_events_search(
    *,
    person: str = "",
    obj: str = "",
    verb: str = "",
    since: Any = None,
    until: Any = None,
) -> QuerySet[AuditEvent]:
    """Audit events filtered as the audit admin asks: by person, object, kind and day range."""
    events = AuditEvent.objects.all()
    if person:
        events = events.filter(actor_name__icontains=person)
    if obj:
        events = events.filter(Q(object_label__icontains=obj) | Q(object_code=obj))
    if verb:
        events = events.filter(verb=verb)
    tz = timezone.get_current_timezone()
    if since:
        events = events.filter(at__gte=datetime.combine(since, time.min, tzinfo=tz))
    if until:
        events = events.filter(at__lte=datetime.combine(until, time.max, tzinfo=tz))
    return events


def holiday_years() -> QuerySet[HolidayYear]:
    """The years entered from the State Council's notices, newest first, with who entered them."""
    return HolidayYear.objects.select_related("entered_by")


def job_runs_latest() -> QuerySet[JobRun]:
    """Each job's most recent run, by job name: what ops checks first."""
    newest = JobRun.objects.filter(job=OuterRef("job")).order_by("-started_at").values("pk")[:1]
    return JobRun.objects.filter(pk=Subquery(newest)).order_by("job")


def job_runs_recent() -> QuerySet[JobRun]:
    return JobRun.objects.order_by("-started_at")
