"""The load test's journey (`make load`): office, leader and agency users, each signed in once.

Run by scripts/load.sh against the app served by gunicorn (DEBUG=0) on 127.0.0.1, with the accounts
and data that `manage.py prepare_load` wrote to $LOAD_PLAN. A 409 (two load users reporting on the same
assignment at once) is the app's correct answer to a conflict and counts as a success.
"""

import json
import os
import random
import re
import time

from locust import HttpUser, between, task

PLAN = json.loads(open(os.environ["LOAD_PLAN"], encoding="utf-8").read())  # noqa: SIM115
PASSWORD = os.environ["LOAD_PASSWORD"]
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
VERSION = re.compile(r'name="version" value="(\d+)"')
SEARCHES = ["ke hoach", "chuyển đổi số", "đầu tư công", "cải cách hành chính", "giải ngân"]


class OfficeUser(HttpUser):
    wait_time = between(1, 3)
    weight = 4
    role = "office"

    def on_start(self):
        self.account = random.choice([u for u in PLAN["users"] if u["role"] == self.role])
        page = self.client.get("/login/", name="/login/")
        token = CSRF.search(page.text).group(1)
        self.client.post(
            "/login/",
            {"username": self.account["username"], "password": PASSWORD, "csrfmiddlewaretoken": token},
            name="/login/ POST",
        )

    @task(4)
    def dashboard(self):
        self.client.get("/", name="/")

    @task(3)
    def dashboard_filtered(self):
        if random.random() < 0.5:
            self.client.get(f"/?directive={random.choice(PLAN['directives'])}", name="/?directive=")
        else:
            self.client.get(f"/?agency={random.choice(PLAN['agencies'])}", name="/?agency=")

    @task(3)
    def task_list(self):
        if random.random() < 0.5:
            self.client.get("/tasks/", name="/tasks/")
        else:
            self.client.get("/tasks/", params={"q": random.choice(SEARCHES)}, name="/tasks/?q=")

    @task(3)
    def task_page(self):
        self.client.get(f"/tasks/{random.choice(PLAN['tasks'])}/", name="/tasks/<id>/")

    @task(1)
    def dashboard_json(self):
        self.client.get("/dashboard.json", name="/dashboard.json")


class LeaderUser(OfficeUser):
    weight = 3
    role = "leader"


class AgencyUser(OfficeUser):
    weight = 3
    role = "agency"

    @task(2)
    def workspace(self):
        self.client.get("/workspace/", name="/workspace/")

    @task(2)
    def report_progress(self):
        assignment = random.choice(self.account["assignments"])
        url = f"/assignments/{assignment}/report/"
        form = self.client.get(url, name="/assignments/<id>/report/")
        token, version = CSRF.search(form.text), VERSION.search(form.text)
        if not (token and version):
            return  # the assignment was proposed as complete meanwhile: no form, nothing to post
        data = {
            "csrfmiddlewaretoken": token.group(1),
            "version": version.group(1),
            "reported_on": time.strftime("%d/%m/%Y"),
            "percent": str(random.randint(10, 90)),
            "text": "Báo cáo tiến độ trong phép thử tải.",
        }
        with self.client.post(
            url, data, name="/assignments/<id>/report/ POST", catch_response=True, allow_redirects=False
        ) as response:
            if response.status_code in (302, 409):
                response.success()
            else:
                response.failure(f"HTTP {response.status_code}")
