from typing import Any

from django import template
from django.http import HttpRequest

register = template.Library()


@register.simple_tag(takes_context=True)
def query_with(context: dict[str, Any], **changes: Any) -> str:
    """The current query string with some parameters replaced (keeps filters across pages)."""
    request: HttpRequest = context["request"]
    params = request.GET.copy()
    for key, value in changes.items():
        params[key] = value
    return params.urlencode()
