"""Plain functions the Celery tasks call, so tests can call them directly with a frozen clock."""

from django.utils import timezone

from .models import Heartbeat


def record_heartbeat(name: str) -> None:
    Heartbeat.objects.update_or_create(name=name, defaults={"last_run": timezone.now()})
