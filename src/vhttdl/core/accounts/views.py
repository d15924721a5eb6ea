"""Sign-in, profile (API tokens) and the people page. Thin: forms in, services out."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import authenticate
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from vhttdl.core.accounts import selectors, services
from vhttdl.core.accounts.forms import GrantForm, LoginForm, TokenForm
from vhttdl.core.accounts.models import ApiToken, Grant, User
from vhttdl.core.accounts.policy import can, require
from vhttdl.core.accounts.reauth import mark_password_confirmed, password_confirmed_at
from vhttdl.core.accounts.roles import Action
from vhttdl.core.errors import DomainError


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:password_change_done")


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")


def _token_form(request, data=None) -> TokenForm:
    recent = services.password_recent(password_confirmed_at(request.session))
    return TokenForm(data, need_password=not recent)


@login_required
def profile(request):
    """My roles and API tokens. Issuing a token asks for the password again when login is not recent."""
    issued_secret = None
    form = _token_form(request, request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        if form.need_password and authenticate(
            request, username=request.user.get_username(), password=form.cleaned_data["password"]
        ) != request.user:
            form.add_error("password", _("Mật khẩu không đúng."))
        else:
            if form.need_password:
                mark_password_confirmed(request.session)
            try:
                issued = services.api_token_create(
                    actor=request.user, user=request.user, name=form.cleaned_data["name"],
                    days=form.cleaned_data["days"], password_confirmed_at=password_confirmed_at(request.session),
                )
                issued_secret = issued.secret
                form = _token_form(request)
            except DomainError as exc:
                form.add_error(None, exc.message)
    if request.method == "POST" and form.errors:
        status = 400
    return render(request, "accounts/profile.html", {
        "grants": selectors.grants_of(request.user), "tokens": selectors.token_list(user=request.user),
        "form": form, "issued_secret": issued_secret,
    }, status=status)


@login_required
@require_POST
def token_revoke(request, token_id: int):
    token = get_object_or_404(ApiToken, pk=token_id, user=request.user)
    services.api_token_revoke(actor=request.user, token=token)
    messages.success(request, _("Đã thu hồi khóa “%(name)s”.") % {"name": token.name})
    return redirect("accounts:profile")


@login_required
def people(request):
    if not can(request.user, Action.ACCOUNTS_VIEW):
        raise PermissionDenied(_("Bạn không có quyền xem danh sách người dùng."))
    q = request.GET.get("q", "").strip()
    page = Paginator(selectors.user_list(actor=request.user, q=q or None), 50).get_page(request.GET.get("page"))
    form = GrantForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = User.objects.filter(username=form.cleaned_data["username"]).first()
        if user is None:
            form.add_error("username", _("Không có người dùng “%(u)s”.") % {"u": form.cleaned_data["username"]})
        else:
            try:
                services.grant_create(actor=request.user, user=user, role=form.cleaned_data["role"],
                                      organisation=form.cleaned_data["organisation"])
                messages.success(request, _("Đã cấp quyền cho %(u)s.") % {"u": user})
                return redirect(request.get_full_path())
            except DomainError as exc:
                form.add_error(None, exc.message)
    template = "accounts/_people_table.html" if request.htmx else "accounts/people.html"
    return render(request, template, {"page_obj": page, "q": q, "form": form,
                                      "query": f"q={q}" if q else "",
                                      "can_manage": can(request.user, Action.ACCOUNTS_MANAGE)})


@login_required
@require_POST
def grant_revoke(request, grant_id: int):
    grant = get_object_or_404(Grant.objects.select_related("organisation", "user"), pk=grant_id)
    require(request.user, Action.ACCOUNTS_MANAGE, grant.organisation)
    services.grant_revoke(actor=request.user, grant=grant)
    messages.success(request, _("Đã thu hồi quyền."))
    return redirect("accounts:people")
