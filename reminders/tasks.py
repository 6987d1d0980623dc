"""Periodic Celery tasks (scheduled by beat, CELERY_BEAT_SCHEDULE). Nothing enqueues them from the
web: the scan finds everything, so the web keeps working when the broker is down."""

from celery import shared_task
from django.utils import timezone

from . import jobs


@shared_task
def scan_reminders() -> int:
    return jobs.scan_and_create_reminders(timezone.now())


@shared_task
def send_digests() -> int:
    return jobs.send_due_digests(timezone.now())
