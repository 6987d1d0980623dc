from django.apps import AppConfig


class TargetsConfig(AppConfig):
    name = "targets"
    verbose_name = "Chỉ tiêu"

    def ready(self):
        from core import files
        from tracking.permissions import Action, require

        from .models import Actual

        files.register(
            "target",
            lambda: Actual.objects.select_related("target"),
            lambda user, row: require(user, Action.READ, row.target),
        )
