"""Playwright driving Debian's Chromium (the `browser` fixture of tests/conftest.py) against the live test server."""

import pytest
import time_machine

from demo.simulation.targets import simulate_actuals
from demo.simulation.work import simulate_history

from ..conftest import NOW


@pytest.fixture
def demo(people, transactional_db):
    """The real programme, its simulated history and the named users, as `make run` has them."""
    with time_machine.travel(NOW, tick=True):
        simulate_history(seed=2023)
        simulate_actuals(seed=2023)
        yield people


@pytest.fixture
def page(browser, live_server, demo):
    context = browser.new_context(base_url=live_server.url, locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh")
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


def log_in(page, username, password="camau2023"):
    page.goto("/login/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(password)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url("**/")
