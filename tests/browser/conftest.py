"""Browser fixtures: the system Chromium driven by Playwright against pytest-django's live server.

One Chromium per test module, a fresh browser context (cookies, storage) per test, and the demo
data (``revans.site.demo``) loaded into the test database for every test.
"""

import os
from dataclasses import dataclass

import pytest
from chromium import CHROMIUM, launch
from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright

DESKTOP = {"width": 1280, "height": 900}
TIMEOUT_MS = 15_000

expect.set_options(timeout=TIMEOUT_MS)


def pytest_collection_modifyitems(config, items):
    if not os.access(CHROMIUM, os.X_OK):
        skip = pytest.mark.skip(reason=f"{CHROMIUM} is not installed (make chromium)")
        for item in items:
            if "browser" in item.keywords:
                item.add_marker(skip)


@pytest.fixture(scope="module")
def browser() -> Browser:
    # Playwright's sync API keeps an asyncio event loop running in this thread; Django refuses
    # database access from a thread with a running loop unless told it is safe (it is: the loop
    # only drives the browser). Only while the browser runs, so no other test inherits it.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = launch(playwright)
            yield browser
            browser.close()
    finally:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]


@dataclass
class Demo:
    """The demo world, as the tests need it: ids are looked up, never assumed."""

    aurora_id: int
    programme_id: int
    password: str

    @staticmethod
    def email(key: str) -> str:
        from revans.site.demo import DOMAIN

        return f"{key}@{DOMAIN}"


# The demo as first loaded in this process, kept in memory (SQLite only): each later journey
# starts from a copy of it rather than loading the demo again, a tenth of the time.
_loaded_demo: list = []


@pytest.fixture
def demo(transactional_db) -> Demo:
    import sqlite3

    from django.db import connection

    from revans.programmes.models import Programme
    from revans.sets.models import Set
    from revans.site.demo import PASSWORD, load_demo

    if connection.vendor == "sqlite" and _loaded_demo:
        connection.ensure_connection()
        _loaded_demo[0].backup(connection.connection)
    else:
        # The formation journeys add the cohort they need, the evidence journeys the council
        # programme (load_demo(cohort=False) again adds it).
        load_demo(cohort=False, council=False)
        if connection.vendor == "sqlite":
            kept = sqlite3.connect(":memory:", check_same_thread=False)
            connection.connection.backup(kept)
            _loaded_demo.append(kept)
    return Demo(
        aurora_id=Set.objects.get(name="Aurora").pk,
        programme_id=Programme.objects.get(name="Leading Change").pk,
        password=PASSWORD,
    )


class Browsing:
    """Opens fresh browser contexts (each a separate person) against the live server."""

    def __init__(self, browser: Browser, base_url: str) -> None:
        self.browser = browser
        self.base_url = base_url
        self.contexts: list[BrowserContext] = []

    def new_page(self, viewport: dict | None = None) -> Page:
        context = self.browser.new_context(
            base_url=self.base_url, viewport=viewport or DESKTOP, locale="en-GB"
        )
        context.set_default_timeout(TIMEOUT_MS)
        self.contexts.append(context)
        return context.new_page()

    def close(self) -> None:
        for context in self.contexts:
            context.close()


@pytest.fixture(scope="session")
def asgi_server(django_db_setup, django_db_blocker):
    """Revans's ASGI application (HTTP and WebSockets) served by uvicorn from a thread, as
    `revans serve` does; the test database is a file, so the server's threads see what the
    tests commit."""
    import socket
    import threading
    import time

    import uvicorn

    from revans.asgi import application

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(
            application, host="127.0.0.1", port=port, lifespan="off", log_level="warning"
        )
    )
    thread = threading.Thread(target=server.run, daemon=True)
    with django_db_blocker.unblock():
        thread.start()
        deadline = time.monotonic() + 15
        while not server.started and time.monotonic() < deadline:
            time.sleep(0.05)
        yield f"http://127.0.0.1:{port}"
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture
def browsing(browser, asgi_server, demo) -> Browsing:
    browsing = Browsing(browser, asgi_server)
    yield browsing
    browsing.close()


@pytest.fixture
def page(browsing) -> Page:
    return browsing.new_page()


@pytest.fixture
def sign_in(demo, asgi_server):
    """``sign_in(page, "fran")``: a signed-in session for that person, made as Django's test
    client makes one and handed to the page's browser as its cookie; then the dashboard.
    ``sign_in.through_the_form(page, "fran")`` signs in through the real allauth form, as the
    accounts journeys do (walking the form for every person of every journey cost a tenth of
    the browser journeys' time)."""
    from django.conf import settings
    from django.test import Client

    from revans.accounts.models import User

    def through_the_form(page: Page, key: str) -> Page:
        page.goto("/accounts/login/")
        page.get_by_label("Email").fill(demo.email(key))
        page.get_by_label("Password").fill(demo.password)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url("**/dashboard/")
        return page

    def sign_in(page: Page, key: str) -> Page:
        client = Client()
        client.force_login(User.objects.get(email=demo.email(key)))
        name = settings.SESSION_COOKIE_NAME
        page.context.add_cookies(
            [{"name": name, "value": client.cookies[name].value, "url": asgi_server}]
        )
        page.goto("/dashboard/")
        return page

    sign_in.through_the_form = through_the_form  # type: ignore[attr-defined]
    return sign_in
