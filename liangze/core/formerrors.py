"""A service's ValidationError, shown where the user will read it.

Services refuse with `ValidationError` — a message dict naming the fields at
fault, or a plain list — and every page that calls one shows the messages the
same way: a named field's messages under that field, the rest at the top of
the form, or, on pages that redirect or may no longer show the form, as
flash messages on the next page.

    form = ReviewForm(request.POST)
    if form.is_valid():
        with validation_errors(form) as attempt:
            services.duty_list_review(actor=request.user, duty_list=duty_list, **form.cleaned_data)
        if attempt.ok:
            return redirect(duty_list)
    return render(request, "duties/list.html", {"form": form})
"""

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import HttpRequest

from liangze.core.repeats import AlreadyDone


@dataclass
class Attempt:
    """How a service call inside `validation_errors` went."""

    error: ValidationError | None = None
    repeat: AlreadyDone | None = None  # the act was done already: a note was shown, not an error

    @property
    def ok(self) -> bool:
        return self.error is None and self.repeat is None

    @property
    def done(self) -> bool:
        """Done now or before: the page goes on as after success."""
        return self.error is None


def add_validation_error(
    form: Form | None,
    error: ValidationError,
    *,
    request: HttpRequest | None = None,
    aliases: Mapping[str, Sequence[str]] | None = None,
) -> None:
    """Put `error`'s messages on `form`'s fields; the rest on the form, or flashed via `request`.

    `aliases` maps a name the service uses to the form fields that stand for it
    (a notice's `recipient` is `recipient_person` on one form, `recipient_org` on
    another): the first that the form has takes the messages.
    """
    _require_somewhere(form, request)
    rest: list[str] = []
    if hasattr(error, "error_dict"):
        for name, found in error.message_dict.items():
            field = _field_for(form, name, aliases or {})
            if form is not None and field is not None:
                form.add_error(field, found)
            else:
                rest += found
    else:
        rest = list(error.messages)
    if not rest:
        return
    if request is not None:
        for message in rest:
            messages.error(request, message)
    elif form is not None:
        form.add_error(None, rest)


def _field_for(form: Form | None, name: str, aliases: Mapping[str, Sequence[str]]) -> str | None:
    if form is None:
        return None
    return next((f for f in aliases.get(name, (name,)) if f in form.fields), None)


def _require_somewhere(form: Form | None, request: HttpRequest | None) -> None:
    if form is None and request is None:
        raise TypeError("a validation error needs a form or a request to be shown on")


@contextmanager
def validation_errors(
    form: Form | None = None,
    *,
    request: HttpRequest | None = None,
    aliases: Mapping[str, Sequence[str]] | None = None,
) -> Iterator[Attempt]:
    """Run a service call in the block; a ValidationError it raises goes to `add_validation_error`.

    Only ValidationError is caught: PermissionDenied and Http404 still reach
    Django, which answers them as 403 and 404. AlreadyDone (a double click) is
    shown as a note through `request`, and `attempt.done` stays true.
    """
    _require_somewhere(form, request)
    attempt = Attempt()
    try:
        yield attempt
    except AlreadyDone as repeat:
        attempt.repeat = repeat
        for message in repeat.messages:
            if request is not None:
                messages.info(request, message)
    except ValidationError as error:
        attempt.error = error
        add_validation_error(form, error, request=request, aliases=aliases)
