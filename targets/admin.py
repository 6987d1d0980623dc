from django.contrib import admin

from .models import ActualChange, Milestone, PeriodLock, Target


class MilestoneInline(admin.TabularInline):
    model = Milestone
    extra = 0


@admin.register(Target)
class TargetAdmin(admin.ModelAdmin):
    """Targets and milestones are edited here; reported values only through the target page
    (services.report_actual), so that their history is always kept."""

    list_display = ("name", "target_text", "period_label", "responsible_agency", "is_simulated")
    list_filter = ("is_simulated", "direction", "frequency")
    list_select_related = ("responsible_agency",)
    search_fields = ("name", "code", "target_text")
    filter_horizontal = ("groups",)
    inlines = [MilestoneInline]


@admin.register(ActualChange)
class ActualChangeAdmin(admin.ModelAdmin):
    """Read-only: the history of reported values is append-only."""

    list_display = ("at", "target", "period_end", "before_value", "after_value", "changed_by")
    list_select_related = ("target", "changed_by")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(PeriodLock)
class PeriodLockAdmin(admin.ModelAdmin):
    list_display = ("target", "period_end", "locked_by", "locked_at")
    list_select_related = ("target", "locked_by")
