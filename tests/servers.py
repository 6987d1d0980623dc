"""Throwaway servers for fault drills: a PostgreSQL cluster, a Redis and a mail server, each on a
spare port in its own temporary folder, so a test can stop, restart and break them at will.

The machine's shared PostgreSQL (5432) and Redis (6379) are never touched. PostgreSQL and Redis
come from their own binaries (PG_BIN, default /usr/lib/postgresql/15/bin; redis-server on PATH); a
missing binary fails the test, it is not skipped. PostgreSQL refuses to run as root, so as root
(CI) its commands run as the `postgres` OS user, in a folder that user owns.
"""

import contextlib
import dataclasses
import datetime
import email
import email.policy
import os
import pwd
import shutil
import socket
import socketserver
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

import psycopg2

ROOT = Path(__file__).resolve().parent.parent
PG_BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))


def spare_port() -> int:
    """A TCP port nothing listens on right now (the kernel's choice)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until(predicate: Callable[[], bool], seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not predicate():
        if time.monotonic() > deadline:
            raise TimeoutError(f"{what}: not ready after {seconds} s")
        time.sleep(0.1)


def _require(path: Path | str) -> str:
    found = shutil.which(str(path))
    if not found:
        raise RuntimeError(f"{path} is needed by the fault drills and was not found")
    return found


# PostgreSQL --------------------------------------------------------------------------------------


class ThrowawayPostgres:
    """A PostgreSQL cluster of its own (initdb) in a temporary folder, listening on 127.0.0.1:port
    with trust authentication for the user `postgres`.

    Use as a context manager; `stop()`, `start()` and `restart()` are the drills."""

    def __init__(self):
        self.port = spare_port()
        self.folder = Path(tempfile.mkdtemp(prefix="camau-pg-"))
        self.data = self.folder / "data"
        self.log = self.folder / "postgres.log"
        self.as_root = os.geteuid() == 0
        if self.as_root:
            account = pwd.getpwnam("postgres")
            os.chown(self.folder, account.pw_uid, account.pw_gid)

    def _run(self, *command: str, check: bool = True) -> subprocess.CompletedProcess:
        binary = _require(PG_BIN / command[0])
        full = [binary, *command[1:]]
        if self.as_root:
            full = ["runuser", "-u", "postgres", "--", *full]
        result = subprocess.run(full, capture_output=True, text=True, timeout=120)
        if check and result.returncode:
            raise RuntimeError(
                f"{' '.join(command)} failed:\n{result.stdout}\n{result.stderr}\n{self.logs()}"
            )
        return result

    def logs(self) -> str:
        return self.log.read_text() if self.log.exists() else ""

    def init(self) -> "ThrowawayPostgres":
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-sync")
        return self.start()

    def _options(self) -> str:
        # fsync off: a throwaway cluster, and the machine's two cores are shared.
        return f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off"

    def start(self) -> "ThrowawayPostgres":
        self._run(
            "pg_ctl",
            "start",
            "-w",
            "-t",
            "60",
            "-D",
            str(self.data),
            "-l",
            str(self.log),
            "-o",
            self._options(),
        )
        return self

    def stop(self, mode: str = "fast") -> None:
        self._run("pg_ctl", "stop", "-w", "-t", "60", "-D", str(self.data), "-m", mode)

    def restart(self) -> None:
        """Stop (fast: every open connection is cut, as in a real restart) and start again."""
        self._run(
            "pg_ctl", "restart", "-w", "-t", "60", "-D", str(self.data), "-m", "fast", "-l", str(self.log),
            "-o", self._options(),
        )  # fmt: skip

    def is_running(self) -> bool:
        return self._run("pg_ctl", "status", "-D", str(self.data), check=False).returncode == 0

    def url(self, database: str = "postgres") -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def connect(self, database: str = "postgres"):
        connection = psycopg2.connect(host="127.0.0.1", port=self.port, user="postgres", dbname=database)
        connection.autocommit = True
        return connection

    def execute(self, sql: str, params=(), database: str = "postgres") -> list[tuple]:
        with contextlib.closing(self.connect(database)) as connection, connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall() if cursor.description else []

    def create_database(self, name: str, template: str | None = None) -> str:
        """A new database (a copy of `template` when given); returns its URL."""
        sql = f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else "")
        self.execute(sql)
        return self.url(name)

    def migrated_database(self, name: str) -> str:
        """A new database with the app's schema; returns its URL. The migrations run once per
        cluster, into a template that each new database copies."""
        if not self.execute("SELECT 1 FROM pg_database WHERE datname = 'camau_template'"):
            self.create_database("camau_template")
            migrate = [sys.executable, "manage.py", "migrate", "--noinput", "-v0"]
            result = subprocess.run(
                migrate, cwd=ROOT, env=os.environ | {"DATABASE_URL": self.url("camau_template")},
                capture_output=True, text=True, timeout=300,
            )  # fmt: skip
            if result.returncode:
                raise RuntimeError(f"migrate failed:\n{result.stdout}\n{result.stderr}")
        return self.create_database(name, template="camau_template")

    def close(self) -> None:
        if self.data.exists() and self.is_running():
            self.stop("immediate")
        shutil.rmtree(self.folder, ignore_errors=True)

    def __enter__(self) -> "ThrowawayPostgres":
        try:
            return self.init()
        except BaseException:
            self.close()
            raise

    def __exit__(self, *exc) -> None:
        self.close()


# Redis -------------------------------------------------------------------------------------------


class ThrowawayRedis:
    """A redis-server of its own, without persistence, on 127.0.0.1:port; `stop()` and `start()`
    (on the same port) are the drills."""

    def __init__(self):
        self.port = spare_port()
        self.folder = Path(tempfile.mkdtemp(prefix="camau-redis-"))
        self.log = self.folder / "redis.log"
        self.process: subprocess.Popen | None = None

    def url(self, db: int = 0) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"

    def ping(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1) as client:
                client.sendall(b"PING\r\n")
                return client.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def start(self) -> "ThrowawayRedis":
        command = [
            _require("redis-server"),
            "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
            "--dir", str(self.folder), "--logfile", str(self.log),
        ]  # fmt: skip
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
        wait_until(self.ping, 30, "redis-server")
        return self

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None
        wait_until(lambda: not self.ping(), 10, "redis-server stop")

    def __enter__(self) -> "ThrowawayRedis":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
        shutil.rmtree(self.folder, ignore_errors=True)


# Mail --------------------------------------------------------------------------------------------


@dataclasses.dataclass
class Received:
    """One message the mail server accepted."""

    mail_from: str
    recipients: list[str]
    data: bytes
    accepted_at: datetime.datetime

    @property
    def message(self) -> email.message.EmailMessage:
        return email.message_from_bytes(self.data, policy=email.policy.default)

    @property
    def message_id(self) -> str:
        return self.message["Message-ID"]

    @property
    def subject(self) -> str:
        return self.message["Subject"]


class _Session(socketserver.StreamRequestHandler):
    """Just enough SMTP (RFC 5321) for Django's SMTP backend: EHLO/HELO, MAIL, RCPT, DATA, RSET,
    NOOP, QUIT. No TLS, no authentication."""

    server: "_Server"

    def reply(self, line: str) -> None:
        self.wfile.write(line.encode() + b"\r\n")
        self.wfile.flush()

    def handle(self) -> None:
        owner = self.server.owner
        with contextlib.suppress(OSError):  # a client killed mid-session is one of the drills
            if owner.stopping.wait(owner.greeting_delay):
                return
            self.reply("220 camau-test ESMTP")
            mail_from, recipients = "", []
            while line := self.rfile.readline():
                command = line.decode("ascii", "replace").strip()
                verb = command[:4].upper()
                if verb == "EHLO":
                    self.reply("250-camau-test")
                    self.reply("250 8BITMIME")
                elif verb == "HELO":
                    self.reply("250 camau-test")
                elif verb == "MAIL":
                    mail_from, recipients = command.partition(":")[2].strip(), []
                    self.reply("250 OK")
                elif verb == "RCPT":
                    recipients.append(command.partition(":")[2].strip().strip("<>"))
                    self.reply("250 OK")
                elif verb == "DATA":
                    self.reply("354 End data with <CR><LF>.<CR><LF>")
                    data = self._read_data()
                    if owner.stopping.wait(owner.accept_delay):
                        return
                    owner.accept(Received(mail_from, recipients, data, datetime.datetime.now(datetime.UTC)))
                    self.reply("250 OK: queued")
                elif verb in ("RSET", "NOOP"):
                    self.reply("250 OK")
                elif verb == "QUIT":
                    self.reply("221 Bye")
                    return
                else:
                    self.reply("502 Command not implemented")

    def _read_data(self) -> bytes:
        lines = []
        while (line := self.rfile.readline()) not in (b".\r\n", b""):
            lines.append(line[1:] if line.startswith(b"..") else line)  # undo dot-stuffing
        return b"".join(lines)


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True
    owner: "MailServer"

    def handle_error(self, request, client_address) -> None:
        pass  # a drill kills clients mid-session; the recorded messages are what counts


class MailServer:
    """A small real SMTP server on 127.0.0.1:port that records what it accepts.

    - `greeting_delay`: seconds before it greets a new connection (a server slow to answer);
    - `accept_delay`: seconds between receiving a message and accepting it (a slow server);
    - `on_accept(received)`: called when a message is accepted, before the client hears so
      (restart the database, kill the sender…)."""

    def __init__(self, greeting_delay: float = 0, accept_delay: float = 0, on_accept=None):
        self.greeting_delay = greeting_delay
        self.accept_delay = accept_delay
        self.on_accept: Callable[[Received], None] | None = on_accept
        self.received: list[Received] = []
        self.stopping = threading.Event()
        self._lock = threading.Lock()
        self._server = _Server(("127.0.0.1", 0), _Session)
        self._server.owner = self
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def accept(self, received: Received) -> None:
        with self._lock:
            self.received.append(received)
        if self.on_accept:
            self.on_accept(received)

    def to(self, address: str) -> list[Received]:
        with self._lock:
            return [message for message in self.received if address in message.recipients]

    def settings(self) -> dict[str, str]:
        """The environment (and Django settings) that send through this server."""
        return {
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(self.port),
        }

    def __enter__(self) -> "MailServer":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stopping.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=10)
