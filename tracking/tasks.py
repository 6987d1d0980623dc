from celery import shared_task

from . import jobs


@shared_task
def heartbeat():
    jobs.record_heartbeat("beat")
