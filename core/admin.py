class ReadOnlyAdminMixin:
    """An admin that shows rows and never adds, changes or deletes them: records written by the
    services (with their history) or by the background jobs."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
