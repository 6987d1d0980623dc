from celery import shared_task
from django.utils import timezone

from . import jobs


@shared_task
def read_queued_scans():
    return jobs.read_queued_scans(timezone.now())
