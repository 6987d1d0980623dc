from django.contrib import admin


class ReadOnlyAdminMixin:
    """An admin that shows rows and never adds, changes or deletes them: records written by the
    services (with their history) or by the background jobs."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Shown, never added, edited nor deleted here: these rows are written by the services
    (tracking.services, targets.services), which keep their history; an admin save would not."""


class ReadOnlyInline(ReadOnlyAdminMixin, admin.TabularInline):
    extra = 0


class EditInAppAdmin(ReadOnlyAdmin):
    """Read-only here, with a note pointing the office to the app's page where the change is made
    (and recorded in the history)."""

    change_form_template = "admin/edit_in_app_change_form.html"
    change_list_template = "admin/edit_in_app_change_list.html"

    def app_url(self, obj=None) -> str:
        """The app's page for `obj` (or for the list when None)."""
        return obj.get_absolute_url() if obj is not None and hasattr(obj, "get_absolute_url") else "/"

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["app_url"] = self.app_url(obj)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def changelist_view(self, request, extra_context=None):
        return super().changelist_view(request, {"app_url": self.app_url(None), **(extra_context or {})})
