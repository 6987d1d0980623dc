"""Real Celery: a worker and beat in their own processes, on the configured broker and test database.

With REDIS_URL set (CI) this runs against the real Redis; without it, against the embedded
filesystem broker the laptop default uses.
"""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from tracking.models import Heartbeat
from tracking.tasks import heartbeat

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parent.parent.parent


def database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    user = db["USER"] or "postgres"
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return f"postgres://{user}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def celery_processes(tmp_path):
    env = os.environ | {
        "DATABASE_URL": database_url(),
        "VAR_DIR": str(settings.VAR_DIR),
        "HEARTBEAT_SECONDS": "1",
        "DJANGO_SETTINGS_MODULE": "camau_tasks.settings",
    }
    celery = [sys.executable, "-m", "celery", "-A", "camau_tasks"]
    logs = {name: open(tmp_path / f"{name}.log", "w") for name in ("worker", "beat")}  # noqa: SIM115
    processes = [
        subprocess.Popen(
            [*celery, "worker", "--pool=solo", "--loglevel=INFO", f"--hostname=test-{os.getpid()}@%h"],
            cwd=ROOT,
            env=env,
            stdout=logs["worker"],
            stderr=subprocess.STDOUT,
        ),
        subprocess.Popen(
            [*celery, "beat", "--loglevel=INFO", "--schedule", str(tmp_path / "beat-schedule")],
            cwd=ROOT,
            env=env,
            stdout=logs["beat"],
            stderr=subprocess.STDOUT,
        ),
    ]
    yield tmp_path
    for process in processes:
        process.terminate()
    for process in processes:
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
    for log in logs.values():
        log.close()


def wait_for(predicate, seconds=60.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.5)
    return False


def logs(tmp_path) -> str:
    return "\n".join((tmp_path / f"{n}.log").read_text() for n in ("worker", "beat"))


def test_beat_schedules_and_worker_runs_the_periodic_job(celery_processes):
    assert wait_for(lambda: Heartbeat.objects.filter(name="beat").exists()), logs(celery_processes)
    first = Heartbeat.objects.get(name="beat").last_run
    # Beat keeps scheduling it: the timestamp moves on.
    assert wait_for(lambda: Heartbeat.objects.get(name="beat").last_run > first), logs(celery_processes)


def test_the_web_side_enqueues_and_the_worker_executes(celery_processes):
    heartbeat.delay("from-web")
    assert wait_for(lambda: Heartbeat.objects.filter(name="from-web").exists()), logs(celery_processes)
