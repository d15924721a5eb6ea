from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
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


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = (
        *BaseUserAdmin.fieldsets,
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
