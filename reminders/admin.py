from django.contrib import admin

from core.admin import ReadOnlyAdmin

from .models import DigestOutbox, Notification, OfficeDay, Reminder, ReminderPolicy


@admin.register(ReminderPolicy)
class ReminderPolicyAdmin(admin.ModelAdmin):
    """One row: the office's rules."""

    list_display = (
        "before_working_days",
        "remind_on_due_day",
        "overdue_repeat_days",
        "escalate_after_days",
        "no_report_days",
        "digest_time",
        "send_email",
    )

    def has_add_permission(self, request):
        return not ReminderPolicy.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(OfficeDay)
class OfficeDayAdmin(admin.ModelAdmin):
    list_display = ("day", "kind", "note")
    list_filter = ("kind",)
    date_hierarchy = "day"


@admin.register(Reminder)
class ReminderAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "kind", "step", "due_date", "fire_on", "agency", "assignment")
    list_filter = ("kind", "is_occurrence")
    list_select_related = ("agency", "assignment__task")
    date_hierarchy = "created_at"
    raw_id_fields = ("assignment", "agency")


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "user", "level", "reminder", "read_at")
    list_filter = ("level",)
    list_select_related = ("user", "reminder")
    raw_id_fields = ("user", "reminder")


@admin.register(DigestOutbox)
class DigestOutboxAdmin(ReadOnlyAdmin):
    list_display = (
        "day",
        "agency",
        "user",
        "send_after",
        "claimed_at",
        "sent_at",
        "outcome",
        "line_count",
        "attempts",
    )
    list_filter = ("outcome", "day")
    list_select_related = ("agency", "user")
    raw_id_fields = ("agency", "user")
