import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "camau_tasks.settings")

app = Celery("camau_tasks")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.on_configure.connect
def _make_broker_folders(sender, **kwargs):
    """The filesystem transport (the default with no REDIS_URL) needs its folders to exist."""
    from django.conf import settings

    if not settings.REDIS_URL:
        for folder in ("processed", "control"):
            (settings.CELERY_BROKER_DIR / folder).mkdir(parents=True, exist_ok=True)
