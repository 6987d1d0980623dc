import datetime
import zoneinfo

import pytest
import time_machine

from accounts.models import User
from directives.loading import load_programme
from directives.models import Agency

from . import factories

VN = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
# "Now" for the tests: 22/11/2026 09:00 in Cà Mau.
NOW = datetime.datetime(2026, 11, 22, 9, 0, tzinfo=VN)
TODAY = NOW.date()


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def programme(db):
    """The real 2023 programme, as `load_camau_2023` loads it."""
    load_programme()


@pytest.fixture
def people(programme):
    """Named users (healthchecks' alice/bob/charlie habit): one per role and scope."""
    by_code = {a.code: a for a in Agency.objects.filter(code__in=["SKHDT", "STC", "SYT", "VPUBND"])}
    return {
        "office": factories.user("vanphong", User.Role.OFFICE, by_code["VPUBND"]),
        "leader": factories.user("lanhdao", User.Role.LEADER),
        "lead_officer": factories.user("sokhdt", User.Role.AGENCY, by_code["SKHDT"]),
        "other_officer": factories.user("sotaichinh", User.Role.AGENCY, by_code["STC"]),
        "unrelated_officer": factories.user("soyte", User.Role.AGENCY, by_code["SYT"]),
        "admin": factories.user("admin", User.Role.ADMIN, is_staff=True, is_superuser=True),
    }
