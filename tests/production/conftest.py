"""The production pass: the app served as deployed, in processes of its own, driven by a real browser.

`stack` starts what docker-compose.yml runs (DEBUG=0, gunicorn with 2 workers, WhiteNoise serving the
collected static files, a Celery worker and Celery beat) on a database and a broker of its own:

- database: with the run's DATABASE_URL on PostgreSQL, `<name>_production` on the same server (dropped
  and created fresh; the run's own test database is `test_<name>`), else a SQLite file in the temp dir;
- broker: with the run's REDIS_URL, the same server on db 15 (14 when the run uses 15), or
  PRODUCTION_REDIS_URL when set; else the filesystem broker under the temp VAR_DIR.

Nothing in the stack shares a process, a setting or a clock with the test run, so time is not frozen
here: the journeys assert what holds on any date. The stack lives for the tests of this package only
(package scope), so its processes stop before the rest of the suite runs. The logs of every
process are kept in the temp dir; a failing test gets their tails in its report.
"""

import contextlib
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import dj_database_url
import pytest

from ..browser.conftest import log_in

ROOT = Path(__file__).resolve().parents[2]
PROCESSES = ("web", "worker", "beat")
HEARTBEAT_SECONDS = 2
STARTUP_SECONDS = 90

# The accounts the journeys sign in with: the demo users' names, roles and agencies (demo/accounts.py),
# which load_camau_2023 does not create with DEBUG off, with a password of this run.
CREATE_USERS = """
import os
from demo.accounts import DEMO_USERS
from accounts.models import User
from directives.models import Agency

for username, role, code, name, position in DEMO_USERS:
    user = User(
        username=username,
        role=role,
        agency=Agency.objects.get(code=code) if code else None,
        display_name=name,
        position=position,
        is_staff=role == User.Role.ADMIN,
        is_superuser=role == User.Role.ADMIN,
    )
    user.set_password(os.environ["PRODUCTION_TEST_PASSWORD"])
    user.save()
print(User.objects.count(), "users")
"""


@dataclass
class Stack:
    url: str
    var_dir: Path
    password: str
    database_url: str = ""
    broker_url: str = ""  # "" for the filesystem broker
    logs: dict[str, Path] = field(default_factory=dict)

    def tail(self, name: str, lines: int = 80) -> str:
        path = self.logs.get(name)
        if not path or not path.exists():
            return "(no log)"
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])

    def tails(self, lines: int = 80) -> str:
        return "\n".join(
            f"--- {name} ({self.logs[name]}) ---\n{self.tail(name, lines)}" for name in self.logs
        )


# --- Database and broker --------------------------------------------------------------------------


def _postgres_admin(db: dict):
    """A connection to the server's maintenance database, outside any transaction (CREATE/DROP need it)."""
    import psycopg2

    connection = psycopg2.connect(
        dbname="postgres",
        user=db["USER"] or "postgres",
        password=db["PASSWORD"] or None,
        host=db["HOST"] or "127.0.0.1",
        port=db["PORT"] or 5432,
    )
    connection.autocommit = True
    # closing(), not the connection's own context manager, which opens a transaction block.
    return contextlib.closing(connection)


def _drop_database(db: dict, name: str) -> None:
    with _postgres_admin(db) as connection, connection.cursor() as cursor:
        # FORCE (PostgreSQL 13+): a process of a previous run killed mid-way may still be connected.
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def production_database(var_dir: Path) -> tuple[str, dict | None, str]:
    """(DATABASE_URL for the stack, the server to drop it from afterwards or None, its name)."""
    run_url = os.environ.get("DATABASE_URL", "")
    if not run_url.startswith(("postgres://", "postgresql://")):
        path = var_dir / "camau.sqlite3"
        return f"sqlite:///{path}", None, str(path)
    db = dj_database_url.parse(run_url)
    # Under pytest-xdist each worker gets a stack of its own, as pytest-django does for test databases.
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    name = f"{db['NAME']}_production" + (f"_{worker}" if worker else "")
    _drop_database(db, name)
    with _postgres_admin(db) as connection, connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    parts = urlsplit(run_url)
    return urlunsplit(parts._replace(path=f"/{name}")), db, name


def production_broker() -> str:
    """The Redis URL for the stack's broker (emptied first), or "" for the filesystem broker."""
    url = os.environ.get("PRODUCTION_REDIS_URL") or ""
    run_url = os.environ.get("REDIS_URL") or ""
    if not url and run_url:
        parts = urlsplit(run_url)
        run_db = int(parts.path.strip("/") or 0)
        # Not the run's db: the Celery integration tests start workers of their own on it.
        url = urlunsplit(parts._replace(path=f"/{14 if run_db == 15 else 15}"))
    if url:
        import redis

        redis.Redis.from_url(url).flushdb()
    return url


# --- Processes ------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def manage(env: dict, log: Path, *args: str) -> None:
    """Run one manage.py step of the deployment; its output goes to the setup log."""
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    with log.open("a") as out:
        out.write(f"$ manage.py {' '.join(args[:1])} ({time.monotonic() - started:.1f} s)\n")
        out.write(result.stdout + result.stderr)
    if result.returncode != 0:
        raise RuntimeError(f"manage.py {args[0]} failed:\n{result.stdout[-3000:]}\n{result.stderr[-5000:]}")


def start(name: str, command: list[str], env: dict, log: Path) -> subprocess.Popen:
    with log.open("w") as out:
        # A session of its own, so stopping it also stops gunicorn's and Celery's child processes.
        return subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )


def stop(processes: dict[str, subprocess.Popen], log: Path) -> None:
    """SIGTERM to each main process (each shuts its children down itself), SIGKILL to what remains."""
    for process in processes.values():
        if process.poll() is None:
            process.terminate()
    started = time.monotonic()
    with log.open("a") as out:
        for name, process in processes.items():
            try:
                process.wait(timeout=max(1.0, 20 - (time.monotonic() - started)))
                out.write(f"{name} stopped after {time.monotonic() - started:.1f} s\n")
            except subprocess.TimeoutExpired:
                out.write(f"{name} did not stop in 20 s: killed\n")
            # Whatever the main process left behind in its session (a pool child, a gunicorn worker).
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


def wait_healthy(url: str, processes: dict[str, subprocess.Popen], stack: Stack) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    last_error = None
    while time.monotonic() < deadline:
        for name, process in processes.items():
            if process.poll() is not None:
                raise RuntimeError(f"{name} exited with {process.returncode}:\n{stack.tails()}")
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=5) as response:
                if response.status == 200 and response.read().strip() == b"ok":
                    return
        except OSError as error:
            last_error = error
        time.sleep(0.25)
    raise RuntimeError(f"/healthz did not answer in {STARTUP_SECONDS} s ({last_error}):\n{stack.tails()}")


@pytest.fixture(scope="package")
def stack(tmp_path_factory):
    """The deployed stack, set up the way an administrator does it, and torn down afterwards.

    1. a fresh database and broker (module docstring), the production environment in a temp VAR_DIR;
    2. collectstatic (hashed, compressed names), migrate, load_camau_2023, the role accounts,
       simulate_history;
    3. gunicorn (2 workers), a Celery worker and Celery beat, as scripts/serve.sh and
       docker-compose.yml start them; ready once /healthz answers;
    4. afterwards: the three stopped (with their children), the PostgreSQL database dropped.
    """
    var_dir = tmp_path_factory.mktemp("production")
    port = free_port()
    stack = Stack(url=f"http://127.0.0.1:{port}", var_dir=var_dir, password=secrets.token_urlsafe(18))
    stack.logs = {"setup": var_dir / "setup.log", **{name: var_dir / f"{name}.log" for name in PROCESSES}}
    stack.database_url, server, database_name = production_database(var_dir)
    stack.broker_url = production_broker()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "camau_tasks.settings",
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "127.0.0.1",
        # Plain HTTP on the loopback: Secure cookies would never come back, a redirect to HTTPS fails.
        "SECURE_COOKIES": "0",
        "SECURE_SSL_REDIRECT": "0",
        "VAR_DIR": str(var_dir),
        "STATIC_ROOT": str(var_dir / "staticfiles"),
        "MEDIA_ROOT": str(var_dir / "media"),
        "DATABASE_URL": stack.database_url,
        "REDIS_URL": stack.broker_url,
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(var_dir / "mail"),
        "SITE_URL": stack.url,
        "HEARTBEAT_SECONDS": str(HEARTBEAT_SECONDS),
        # The office's bulletin shows when the worker last scanned: make that happen within the pass.
        "REMINDER_SCAN_SECONDS": "10",
        "LOG_LEVEL": "INFO",
        "PRODUCTION_TEST_PASSWORD": stack.password,
    }
    # The test run's own switches must not reach the deployed app.
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    processes: dict[str, subprocess.Popen] = {}
    try:
        setup_log = stack.logs["setup"]
        manage(env, setup_log, "collectstatic", "--noinput")
        manage(env, setup_log, "migrate", "--noinput")
        manage(env, setup_log, "load_camau_2023")
        manage(env, setup_log, "shell", "-c", CREATE_USERS)
        manage(env, setup_log, "simulate_history")
        celery = [sys.executable, "-m", "celery", "-A", "camau_tasks"]
        commands = {
            "web": [
                *(sys.executable, "-m", "gunicorn", "camau_tasks.wsgi:application"),
                *("--workers", "2", "--bind", f"127.0.0.1:{port}", "--access-logfile", "-"),
                *("--graceful-timeout", "5"),
            ],
            "worker": [
                *celery,
                *("worker", "--loglevel=INFO", "--concurrency=2", f"--hostname=production-{os.getpid()}@%h"),
            ],
            "beat": [*celery, "beat", "--loglevel=INFO", f"--schedule={var_dir / 'celerybeat-schedule'}"],
        }
        for name, command in commands.items():
            processes[name] = start(name, command, env, stack.logs[name])
        wait_healthy(stack.url, processes, stack)
        yield stack
    finally:
        stop(processes, stack.logs["setup"])
        if server is not None:
            _drop_database(server, database_name)


FAILED_KEY = pytest.StashKey[bool]()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """A failing journey carries the tails of the server's logs: a 500 is explained there."""
    report = yield
    if report.when == "call" and report.failed:
        item.stash[FAILED_KEY] = True
    stack = getattr(item, "funcargs", {}).get("stack")
    if report.failed and isinstance(stack, Stack):
        for name in stack.logs:
            report.sections.append((f"production {name} log (last lines)", stack.tail(name)))
    return report


# --- Browser --------------------------------------------------------------------------------------


@dataclass
class Visit:
    """A signed-in browser tab that records everything that went wrong, wherever it happened."""

    page: object
    problems: list[str] = field(default_factory=list)
    # A link answered by a file becomes a download, which Chromium reports as an aborted navigation.
    aborted_navigations: list[str] = field(default_factory=list)
    downloads: set[str] = field(default_factory=set)

    def check(self) -> None:
        problems = self.problems + [
            f"navigation aborted: {url}" for url in self.aborted_navigations if url not in self.downloads
        ]
        assert not problems, "The browser saw errors:\n" + "\n".join(problems)


def watch(page) -> Visit:
    visit = Visit(page)
    problems = visit.problems

    def on_console(message):
        # CSP violations, failed resources and script errors all arrive here as errors. The one
        # exception: Chromium asks every site for /favicon.ico by itself, and the app has no icon.
        if message.type == "error" and not message.location.get("url", "").endswith("/favicon.ico"):
            problems.append(f"console error on {page.url}: {message.text} ({message.location})")

    def on_request_failed(request):
        if request.failure == "net::ERR_ABORTED" and request.is_navigation_request():
            visit.aborted_navigations.append(request.url)
            return
        problems.append(f"request failed: {request.method} {request.url}: {request.failure}")

    def on_response(response):
        if response.status >= 500:
            problems.append(f"{response.status} for {response.request.method} {response.url}")

    def on_dialog(dialog):
        # The app's only dialog is its htmx error alert (static/js/app.js): a refused or failed request.
        problems.append(f"dialog on {page.url}: {dialog.message}")
        dialog.dismiss()

    page.on("console", on_console)
    page.on("pageerror", lambda error: problems.append(f"page error on {page.url}: {error}"))
    page.on("requestfailed", on_request_failed)
    page.on("response", on_response)
    page.on("dialog", on_dialog)
    page.on("download", lambda download: visit.downloads.add(download.url))
    return visit


@pytest.fixture
def sign_in(request, browser, stack):
    """sign_in(username) -> a Visit signed in as that user; every visit must end without errors."""
    contexts = []
    visits = []

    def open_visit(username: str) -> Visit:
        context = browser.new_context(
            base_url=stack.url, locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh", accept_downloads=True
        )
        context.set_default_timeout(15_000)
        contexts.append(context)
        visit = watch(context.new_page())
        visits.append(visit)
        log_in(visit.page, username, stack.password)
        return visit

    yield open_visit
    for context in contexts:
        context.close()
    # What happened after the journey's own last check (a late error, a poll); a journey that failed
    # already has its report.
    if not request.node.stash.get(FAILED_KEY, False):
        for visit in visits:
            visit.check()
