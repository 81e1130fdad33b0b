from uuid import UUID

from django.contrib import messages
from django.contrib.auth import login, logout, update_session_auth_hash
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from liangze.accounts import queries, services
from liangze.accounts.forms import (
    ApiTokenForm,
    LoginForm,
    PasswordChangeForm,
    UserCreateForm,
    UserFilterForm,
)
from liangze.accounts.http import AuthedRequest
from liangze.core.formerrors import validation_errors
from liangze.core.paging import paginate


@require_http_methods(["GET", "POST"])
def login_view(request: AuthedRequest) -> HttpResponse:
    form = LoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.login_check(**form.cleaned_data)
        except services.LoginRefused as refused:
            form.add_error(None, refused.message)
        else:
            login(request, user)
            target = request.GET.get("next", "")
            if not url_has_allowed_host_and_scheme(target, {request.get_host()}):
                target = "/"
            return redirect(target or "/")
    return render(request, "accounts/login.html", {"form": form})


@require_POST
def logout_view(request: AuthedRequest) -> HttpResponse:
    services.logout_recorded(user=request.user)
    logout(request)
    return redirect("accounts:login")


@require_http_methods(["GET", "POST"])
def password_change(request: AuthedRequest) -> HttpResponse:
    form = PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.password_change(user=request.user, new_password=form.cleaned_data["new_password"])
        update_session_auth_hash(request, request.user)
        messages.success(request, _("密码已修改。"))
        return redirect("portal:home")
    return render(request, "accounts/password_change.html", {"form": form})


@require_http_methods(["GET", "POST"])
def users(request: AuthedRequest) -> HttpResponse:
    filters = UserFilterForm(request.GET or None)
    asked = filters.cleaned_data if filters.is_valid() else {}
    found = queries.users_search(
        request.user, text=asked.get("q", ""), admin_role=asked.get("admin_role") or "all"
    )
    form = UserCreateForm(request.POST or None)
    initial_password = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        user, initial_password = services.user_create(
            actor=request.user,
            username=data["username"],
            person=data.get("person"),
            admin_role=data.get("admin_role") or "",
        )
        messages.success(request, _("账号 %(name)s 已创建。") % {"name": user.username})
        form = UserCreateForm()
    context = {
        "filters": filters,
        "form": form,
        "page_obj": paginate(request, found),
        "initial_password": initial_password,
    }
    return render(request, "accounts/users.html", context)


@require_POST
def user_action(request: AuthedRequest, code: UUID, action: str) -> HttpResponse:
    target = queries.get_user_for_security_admin(request.user, code)
    if action == "reset":
        password = services.user_reset_password(actor=request.user, user=target)
        messages.warning(
            request,
            _("%(name)s 的初始密码已重置为 %(password)s ，请当面告知，首次登录须修改。")
            % {"name": target.username, "password": password},
        )
    elif action == "unlock":
        services.user_unlock(actor=request.user, user=target)
        messages.success(request, _("%(name)s 已解锁。") % {"name": target.username})
    elif action in ("disable", "enable"):
        with validation_errors(request=request):
            services.user_set_active(actor=request.user, user=target, active=action == "enable")
    return redirect("accounts:users")


@require_http_methods(["GET", "POST"])
def tokens(request: AuthedRequest) -> HttpResponse:
    form = ApiTokenForm(request.POST or None)
    clear = None
    if request.method == "POST" and form.is_valid():
        _token, clear = services.api_token_create(actor=request.user, **form.cleaned_data)
        form = ApiTokenForm()
    context = {"form": form, "tokens": queries.tokens_of(request.user), "clear": clear}
    return render(request, "accounts/tokens.html", context)


@require_POST
def token_revoke(request: AuthedRequest, code: UUID) -> HttpResponse:
    token = queries.get_own_token(request.user, code)
    services.api_token_revoke(actor=request.user, token=token)
    messages.success(request, _("令牌已吊销。"))
    return redirect("accounts:tokens")
