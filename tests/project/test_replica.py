"""The read replica, against a second real database (PostgreSQL in CI's first pass, SQLite files in the
second): with DATABASE_REPLICA_URL set, the dashboard and its exports read from it, while the session,
the signed-in user, every write and every other page stay on the primary.

The two databases are deliberately different (the primary has no programme, the replica has the real
2023 one and no users), so the figures show which one answered.
"""

import json
import os
import subprocess
import sys
from urllib.parse import urlparse

import psycopg2
import pytest

from .test_celery_integration import ROOT

pytestmark = pytest.mark.integration

SCRIPT = """
import json, django
django.setup()
from django.test import Client
from accounts.models import User
from directives.models import Assignment
client = Client()
client.force_login(User.objects.get(username="vanphong_replica"))
dashboard = client.get("/dashboard.json")
csv = client.get("/dashboard.csv")
tasks = client.get("/tasks/")
print(json.dumps({
    "dashboard": dashboard.status_code,
    "total": dashboard.json()["totals"]["total"],
    "csv_rows": len(csv.content.decode("utf-8-sig").strip().splitlines()),
    "tasks_page": tasks.status_code,
    "primary_assignments": Assignment.objects.count(),
    "replica_assignments": Assignment.objects.using("replica").count(),
    "user_on_replica": User.objects.using("replica").filter(username="vanphong_replica").exists(),
}))
"""


def _databases(tmp_path):
    """Two empty databases of the kind the suite runs on; dropped afterwards."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        return [
            f"sqlite:///{tmp_path / 'primary.sqlite3'}",
            f"sqlite:///{tmp_path / 'replica.sqlite3'}",
        ], None
    parsed = urlparse(url)
    names = [f"{parsed.path.lstrip('/')}_{role}_{os.getpid()}" for role in ("primary", "replica")]
    admin = psycopg2.connect(
        host=parsed.hostname, port=parsed.port or 5432, user=parsed.username or "postgres"
    )
    admin.autocommit = True
    with admin.cursor() as cursor:
        for name in names:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
            cursor.execute(f'CREATE DATABASE "{name}"')
    return [parsed._replace(path=f"/{name}").geturl() for name in names], (admin, names)


def _run(env, *args, script=None):
    command = [sys.executable, "-c", script] if script else [sys.executable, "manage.py", *args]
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


@pytest.fixture
def two_databases(tmp_path):
    urls, cleanup = _databases(tmp_path)
    yield urls
    if cleanup:
        admin, names = cleanup
        with admin.cursor() as cursor:
            for name in names:
                cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def test_the_dashboard_reads_from_the_replica_and_the_rest_from_the_primary(two_databases, tmp_path):
    primary, replica = two_databases
    base = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DATABASE_REPLICA_URL")}
    base |= {"DJANGO_SETTINGS_MODULE": "camau_tasks.settings", "DEBUG": "1", "VAR_DIR": str(tmp_path)}
    # The replica: the real programme (in production it is a copy of the primary made by replication).
    _run(base | {"DATABASE_URL": replica}, "migrate", "--noinput")
    _run(base | {"DATABASE_URL": replica}, "load_camau_2023", "--no-demo-users")
    # The primary: no programme, one office user.
    _run(base | {"DATABASE_URL": primary}, "migrate", "--noinput")
    _run(
        base | {"DATABASE_URL": primary},
        "shell",
        "-c",
        "from accounts.models import User; User.objects.create_user('vanphong_replica', role=User.Role.OFFICE)",
    )
    both = base | {"DATABASE_URL": primary, "DATABASE_REPLICA_URL": replica}
    result = json.loads(_run(both, script=SCRIPT).strip().splitlines()[-1])

    assert result["primary_assignments"] == 0
    assert result["replica_assignments"] > 200
    assert result["dashboard"] == 200
    assert result["total"] == result["replica_assignments"]  # the dashboard counted the replica's rows
    assert result["csv_rows"] > 10  # the CSV too: an agency per row
    assert result["tasks_page"] == 200  # other pages read the primary (the user exists only there)
    assert result["user_on_replica"] is False  # so the session and user were read from the primary


def test_without_a_replica_nothing_is_routed(settings):
    from camau_tasks.replicas import ReplicaRouter

    assert "replica" not in settings.DATABASES or settings.DATABASES["replica"]["TEST"] == {
        "MIRROR": "default"
    }
    assert ReplicaRouter().db_for_read(object) is None
    assert ReplicaRouter().allow_migrate("replica", "directives") is False
