"""Master data in the Django admin (Vietnamese). Organisation writes go through the services."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from vhttdl.core.errors import DomainError
from vhttdl.core.units import services
from vhttdl.core.units.models import Area, Organisation


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "level", "division_type", "parent", "valid_from", "valid_to")
    list_filter = ("level", "division_type", "valid_to")
    search_fields = ("code", "name", "codename")
    list_select_related = ("parent",)
    ordering = ("level", "sort_name", "code")  # Vietnamese alphabetical order
    readonly_fields = [f.name for f in Area._meta.fields]
    filter_horizontal = ("successors",)

    def has_add_permission(self, request):
        return False  # areas come from the official packages (`vhttdl manage load_units`)

    def has_delete_permission(self, request, obj=None):
        return False


class OrganisationForm(forms.ModelForm):
    # The version the page was read at: a save over someone else's change gets a message, not an overwrite.
    read_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Organisation
        fields = ("code", "name", "name_en", "short_name", "kind", "parent", "area", "email")

    def clean(self):
        cleaned = super().clean() or {}
        parent = cleaned.get("parent")
        if self.instance.pk and parent is not None and parent.path.startswith(self.instance.path):
            raise ValidationError(_("Không thể chuyển một đơn vị vào dưới chính nó hoặc đơn vị cấp dưới của nó."))
        return cleaned

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["read_version"].initial = self.instance.version


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    form = OrganisationForm
    list_display = ("name", "code", "kind", "parent", "area", "valid_to")
    list_filter = ("kind", ("valid_to", admin.EmptyFieldListFilter))
    search_fields = ("code", "name", "name_en")
    list_select_related = ("parent", "area")
    ordering = ("sort_name", "code")  # Vietnamese alphabetical order (departments by province)
    autocomplete_fields = ("parent", "area")
    actions = ["close_selected"]

    def get_readonly_fields(self, request, obj=None):
        return ("code",) if obj else ()

    def has_delete_permission(self, request, obj=None):
        return False  # units are closed, never deleted, so their history stays

    def save_model(self, request, obj, form, change):
        try:
            if not change:
                saved = services.organisation_create(
                    actor=request.user, code=obj.code, name=obj.name, kind=obj.kind, parent=obj.parent,
                    area=obj.area, name_en=obj.name_en, short_name=obj.short_name, email=obj.email,
                )
                obj.pk, obj.path = saved.pk, saved.path
                return
            original = Organisation.objects.get(pk=obj.pk)
            changes = {f: getattr(obj, f) for f in services.EDITABLE_FIELDS
                       if getattr(obj, f) != getattr(original, f)}
            version = form.cleaned_data.get("read_version")
            if changes:
                original = services.organisation_update(
                    actor=request.user, organisation=original, version=version, **changes)
                version = original.version
            if obj.parent_id != original.parent_id and obj.parent is not None:
                services.organisation_move(actor=request.user, organisation=original, new_parent=obj.parent,
                                           version=version)
        except DomainError as exc:  # the form's clean() catches the usual cases first
            messages.error(request, exc.message)

    @admin.action(description=_("Giải thể các đơn vị đã chọn (hôm nay)"))
    def close_selected(self, request, queryset):
        for organisation in queryset:
            try:
                # The version this action read: the list page carries none.
                services.organisation_close(actor=request.user, organisation=organisation,
                                            version=organisation.version)
            except DomainError as exc:
                self.message_user(request, f"{organisation}: {exc.message}", messages.ERROR)
