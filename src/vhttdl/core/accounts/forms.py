from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from vhttdl.core.accounts.roles import Role
from vhttdl.core.units.models import Organisation


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _("Tên đăng nhập hoặc mật khẩu không đúng. Lưu ý: mật khẩu phân biệt chữ hoa, chữ thường."),
        "inactive": _("Tài khoản này đã bị khóa."),
    }


class TokenForm(forms.Form):
    """A new API token. `need_password`: the session's password is older than the re-entry window."""

    name = forms.CharField(label=_("Tên khóa"), max_length=100, help_text=_("Ví dụ: máy chủ đồng bộ số liệu"))
    days = forms.IntegerField(label=_("Thời hạn (ngày)"), min_value=1, max_value=366, initial=90)
    password = forms.CharField(
        label=_("Mật khẩu của bạn"), widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=_("Nhập lại mật khẩu để tạo khóa (cần khi đăng nhập đã quá 15 phút)."),
    )

    def __init__(self, *args, need_password: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.need_password = need_password
        if not need_password:
            del self.fields["password"]


class GrantForm(forms.Form):
    username = forms.CharField(label=_("Tên đăng nhập"), max_length=150)
    role = forms.ChoiceField(label=_("Vai trò"), choices=Role.choices)
    organisation = forms.CharField(label=_("Mã đơn vị"), max_length=40, help_text=_("Ví dụ: SO-08"))

    def clean_organisation(self):
        code = self.cleaned_data["organisation"].strip()
        organisation = Organisation.objects.filter(code=code).first()
        if organisation is None:
            raise forms.ValidationError(_("Không có đơn vị mã “%(code)s”.") % {"code": code})
        return organisation
