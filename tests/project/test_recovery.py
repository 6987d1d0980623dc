"""The app recovers by itself: after a PostgreSQL restart the web answers without a single 500, and
after Redis has been down for a while the pages kept answering and the reminders catch up.

Both drills run the real processes (gunicorn, a Celery worker and beat) against servers the tests
start themselves on spare ports (tests/servers.py); the machine's shared services are never touched.
"""

import http.cookiejar
import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest
from django.conf import global_settings
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from reminders import jobs, services
from reminders.calendar import WorkingCalendar
from reminders.models import DigestOutbox, OfficeDay, Reminder
from tracking.models import Heartbeat

from .. import factories
from ..reminders.test_celery_reminders import Celery
from ..servers import ThrowawayPostgres, ThrowawayRedis, spare_port, wait_until
from .test_celery_integration import ROOT, database_url, wait_for

pytestmark = pytest.mark.integration
PASSWORD = "camau2023"  # tests.factories.user's


class Gunicorn:
    """The web app as deployed: gunicorn with two workers, persistent database connections."""

    def __init__(self, folder, **env):
        self.port = spare_port()
        self.log = open(folder / "gunicorn.log", "a")  # noqa: SIM115
        command = [
            sys.executable, "-m", "gunicorn", "camau_tasks.wsgi:application",
            "--bind", f"127.0.0.1:{self.port}", "--workers", "2", "--access-logfile", "-",
            "--no-control-socket",  # its default path is per user: parallel runs would share it
        ]  # fmt: skip
        self.process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=os.environ | {"DB_CONN_MAX_AGE": "600"} | env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        self.folder = folder
        wait_until(self._answers, 60, "gunicorn")

    def _answers(self) -> bool:
        assert self.process.poll() is None, self.output()
        try:
            urllib.request.urlopen(self.url(reverse("login")), timeout=5).close()
            return True
        except OSError:
            return False

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def output(self) -> str:
        return (self.folder / "gunicorn.log").read_text()

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()


class Browser:
    """A signed-in visitor: cookies kept, the login form posted with its CSRF token."""

    def __init__(self, web: Gunicorn, username: str):
        self.web = web
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))
        self.get(reverse("login"))
        token = next(cookie.value for cookie in self.cookies if cookie.name == "csrftoken")
        form = {"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token}
        with self.opener.open(self.web.url(reverse("login")), urllib.parse.urlencode(form).encode()) as reply:
            assert reply.url == self.web.url(reverse("dashboard")), reply.url

    def get(self, path: str) -> int:
        try:
            with self.opener.open(self.web.url(path), timeout=30) as reply:
                reply.read()
                return reply.status
        except urllib.error.HTTPError as error:
            return error.code


# PostgreSQL restarts -----------------------------------------------------------------------------


SEED_OFFICE_USER = """
from accounts.models import User
from tests import factories
factories.user("vanphong", User.Role.OFFICE, None, email="vp@camau.test")
"""


def test_after_a_postgresql_restart_every_request_answers_200(tmp_path):
    with ThrowawayPostgres() as postgres:
        url = postgres.migrated_database("recovery_web")
        seed = subprocess.run(
            [sys.executable, "manage.py", "shell", "-c", SEED_OFFICE_USER],
            cwd=ROOT,
            env=os.environ | {"DATABASE_URL": url},
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert seed.returncode == 0, seed.stderr
        web = Gunicorn(tmp_path, DATABASE_URL=url)
        try:
            office = Browser(web, "vanphong")
            pages = [reverse("dashboard"), reverse("task-list"), reverse("notifications")] * 4
            # Both workers now hold a persistent connection...
            assert [office.get(page) for page in pages] == [200] * len(pages), web.output()
            postgres.restart()  # ...which the restart cuts.
            assert [office.get(page) for page in pages] == [200] * len(pages), web.output()
        finally:
            web.stop()
    assert " 500 " not in web.output()


# Redis down for a while --------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_while_redis_is_down_pages_answer_and_then_the_reminders_catch_up(tmp_path, settings):
    today = timezone.localdate()
    if not WorkingCalendar.load().is_working_day(today):
        services.set_office_day(today, OfficeDay.Kind.WORKING_DAY, "Làm bù (kiểm thử)")
    services.update_policy(digest_time="00:00")
    # Whatever else is due today is done first (Django's test outbox), so the drill's is what's left.
    jobs.scan_and_create_reminders(timezone.now())
    while jobs.send_due_digests(timezone.now()):
        pass
    # The web processes check passwords with the product's hashers, not the tests' fast one.
    settings.PASSWORD_HASHERS = global_settings.PASSWORD_HASHERS
    office = factories.user("vp_phuchoi", User.Role.OFFICE, None, email="vp@camau.test")
    with ThrowawayRedis() as redis:
        celery = Celery(tmp_path)
        web = None
        try:
            broker = {"REDIS_URL": redis.url(), "HEARTBEAT_SECONDS": 1}
            celery.start("worker", **broker)
            celery.start("beat", "beat", **broker)
            web = Gunicorn(
                tmp_path, DATABASE_URL=database_url(), VAR_DIR=str(settings.VAR_DIR), REDIS_URL=redis.url()
            )
            assert wait_for(lambda: Heartbeat.objects.filter(name="beat").exists(), 60), celery.output()

            redis.stop()
            time.sleep(3)  # what the worker had in hand when Redis went away is done
            down_since = timezone.now()
            agency = factories.agency(code="PHUCHOI", name="Sở Phục hồi", short_name="Sở PH")
            factories.user("ph_canbo", User.Role.AGENCY, agency, email="canbo@phuchoi.camau.test")
            due = factories.assignment(factories.task(deadline=today), agency)
            browser = Browser(web, office.username)
            pages = [reverse("dashboard"), reverse("reminder-bulletin"), reverse("task-list")]
            pages += [reverse("notifications"), reverse("task-detail", args=[due.task_id])]
            assert [browser.get(page) for page in pages] == [200] * len(pages), web.output()
            time.sleep(5)  # down for a while: beat fires every second, nothing gets through
            assert not Reminder.objects.filter(assignment=due).exists()
            assert Heartbeat.objects.get(name="beat").last_run < down_since

            redis.start()  # same port, empty: the worker and beat reconnect by themselves
            assert wait_for(
                lambda: DigestOutbox.objects.filter(agency=agency, sent_at__isnull=False).exists(), 60
            ), celery.output()
            time.sleep(2)
            assert Reminder.objects.filter(assignment=due).count() == 1
            assert celery.mails_to("canbo@phuchoi.camau.test") == 1, celery.output()
        finally:
            celery.stop_all()
            if web:
                web.stop()
    assert " 500 " not in web.output()
    assert re.search(r"Cannot connect to redis|Connection refused|Error 111", celery.output())
