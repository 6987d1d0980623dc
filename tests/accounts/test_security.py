"""Sign-in protection, sessions, passwords, response headers, error pages and the production settings."""

import datetime
import logging
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import time_machine
from axes.models import AccessAttempt
from django.test import override_settings
from django.urls import path, reverse
from django.views import defaults

from accounts.models import User
from directives.models import Task

from ..conftest import NOW

ROOT = Path(__file__).resolve().parent.parent.parent
LONG_KEY = "k3y-" + "abcdefghijklmnopqrstuvwxyz0123456789" * 2


def sign_in(client, username, password, ip="10.0.0.1"):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip)


# Sign-in protection (django-axes) -----------------------------------------------------------------


def test_five_failures_lock_that_username_at_that_address_for_fifteen_minutes(client, people, frozen):
    for _ in range(4):
        response = sign_in(client, "vanphong", "sai-mat-khau")
        assert response.status_code == 200
        assert "Tên đăng nhập hoặc mật khẩu không đúng." in response.content.decode()
    # The fifth failure locks; the next try, even with the right password, is refused in Vietnamese.
    assert sign_in(client, "vanphong", "sai-mat-khau").status_code == 429
    response = sign_in(client, "vanphong", "camau2023")
    assert response.status_code == 429
    text = response.content.decode()
    assert "Tạm khóa đăng nhập" in text and "15 phút" in text
    assert "_auth_user_id" not in client.session
    # The same username from another address of the office, and a colleague behind the same address,
    # are not locked out by one person's mistakes.
    assert sign_in(client, "vanphong", "camau2023", ip="10.0.0.2").status_code == 302
    client.logout()
    assert sign_in(client, "sokhdt", "camau2023", ip="10.0.0.1").status_code == 302
    client.logout()
    # After 15 minutes the lock is gone.
    frozen.shift(datetime.timedelta(minutes=14))
    assert sign_in(client, "vanphong", "camau2023").status_code == 429
    frozen.shift(datetime.timedelta(minutes=2))
    assert sign_in(client, "vanphong", "camau2023").status_code == 302


def test_the_administrator_unlocks_a_locked_username(client, people, frozen, caplog):
    caplog.set_level(logging.INFO, logger="camau.auth")
    for _ in range(5):
        sign_in(client, "sokhdt", "sai")
    assert sign_in(client, "sokhdt", "camau2023").status_code == 429
    admin = client.__class__()
    admin.force_login(people["admin"])
    listing = admin.get("/admin/accounts/failedsignin/")
    assert listing.status_code == 200
    assert "sokhdt" in listing.content.decode() and "Đăng nhập sai, tạm khóa" in listing.content.decode()
    attempt = AccessAttempt.objects.get(username="sokhdt")
    response = admin.post(
        "/admin/accounts/failedsignin/",
        {"action": "unlock", "_selected_action": [attempt.pk]},
    )
    assert response.status_code == 302
    assert not AccessAttempt.objects.filter(username="sokhdt").exists()
    assert "sign-in unlocked user=sokhdt ip=10.0.0.1 by=admin" in [r.getMessage() for r in caplog.records]
    assert sign_in(client, "sokhdt", "camau2023").status_code == 302


def test_office_staff_cannot_unlock(client, people):
    AccessAttempt.objects.create(
        username="sokhdt",
        ip_address="10.0.0.1",
        user_agent="",
        failures_since_start=5,
        get_data="",
        post_data="",
    )
    client.force_login(people["office"])
    attempt = AccessAttempt.objects.get()
    response = client.post(
        "/admin/accounts/failedsignin/", {"action": "unlock", "_selected_action": [attempt.pk]}
    )
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    assert AccessAttempt.objects.filter(pk=attempt.pk).exists()


def test_sign_ins_failures_and_sign_outs_are_logged_with_user_address_and_path(client, people, caplog):
    caplog.set_level(logging.INFO, logger="camau.auth")
    sign_in(client, "sotaichinh", "sai", ip="10.1.2.3")
    sign_in(client, "sotaichinh", "camau2023", ip="10.1.2.3")
    client.post(reverse("logout"), REMOTE_ADDR="10.1.2.3")
    lines = [(r.levelname, r.getMessage()) for r in caplog.records if r.name == "camau.auth"]
    assert lines == [
        ("WARNING", "sign-in failed user=sotaichinh ip=10.1.2.3 path=/login/"),
        ("INFO", "sign-in user=sotaichinh ip=10.1.2.3 path=/login/"),
        ("INFO", "sign-out user=sotaichinh ip=10.1.2.3 path=/logout/"),
    ]
    # The log handler stamps each line with its time.
    formatter = logging.getLogger().handlers[0].formatter
    assert formatter is not None and "%(asctime)s" in formatter._fmt
    assert not any("camau2023" in message for _, message in lines)


def test_the_address_comes_from_the_proxy_only_when_it_is_trusted(client, people, caplog, settings):
    caplog.set_level(logging.INFO, logger="camau.auth")
    forwarded = {"HTTP_X_FORWARDED_FOR": "1.2.3.4, 172.16.0.9", "REMOTE_ADDR": "10.0.0.5"}
    client.post(reverse("login"), {"username": "x", "password": "y"}, **forwarded)
    settings.TRUSTED_PROXY = True
    client.post(reverse("login"), {"username": "x", "password": "y"}, **forwarded)
    messages = [r.getMessage() for r in caplog.records if r.name == "camau.auth"]
    assert messages == [
        "sign-in failed user=x ip=10.0.0.5 path=/login/",
        "sign-in failed user=x ip=172.16.0.9 path=/login/",
    ]


# Sessions and passwords -----------------------------------------------------------------------------


def test_a_session_ends_after_the_idle_time_and_activity_keeps_it(client, people, settings):
    assert settings.SESSION_COOKIE_AGE == settings.SESSION_IDLE_MINUTES * 60 == 120 * 60
    with time_machine.travel(NOW, tick=False) as clock:
        sign_in(client, "lanhdao", "camau2023")
        for _ in range(4):  # a request every 50 minutes keeps the session for 3 hours and more
            clock.shift(datetime.timedelta(minutes=50))
            assert client.get(reverse("dashboard")).status_code == 200
        clock.shift(datetime.timedelta(minutes=121))
        response = client.get(reverse("dashboard"))
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize(
    "new_password, message",
    [
        ("Ab1", "Mật khẩu quá ngắn: cần ít nhất 8 ký tự."),
        ("12345678901", "Mật khẩu không được chỉ gồm chữ số."),
        ("password123", "Mật khẩu này quá phổ biến, dễ bị đoán ra."),
        ("sokhdt2023", "Mật khẩu quá giống"),
    ],
)
def test_weak_passwords_are_refused_in_vietnamese(client, people, new_password, message):
    client.force_login(people["lead_officer"])
    response = client.post(
        reverse("password-change"),
        {"old_password": "camau2023", "new_password1": new_password, "new_password2": new_password},
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    people["lead_officer"].refresh_from_db()
    assert people["lead_officer"].check_password("camau2023")


def test_changing_the_password(client, people):
    client.force_login(people["lead_officer"])
    page = client.get(reverse("password-change"))
    assert page.status_code == 200 and "Đổi mật khẩu" in page.content.decode()
    wrong = client.post(
        reverse("password-change"),
        {"old_password": "sai", "new_password1": "Rung-duoc-U-Minh-7", "new_password2": "Rung-duoc-U-Minh-7"},
    )
    assert "Mật khẩu hiện tại không đúng." in wrong.content.decode()
    response = client.post(
        reverse("password-change"),
        {
            "old_password": "camau2023",
            "new_password1": "Rung-duoc-U-Minh-7",
            "new_password2": "Rung-duoc-U-Minh-7",
        },
    )
    assert response.status_code == 302 and response["Location"] == reverse("password-changed")
    assert User.objects.get(username="sokhdt").check_password("Rung-duoc-U-Minh-7")
    # Still signed in on this device.
    assert client.get(reverse("dashboard")).status_code == 200


# Headers ----------------------------------------------------------------------------------------------


def test_pages_and_exports_carry_the_security_headers(client, people):
    client.force_login(people["office"])
    for url in ["/", "/dashboard.json", "/dashboard.csv", "/tasks/", "/targets/", "/summaries/"]:
        response = client.get(url)
        assert response.status_code == 200, url
        csp = response["Content-Security-Policy"]
        assert "default-src 'self'" in csp and "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
        assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
        assert "camera=()" in response["Permissions-Policy"]
        assert response["Cache-Control"] == "private, no-store", url
        assert "HX-Request" in response["Vary"], url
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["X-Frame-Options"] == "DENY"


def test_no_template_has_an_inline_script_or_handler():
    inline_script = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
    handler = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)
    offenders = []
    for template in (ROOT / "templates").rglob("*.html"):
        text = template.read_text()
        if inline_script.search(text) or handler.search(text):
            offenders.append(template.name)
    assert offenders == []


def test_the_workspace_agency_picker_submits_without_an_inline_handler(client, people):
    client.force_login(people["office"])
    text = client.get(reverse("workspace")).content.decode()
    assert "data-autosubmit" in text and "onchange" not in text


# Error pages --------------------------------------------------------------------------------------------


def _boom(request):
    raise RuntimeError("boom")


urlpatterns = [path("boom/", _boom), path("", lambda request: defaults.page_not_found(request, None))]


def test_error_pages_are_vietnamese(client, people):
    client.force_login(people["office"])
    response = client.get("/khong-co-trang-nay/")
    assert response.status_code == 404
    assert "Không tìm thấy trang" in response.content.decode()
    client.force_login(people["lead_officer"])
    response = client.get(reverse("task-edit", args=[Task.objects.first().pk]))
    assert response.status_code == 403
    assert "Không có quyền thực hiện" in response.content.decode()
    response = client.get("/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert "Yêu cầu không hợp lệ" in response.content.decode()


def test_a_stale_form_gets_the_vietnamese_csrf_page(people):
    from django.test import Client

    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(people["office"])
    response = csrf_client.post(reverse("logout"))
    assert response.status_code == 403
    assert "Không gửi được biểu mẫu" in response.content.decode()


@override_settings(ROOT_URLCONF=__name__)
def test_the_500_page_renders_without_the_database(client, django_db_blocker):
    client.raise_request_exception = False
    with django_db_blocker.block():
        response = client.get("/boom/")
    assert response.status_code == 500
    text = response.content.decode()
    assert "Hệ thống đang gặp sự cố" in text and "/static/css/app.css" in text


# Production settings (read in a fresh process, as the server would) ----------------------------------


def _settings_process(env: dict, code: str) -> subprocess.CompletedProcess:
    full_env = {k: v for k, v in os.environ.items() if k not in {"TRUSTED_PROXY", "SECURE_SSL_REDIRECT"}}
    full_env.update({"DJANGO_SETTINGS_MODULE": "camau_tasks.settings", **env})
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()\n" + code],
        cwd=ROOT,
        env=full_env,
        capture_output=True,
        text=True,
    )


def test_a_short_secret_key_is_refused_when_debug_is_off():
    result = _settings_process({"DEBUG": "0", "SECRET_KEY": "short-key-1234567890"}, "print('started')")
    assert result.returncode != 0
    assert "SECRET_KEY must be at least 50 random characters" in result.stderr
    result = _settings_process({"DEBUG": "0", "SECRET_KEY": LONG_KEY}, "print('started')")
    assert result.returncode == 0 and "started" in result.stdout, result.stderr


def test_the_proxy_header_is_believed_only_when_a_proxy_is_trusted():
    code = "from django.conf import settings; print(getattr(settings, 'SECURE_PROXY_SSL_HEADER', None))"
    plain = _settings_process({"DEBUG": "0", "SECRET_KEY": LONG_KEY}, code)
    trusted = _settings_process({"DEBUG": "0", "SECRET_KEY": LONG_KEY, "TRUSTED_PROXY": "1"}, code)
    assert plain.stdout.strip() == "None", plain.stderr
    assert trusted.stdout.strip() == "('HTTP_X_FORWARDED_PROTO', 'https')", trusted.stderr


def test_check_deploy_is_clean_with_the_documented_production_environment():
    env = {
        "DEBUG": "0",
        "SECRET_KEY": LONG_KEY,
        "ALLOWED_HOSTS": "theodoi.camau.gov.vn",
        "CSRF_TRUSTED_ORIGINS": "https://theodoi.camau.gov.vn",
        "TRUSTED_PROXY": "1",
        "SECURE_SSL_REDIRECT": "1",
        "SECURE_HSTS_SECONDS": "31536000",
    }
    # The browser tests set DJANGO_ALLOW_ASYNC_UNSAFE in this process; a server never has it.
    full_env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    full_env.update(env)
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=full_env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
    assert result.stderr.strip() == ""


def test_the_image_defaults_to_production():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert re.search(r"^ENV\b[^\n]*(\\\n[^\n]*)*\bDEBUG=0\b", dockerfile, re.MULTILINE), dockerfile
