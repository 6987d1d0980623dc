from django.apps import AppConfig


class TrackingConfig(AppConfig):
    name = "tracking"
    verbose_name = "Theo dõi thực hiện"

    def ready(self):
        from core import files
        from directives.models import Directive

        from .models import Contribution, ProgressReport
        from .permissions import Action, require

        files.register(
            "report",
            lambda: ProgressReport.objects.select_related("assignment__task"),
            lambda user, row: require(user, Action.READ, row.assignment.task),
        )
        files.register(
            "contribution",
            lambda: Contribution.objects.select_related("task"),
            lambda user, row: require(user, Action.READ, row.task),
        )
        files.register("directive", Directive.objects.all, lambda user, row: require(user, Action.READ, row))
