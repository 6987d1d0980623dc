"""Periodic Celery task (scheduled by beat, CELERY_BEAT_SCHEDULE "summaries-produce")."""

from celery import shared_task
from django.utils import timezone

from . import jobs


@shared_task
def produce_due_summaries() -> int:
    return jobs.produce_due_summaries(timezone.now())
