from django.contrib import admin
from django.urls import reverse

from core.admin import EditInAppAdmin, ReadOnlyAdmin

from .models import ActualChange, Milestone, PeriodLock, Target, TargetEvent
from .services import record_target_change, target_snapshot


class MilestoneInline(admin.TabularInline):
    model = Milestone
    extra = 0


@admin.register(Target)
class TargetAdmin(admin.ModelAdmin):
    """Targets and milestones are edited here; every save leaves one entry in the target's history
    (TargetEvent: who, when, each changed field before and after). Reported values only through the
    target page (services.report_actual), so that their history is always kept."""

    list_display = ("name", "target_text", "period_label", "responsible_agency", "is_simulated")
    list_filter = ("is_simulated", "direction", "frequency")
    list_select_related = ("responsible_agency",)
    search_fields = ("name", "code", "target_text")
    filter_horizontal = ("groups",)
    inlines = [MilestoneInline]

    def has_delete_permission(self, request, obj=None):
        # Deleting a target would take its reported values, their history and its locks with it.
        return False

    def save_model(self, request, obj, form, change):
        # The stored state before this save: the form has already written its values onto `obj`.
        # Kept on the request, not on this ModelAdmin, which all requests share.
        request._target_before = target_snapshot(obj.pk) if change else {}
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # Groups and milestones are saved by now; the admin's transaction holds the entry with them.
        record_target_change(request.user, form.instance, getattr(request, "_target_before", {}))


@admin.register(ActualChange)
class ActualChangeAdmin(ReadOnlyAdmin):
    """Read-only: the history of reported values is append-only."""

    list_display = ("at", "target", "period_end", "before_value", "after_value", "changed_by")
    list_select_related = ("target", "changed_by")


@admin.register(TargetEvent)
class TargetEventAdmin(ReadOnlyAdmin):
    """Read-only: the history of locks and changes to targets is append-only."""

    list_display = ("at", "kind", "target", "period_end", "actor")
    list_filter = ("kind",)
    list_select_related = ("target", "actor")


@admin.register(PeriodLock)
class PeriodLockAdmin(EditInAppAdmin):
    """Read-only: the office locks and unlocks a period on the target's page, which records it."""

    list_display = ("target", "period_end", "locked_by", "locked_at")
    list_select_related = ("target", "locked_by")

    def app_url(self, obj=None) -> str:
        return obj.target.get_absolute_url() if obj is not None else reverse("target-list")
