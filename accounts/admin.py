from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "display_name", "role", "agency", "position", "is_active")
    list_filter = ("role", "is_active", "agency__kind")
    search_fields = ("username", "display_name", "email", "agency__name")
    autocomplete_fields = ("agency",)
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (_("Vai trò trong hệ thống"), {"fields": ("role", "agency", "display_name", "position")}),
    )
    add_fieldsets = (
        *BaseUserAdmin.add_fieldsets,
        (_("Vai trò trong hệ thống"), {"fields": ("role", "agency", "display_name", "position")}),
    )
