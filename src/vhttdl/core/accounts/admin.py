from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin as BaseGroupAdmin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group, Permission
from django.utils.translation import gettext as gettext_now
from django.utils.translation import gettext_lazy as _

from vhttdl.core.accounts.models import ApiToken, Grant, User


class GrantInline(admin.TabularInline):
    model = Grant
    fk_name = "user"
    extra = 0
    fields = ("role", "organisation", "created_at")
    readonly_fields = ("role", "organisation", "created_at")
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False  # grants are given on the People page, through the service (checked and audited)


def permission_label(permission: Permission) -> str:
    """A permission in the page's language ("Units | unit | Can add unit"), not the name stored at
    migration time in Vietnamese ("Can add đơn vị"): the built-in add/change/delete/view are composed
    from the model's (translated) name, other permissions keep their stored name."""
    model = permission.content_type.model_class()
    if model is None:
        return str(permission)
    opts = model._meta
    verbs = {"add": gettext_now("Thêm"), "change": gettext_now("Sửa"), "delete": gettext_now("Xóa"),
             "view": gettext_now("Xem")}
    action, _sep, rest = permission.codename.partition("_")
    name = permission.name
    if action in verbs and rest == opts.model_name:
        name = f"{verbs[action]}: {opts.verbose_name}"
    return f"{opts.app_config.verbose_name} | {opts.verbose_name} | {name}"


class PermissionLabels(admin.ModelAdmin):
    """Admin base: permission choices labelled in the page's language."""

    def formfield_for_manytomany(self, db_field: Any, request: Any = None, **kwargs: Any) -> Any:
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if field is not None and db_field.remote_field.model is Permission:
            # Django's documented way to label a choice field's options.
            field.label_from_instance = permission_label  # type: ignore[method-assign, assignment]
        return field


admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(PermissionLabels, BaseGroupAdmin):
    pass


@admin.register(User)
class UserAdmin(PermissionLabels, BaseUserAdmin):
    fieldsets = (
        *(BaseUserAdmin.fieldsets or ()),
        (_("Thông tin thêm"), {"fields": ("full_name", "phone", "language")}),
    )
    list_display = ("username", "full_name", "email", "is_active", "is_staff")
    search_fields = ("username", "full_name", "email")
    inlines = [GrantInline]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("name", "user", "hint", "expires_at", "revoked_at", "last_used_at")
    readonly_fields = ("user", "name", "hint", "created_at", "expires_at", "revoked_at", "last_used_at")

    def has_add_permission(self, request):
        return False
