"""The load test's set-up (`make load`): the accounts and plan it writes, and the journey's reading of the
real pages (a form it could not read would silently post nothing)."""

import json
import re

import pytest
from django.core.management import call_command
from django.test import Client

from accounts.models import User
from directives.models import Assignment

pytestmark = pytest.mark.django_db

# The locustfile's patterns (demo/load/locustfile.py imports locust, not installed for the tests).
LOCUSTFILE = open("demo/load/locustfile.py", encoding="utf-8").read()  # noqa: SIM115
CSRF = re.compile(re.search(r"CSRF = re.compile\(r'(.+)'\)", LOCUSTFILE).group(1))
VERSION = re.compile(re.search(r"VERSION = re.compile\(r'(.+)'\)", LOCUSTFILE).group(1))


def test_prepare_load_writes_accounts_and_plan(programme, tmp_path, frozen):
    out = tmp_path / "plan.json"
    call_command("prepare_load", "--tasks", "30", "--password", "thu-tai-123", "--out", str(out))
    plan = json.loads(out.read_text(encoding="utf-8"))
    roles = sorted(u["role"] for u in plan["users"])
    assert roles.count(User.Role.OFFICE) == 1 and roles.count(User.Role.LEADER) == 1
    agency_users = [u for u in plan["users"] if u["role"] == User.Role.AGENCY]
    assert len(agency_users) == 10
    for user in agency_users:
        assert user["assignments"]
        assert set(
            Assignment.objects.filter(pk__in=user["assignments"]).values_list("agency__code", flat=True)
        ) == {user["agency"]}
    assert plan["tasks"] and plan["directives"]
    assert User.objects.get(username="tai-vanphong").check_password("thu-tai-123")


def test_the_journey_reads_the_login_and_report_forms(programme, tmp_path, frozen):
    call_command(
        "prepare_load", "--tasks", "0", "--password", "thu-tai-123", "--out", str(tmp_path / "p.json")
    )
    plan = json.loads((tmp_path / "p.json").read_text(encoding="utf-8"))
    client = Client(enforce_csrf_checks=True)
    login = client.get("/login/")
    token = CSRF.search(login.content.decode()).group(1)
    user = next(u for u in plan["users"] if u["role"] == User.Role.AGENCY)
    signed_in = client.post(
        "/login/", {"username": user["username"], "password": "thu-tai-123", "csrfmiddlewaretoken": token}
    )
    assert signed_in.status_code == 302
    form = client.get(f"/assignments/{user['assignments'][0]}/report/").content.decode()
    assert CSRF.search(form) and VERSION.search(form)
