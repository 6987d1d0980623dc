import datetime
import os
import zoneinfo

import pytest
import time_machine
from django.conf import settings
from django.test import override_settings
from playwright.sync_api import sync_playwright

from accounts.models import User
from directives.models import Agency, Directive
from intake.loading.programme import load_programme
from intake.loading.targets import load_targets
from targets.models import Target

from . import factories

VN = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
# "Now" for the tests: 22/11/2026 09:00 in Cà Mau.
NOW = datetime.datetime(2026, 11, 22, 9, 0, tzinfo=VN)
TODAY = NOW.date()
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make are still sync.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

# username, role, agency code
PEOPLE = {
    "office": ("vanphong", User.Role.OFFICE, "VPUBND"),
    "leader": ("lanhdao", User.Role.LEADER, None),
    "lead_officer": ("sokhdt", User.Role.AGENCY, "SKHDT"),
    "other_officer": ("sotaichinh", User.Role.AGENCY, "STC"),
    "unrelated_officer": ("soyte", User.Role.AGENCY, "SYT"),
    "admin": ("admin", User.Role.ADMIN, None),
}


def pytest_configure(config):
    # WhiteNoise warns when STATIC_ROOT is missing; tests serve static files from the finders.
    settings.STATIC_ROOT.mkdir(parents=True, exist_ok=True)


@pytest.fixture(scope="session")
def browser():
    """One Chromium for the whole run: Playwright's sync API cannot start twice in one thread, and both
    tests/browser (live test server) and tests/production (the deployed stack) drive it."""
    if not os.path.exists(CHROMIUM):
        pytest.fail("Chromium is missing: apt-get install chromium (make test does this as root).")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = FAST_HASHERS


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def _ensure_programme():
    if not Directive.objects.filter(reference="01/CTr-UBND").exists():
        load_programme()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the real programme once per session; each test then runs inside a rolled-back transaction."""
    with django_db_blocker.unblock():
        _ensure_programme()


@pytest.fixture
def programme(db):
    """The real 2023 programme, as `load_camau_2023` loads it (reloaded if a transactional test flushed it)."""
    _ensure_programme()


@pytest.fixture
def targets(programme):
    """The real targets of the data file, loaded as `load_camau_2023` loads them, by code."""
    load_targets()
    return {t.code: t for t in Target.objects.select_related("responsible_agency")}


@pytest.fixture
def people(programme):
    """Named users (healthchecks' alice/bob/charlie habit): one per role and scope."""
    with override_settings(PASSWORD_HASHERS=FAST_HASHERS):
        result = {}
        for key, (username, role, code) in PEOPLE.items():
            agency = Agency.objects.get(code=code) if code else None
            result[key] = factories.user(
                username, role, agency, is_staff=role == User.Role.ADMIN, is_superuser=role == User.Role.ADMIN
            )
        return result
