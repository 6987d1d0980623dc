from celery import shared_task

from . import jobs


@shared_task
def heartbeat(name: str = "beat"):
    jobs.record_heartbeat(name)
