import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "camau_tasks.settings")

app = Celery("camau_tasks")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
