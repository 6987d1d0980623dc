"""The data and accounts of the load test (`make load`, scripts/load.sh).

Loads the real programme, tops the simulated load tasks up to --tasks (as bench_dashboard does), and
creates the load test's accounts with the password given: one office user, one leader and one user for
each of the ten agencies with the most open work. Writes what the locust users need (usernames, roles,
open assignments of each agency, directives and agencies to filter by) to --out as JSON.
"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.models import Count

from accounts.models import User
from directives.models import Agency, Assignment, Directive, Task
from intake.loading.programme import load_programme

from ...simulation.work import generate_load

LOAD_PREFIX = "MO-PHONG-TAI-"
AGENCY_USERS = 10
ASSIGNMENTS_PER_AGENCY = 50
TASK_PAGES = 500


class Command(BaseCommand):
    help = (
        "Chuẩn bị dữ liệu và tài khoản cho phép thử tải (make load). Chỉ chạy trên cơ sở dữ liệu riêng để đo."
    )

    def add_arguments(self, parser):
        parser.add_argument("--tasks", type=int, default=100_000, help="Số nhiệm vụ mô phỏng cần có.")
        parser.add_argument("--password", required=True, help="Mật khẩu của các tài khoản thử tải.")
        parser.add_argument("--out", required=True, help="Tệp JSON ghi danh sách tài khoản và dữ liệu.")

    def handle(self, *args, tasks, password, out, **options):
        if tasks < 0:
            raise CommandError("--tasks phải là số không âm.")
        load_programme()
        existing = Task.objects.filter(directive__reference__startswith=LOAD_PREFIX).count()
        if tasks > existing:
            self.stdout.write(f"Đang thêm {tasks - existing} nhiệm vụ mô phỏng…")
            generate_load(tasks - existing)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        plan = {"users": self._users(password), "directives": self._directives(), "agencies": []}
        plan["tasks"] = list(Task.objects.order_by("?").values_list("id", flat=True)[:TASK_PAGES])
        plan["agencies"] = sorted({u["agency"] for u in plan["users"] if u["agency"]})
        Path(out).write_text(json.dumps(plan, ensure_ascii=False), encoding="utf-8")
        self.stdout.write(
            f"{Task.objects.count()} nhiệm vụ, {Assignment.objects.count()} phân công; "
            f"{len(plan['users'])} tài khoản thử tải; ghi vào {out}."
        )

    def _users(self, password: str) -> list[dict]:
        busiest = (
            Assignment.objects.filter(state=Assignment.State.OPEN)
            .values("agency")
            .annotate(n=Count("id"))
            .order_by("-n")[:AGENCY_USERS]
        )
        agencies = Agency.objects.in_bulk([row["agency"] for row in busiest])
        users = [self._user("tai-vanphong", User.Role.OFFICE, None, password)]
        users.append(self._user("tai-lanhdao", User.Role.LEADER, None, password))
        for agency in agencies.values():
            user = self._user(f"tai-{agency.code.lower()}", User.Role.AGENCY, agency, password)
            user["assignments"] = list(
                Assignment.objects.filter(agency=agency, state=Assignment.State.OPEN)
                .order_by("id")
                .values_list("id", flat=True)[:ASSIGNMENTS_PER_AGENCY]
            )
            users.append(user)
        return users

    @staticmethod
    def _user(username: str, role: str, agency, password: str) -> dict:
        user, _ = User.objects.update_or_create(
            username=username,
            defaults={"role": role, "agency": agency, "display_name": f"Thử tải {username}"},
        )
        user.set_password(password)
        user.save(update_fields=["password"])
        return {
            "username": username,
            "role": role,
            "agency": agency.code if agency else None,
            "assignments": [],
        }

    @staticmethod
    def _directives() -> list[int]:
        return list(Directive.objects.filter(is_simulated=False).order_by("id").values_list("id", flat=True))
