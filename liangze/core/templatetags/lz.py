from datetime import date
from typing import Any

from django import template
from django.http import HttpRequest

from liangze.core import jobs, workdays

register = template.Library()


@register.simple_tag(takes_context=True)
def query_with(context: dict[str, Any], **changes: Any) -> str:
    """The current query string with some parameters replaced (keeps filters across pages)."""
    request: HttpRequest = context["request"]
    params = request.GET.copy()
    for key, value in changes.items():
        params[key] = value
    return params.urlencode()


@register.inclusion_tag("components/calendar_warning.html")
def calendar_warning(day: date | None, compact: bool = False) -> dict[str, Any]:
    """A warning beside a working-day deadline in a year whose holidays nobody has entered."""
    unknown = day is not None and not workdays.has_official_calendar(day.year)
    return {"year": day.year if day is not None and unknown else None, "compact": compact}


@register.filter
def job_name(job: str) -> str:
    return jobs.job_name(job)


@register.filter
def job_summary(counts: dict[str, Any]) -> str:
    return jobs.summary_text(counts)
