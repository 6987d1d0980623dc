import logging

from django.conf import settings
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import FailedSignIn, User

logger = logging.getLogger("camau.auth")


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


@admin.register(FailedSignIn)
class FailedSignInAdmin(admin.ModelAdmin):
    """Who failed to sign in, from where, how many times. Deleting a row unlocks that username at that
    address at once (django-axes counts only the rows that exist)."""

    list_display = ("username", "ip_address", "failures", "attempt_time", "locked")
    search_fields = ("username", "ip_address")
    ordering = ("-attempt_time",)
    fields = ("username", "ip_address", "failures", "attempt_time", "user_agent")
    readonly_fields = fields
    actions = ["unlock"]

    @admin.display(description=_("số lần sai"), ordering="failures_since_start")
    def failures(self, obj):
        return obj.failures_since_start

    @admin.display(description=_("đang bị khóa"), boolean=True)
    def locked(self, obj):
        return obj.failures_since_start >= settings.AXES_FAILURE_LIMIT

    @admin.action(description=_("Mở khóa đăng nhập cho các dòng đã chọn"))
    def unlock(self, request, queryset):
        count = len(queryset)
        self.delete_queryset(request, queryset)
        self.message_user(request, _("Đã mở khóa %(count)d dòng.") % {"count": count})

    # Deleting is unlocking, whichever way the administrator does it: each is logged.
    def delete_model(self, request, obj):
        self._log_unlock(request, [(obj.username, obj.ip_address)])
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        self._log_unlock(request, queryset.values_list("username", "ip_address"))
        super().delete_queryset(request, queryset)

    def _log_unlock(self, request, rows):
        for username, ip in rows:
            logger.info("sign-in unlocked user=%s ip=%s by=%s", username, ip, request.user.get_username())

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
