from django.contrib import admin

from core.admin import ReadOnlyAdminMixin

from .models import Summary


@admin.register(Summary)
class SummaryAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read-only: a produced summary is frozen; the office produces new versions from the pages."""

    list_display = (
        "__str__",
        "kind",
        "period_start",
        "cut_off",
        "version",
        "is_current",
        "produced_at",
        "produced_by",
    )
    list_filter = ("kind", "is_current")
    date_hierarchy = "cut_off"
    exclude = ("data", "drill")

    def get_queryset(self, request):
        return super().get_queryset(request).defer("data", "drill").select_related("produced_by")
