"""The production stack as written: docker-compose.yml and the Dockerfile, checked by reading them.

Docker does not run here, so these tests read the files: the five services and their healthchecks,
start-up order, declared volumes, that every variable the web service sets is one the settings
read, and that the image installs the requirements and starts a WSGI module that exists.
They need no database.
"""

import json
import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent.parent
COMPOSE = ROOT / "docker-compose.yml"
DOCKERFILE = ROOT / "Dockerfile"
DOCKERIGNORE = ROOT / ".dockerignore"
SETTINGS = ROOT / "camau_tasks" / "settings.py"

SERVICES = ("db", "redis", "web", "worker", "beat")
APP_SERVICES = ("web", "worker", "beat")


def load_compose() -> dict:
    return yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))


# --- Helpers --------------------------------------------------------------------------------------


def settings_env_names() -> set[str]:
    """Names camau_tasks/settings.py reads from the environment."""
    text = SETTINGS.read_text(encoding="utf-8")
    call = r"(?:\benv\w*|os\.getenv|os\.environ\.get|os\.environ\.setdefault)\(\s*[\"']([A-Za-z_]\w*)[\"']"
    index = r"os\.environ\[\s*[\"']([A-Za-z_]\w*)[\"']\s*\]"
    return {a or b for a, b in re.findall(f"{call}|{index}", text)}


def environment_names(service: dict) -> set[str]:
    env = service.get("environment") or {}
    if isinstance(env, list):
        return {item.split("=", 1)[0] for item in env}
    return set(env)


def named_volume(entry) -> str | None:
    """The named volume of a service's volume entry; None for bind mounts and tmpfs."""
    if isinstance(entry, dict):
        return entry.get("source") if entry.get("type", "volume") == "volume" else None
    source = entry.split(":", 1)[0] if ":" in entry else None
    if not source or source.startswith(("/", ".", "~", "$")):
        return None
    return source


def volume_targets(service: dict) -> list[str]:
    return [
        entry["target"] if isinstance(entry, dict) else entry.split(":")[1]
        for entry in service.get("volumes") or []
    ]


def dockerfile_instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs, with continued lines joined and comments dropped."""
    joined, current = [], ""
    for line in DOCKERFILE.read_text(encoding="utf-8").splitlines():
        if not current and (not line.strip() or line.lstrip().startswith("#")):
            continue
        if current and line.lstrip().startswith("#"):
            continue
        if line.rstrip().endswith("\\"):
            current += line.rstrip()[:-1] + " "
            continue
        joined.append(current + line)
        current = ""
    result = []
    for line in joined:
        instruction, _, arguments = line.strip().partition(" ")
        result.append((instruction.upper(), arguments.strip()))
    return result


def command_words(arguments: str) -> list[str]:
    """CMD arguments in exec form (JSON) or shell form."""
    if arguments.startswith("["):
        return json.loads(arguments)
    return arguments.split()


def wsgi_module(words: list[str]) -> str:
    targets = [w for w in words if re.fullmatch(r"[A-Za-z_][\w.]*:[A-Za-z_]\w*", w)]
    assert targets, f"no module:callable in {words}"
    return targets[0].split(":")[0]


# --- The compose file -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def compose() -> dict:
    return load_compose()


def test_the_five_services_exist(compose):
    assert set(SERVICES) <= set(compose["services"])


@pytest.mark.parametrize("name", SERVICES)
def test_each_service_has_a_healthcheck(compose, name):
    healthcheck = compose["services"][name].get("healthcheck")
    assert healthcheck, f"{name} has no healthcheck"
    assert not healthcheck.get("disable")
    test = healthcheck.get("test")
    assert test, f"{name}: the healthcheck has no test"
    if isinstance(test, list):
        assert test[0] in ("CMD", "CMD-SHELL") and len(test) > 1, test


def test_web_healthcheck_asks_healthz_without_curl(compose):
    test = compose["services"]["web"]["healthcheck"]["test"]
    command = " ".join(test) if isinstance(test, list) else test
    assert "/healthz" in command
    assert "curl" not in command and "wget" not in command  # python:3.11-slim has neither


@pytest.mark.parametrize("name", APP_SERVICES)
def test_app_services_wait_for_a_healthy_database_and_redis(compose, name):
    depends = compose["services"][name].get("depends_on")
    assert isinstance(depends, dict), f"{name}: depends_on must be a mapping with conditions"
    for needed in ("db", "redis"):
        assert depends.get(needed, {}).get("condition") == "service_healthy", (name, needed)


def test_app_services_run_web_worker_and_beat(compose):
    services = compose["services"]
    web = " ".join(services["web"]["command"])
    assert "manage.py migrate --noinput" in web and "gunicorn" in web
    assert wsgi_module(web.split()) == "camau_tasks.wsgi"
    assert services["worker"]["command"][:4] == ["celery", "-A", "camau_tasks", "worker"]
    assert services["beat"]["command"][:4] == ["celery", "-A", "camau_tasks", "beat"]
    assert services["web"].get("build") and "127.0.0.1:8000:8000" in [
        str(p) for p in services["web"]["ports"]
    ]


def test_named_volumes_are_declared(compose):
    declared = set(compose.get("volumes") or {})
    used = {
        (name, volume)
        for name, service in compose["services"].items()
        for entry in service.get("volumes") or []
        if (volume := named_volume(entry))
    }
    assert used, "no named volumes"
    undeclared = sorted(f"{name}: {volume}" for name, volume in used if volume not in declared)
    assert not undeclared, f"volumes used but not declared: {undeclared}"
    assert "/var/lib/postgresql/data" in volume_targets(compose["services"]["db"])
    assert "/data" in volume_targets(compose["services"]["redis"])


def test_state_written_at_run_time_lives_on_volumes(compose):
    services = compose["services"]
    media_root = services["web"]["environment"]["MEDIA_ROOT"]
    assert media_root in volume_targets(services["web"])
    schedule = re.search(r"--schedule[= ](\S+)", " ".join(services["beat"]["command"])).group(1)
    assert any(schedule.startswith(target.rstrip("/") + "/") for target in volume_targets(services["beat"]))


def test_web_sets_only_variables_the_settings_read(compose):
    read = settings_env_names()
    assert {"DEBUG", "SECRET_KEY", "DATABASE_URL", "REDIS_URL", "ALLOWED_HOSTS"} <= read  # the reader works
    names = environment_names(compose["services"]["web"])
    assert {
        "DEBUG",
        "SECRET_KEY",
        "DATABASE_URL",
        "REDIS_URL",
        "ALLOWED_HOSTS",
        "CSRF_TRUSTED_ORIGINS",
    } <= names
    unknown = sorted(names - read)
    assert not unknown, f"web sets variables camau_tasks/settings.py never reads: {unknown}"


def test_web_runs_in_production_mode_with_a_required_secret(compose):
    env = compose["services"]["web"]["environment"]
    assert str(env["DEBUG"]).lower() in ("0", "false", "off", "no")
    assert env["SECRET_KEY"].startswith("${SECRET_KEY:?"), "SECRET_KEY must be required, never defaulted"
    assert env["DATABASE_URL"].startswith("postgres://camau:${POSTGRES_PASSWORD")
    assert env["DATABASE_URL"].endswith("@db:5432/camau")
    assert env["REDIS_URL"] == "redis://redis:6379/0"


def test_dollar_signs_are_interpolations_or_escaped():
    """A lone `$NAME` would be interpolated by compose on the host; `$$` reaches the container."""
    text = COMPOSE.read_text(encoding="utf-8")
    code = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))
    lone = re.findall(r"(?<!\$)\$(?![{$])\S*", code.replace("$$", ""))
    assert not lone, lone


# --- The Dockerfile -------------------------------------------------------------------------------


def test_dockerfile_installs_the_requirements():
    instructions = dockerfile_instructions()
    assert instructions[0][0] == "FROM" and instructions[0][1].startswith("python:3.11-slim")
    assert any(i == "COPY" and "requirements.txt" in a for i, a in instructions)
    assert any(i == "RUN" and re.search(r"pip install\b.*-r requirements\.txt", a) for i, a in instructions)


def test_dockerfile_collects_static_files_and_drops_root():
    instructions = dockerfile_instructions()
    assert any(i == "RUN" and "collectstatic" in a and "DEBUG=0" in a for i, a in instructions)
    users = [a for i, a in instructions if i == "USER"]
    assert users and users[-1].split(":")[0] not in ("root", "0")


def test_dockerfile_cmd_serves_an_existing_wsgi_module():
    commands = [a for i, a in dockerfile_instructions() if i == "CMD"]
    assert commands, "no CMD"
    words = command_words(commands[-1])
    assert words[0] == "gunicorn" and "0.0.0.0:8000" in " ".join(words)
    module = wsgi_module(words)
    assert module == "camau_tasks.wsgi"
    path = ROOT / (module.replace(".", "/") + ".py")
    assert path.exists(), path
    assert re.search(r"^application\s*=", path.read_text(encoding="utf-8"), re.M)


def test_dockerignore_keeps_local_state_out_of_the_image():
    ignored = {line.strip().rstrip("/") for line in DOCKERIGNORE.read_text(encoding="utf-8").splitlines()}
    assert {".venv", "var", ".git", ".env"} <= ignored


def test_uploaded_files_are_never_handed_to_the_proxy_as_public():
    """Evidence files go out only through the checked view (core/files.py): nothing in the stack
    publishes the media volume at /media/, and the proxy hand-off is an `internal` location."""
    text = COMPOSE.read_text(encoding="utf-8")
    assert "/media/" not in text.replace("/app/var/media", "")
    assert "internal;" in text and "FILES_X_ACCEL_REDIRECT" in text
