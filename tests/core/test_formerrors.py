import pytest
from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.test import RequestFactory

from liangze.core.formerrors import add_validation_error, validation_errors


class ReasonForm(forms.Form):
    reason = forms.CharField()
    recipient_org = forms.CharField(required=False)


def bound() -> ReasonForm:
    form = ReasonForm({"reason": "理由"})
    assert form.is_valid()
    return form


def request_with_messages() -> HttpRequest:
    request = RequestFactory().post("/")
    request.session = {}  # type: ignore[assignment]  # a plain dict will do as the session here
    request._messages = FallbackStorage(request)  # type: ignore[attr-defined]  # set by MessageMiddleware
    return request


def flashed(request: HttpRequest) -> list[str]:
    return [str(m) for m in get_messages(request)]


def test_it_puts_a_services_field_error_on_that_field() -> None:
    form = bound()
    with validation_errors(form) as attempt:
        raise ValidationError({"reason": "退回必须写明理由。"})
    assert not attempt.ok
    assert form.errors == {"reason": ["退回必须写明理由。"]}
    assert not form.non_field_errors()


def test_it_puts_a_plain_validation_error_at_the_top_of_the_form() -> None:
    form = bound()
    with validation_errors(form) as attempt:
        raise ValidationError(["清单已签字，不能修改。", "请先生成新版本。"])
    assert not attempt.ok
    assert form.non_field_errors() == ["清单已签字，不能修改。", "请先生成新版本。"]
    assert "reason" not in form.errors


def test_it_puts_a_field_the_form_lacks_at_the_top() -> None:
    form = bound()
    with validation_errors(form):
        raise ValidationError({"period": "期间不正确。", "reason": "太短。"})
    assert form.non_field_errors() == ["期间不正确。"]
    assert form.errors["reason"] == ["太短。"]


def test_it_maps_a_services_name_onto_the_field_that_stands_for_it() -> None:
    form = bound()
    with validation_errors(form, aliases={"recipient": ("recipient_person", "recipient_org")}):
        raise ValidationError({"recipient": "主送对象不在管辖范围内。"})
    assert form.errors == {"recipient_org": ["主送对象不在管辖范围内。"]}


def test_it_flashes_what_has_no_field_when_given_the_request() -> None:
    form, request = bound(), request_with_messages()
    with validation_errors(form, request=request):
        raise ValidationError({"reason": "太短。", "__all__": "已经审核过了。"})
    assert form.errors == {"reason": ["太短。"]}
    assert flashed(request) == ["已经审核过了。"]


def test_it_flashes_everything_without_a_form() -> None:
    request = request_with_messages()
    with validation_errors(request=request) as attempt:
        raise ValidationError("只有经过集体讨论的清单才能签字。")
    assert not attempt.ok
    assert attempt.error is not None
    assert flashed(request) == ["只有经过集体讨论的清单才能签字。"]


def test_it_says_ok_when_the_service_goes_through() -> None:
    form = bound()
    with validation_errors(form) as attempt:
        done = "签字"
    assert attempt.ok and done == "签字"
    assert not form.errors


def test_it_lets_access_refusals_through() -> None:
    with pytest.raises(PermissionDenied), validation_errors(bound()):
        raise PermissionDenied


def test_it_needs_somewhere_to_show_the_messages() -> None:
    with pytest.raises(TypeError):
        add_validation_error(None, ValidationError("x"))
    with pytest.raises(TypeError), validation_errors():
        pass
