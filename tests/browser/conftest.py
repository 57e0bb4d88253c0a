"""Browser fixtures: one headless Debian Chromium per run, a fresh zh-CN context per test, the
live server, and the demo world re-seeded after each flush of the transactional database."""

from __future__ import annotations

import os
import threading
import urllib.request
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, sync_playwright
from pytest_django.live_server_helper import LiveServer

from conftest import restore_world

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
TIMEOUT_MS = 10_000
# A camera and microphone that exist (a test pattern and a beep), allowed without asking.
FAKE_MEDIA = ["--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream"]
SERVER_DRAIN_SECONDS = 10.0


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    # Playwright's sync API runs an event loop in the test thread, and Django refuses the ORM
    # next to a running loop. Allowed for browser runs only, never for the main suite.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as p:
        yield p
    if previous is None:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    browser = playwright.chromium.launch(
        executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
    )
    yield browser
    browser.close()


@pytest.fixture
def video_browsers(playwright: Playwright) -> Iterator[tuple[Browser, Browser]]:
    """Two separate Chromium processes with fake cameras, as two people's devices (video
    mediation)."""
    launched = [
        playwright.chromium.launch(
            executable_path=CHROMIUM, args=[*CHROMIUM_ARGS, *FAKE_MEDIA], headless=True
        )
        for _ in range(2)
    ]
    yield launched[0], launched[1]
    for browser in launched:
        browser.close()


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    context = browser.new_context(locale="zh-CN")
    context.set_default_timeout(TIMEOUT_MS)
    yield context
    context.close()


@pytest.fixture
def page(context: BrowserContext) -> Page:
    return context.new_page()


# The live server's first request imports every view module and reads the translations,
# which on a busy two-core machine outlasts a page's 10-second timeout: the first test of a run
# then fails at its first page for a reason no user would meet. One request with a generous
# timeout pays that once, outside any test's timeouts.
FIRST_REQUEST_SECONDS = 120.0
_warmed: set[str] = set()


def _one_request_at_a_time(live_server: LiveServer) -> None:
    """Serve the live server's requests one after another.

    Its request threads share the test's in-memory SQLite connection. A page sends requests
    side by side (an htmx suggestion while the form is posted), and two transactions on one
    connection break each other: "cannot release savepoint - SQL statements in progress",
    and the case just registered is rolled back under its own page. Production has a
    connection per worker; here a lock stands in for that. Each answer is read out under the
    lock, and closed there, so Django's end-of-request work runs inside it too.
    """
    httpd = live_server.thread.httpd
    app = httpd.get_app()
    assert app is not None  # the server is running
    if getattr(app, "one_at_a_time", False):
        return
    lock = threading.Lock()

    def serialised(environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
        with lock:
            answer = app(environ, start_response)
            try:
                return list(answer)
            finally:
                close = getattr(answer, "close", None)
                if close is not None:
                    close()

    serialised.one_at_a_time = True  # type: ignore[attr-defined]
    httpd.set_app(serialised)


@pytest.fixture
def server_url(live_server: LiveServer) -> str:
    _one_request_at_a_time(live_server)
    url = str(live_server.url)
    if url not in _warmed:
        login = f"{url}/login/"  # the live server's own http:// address
        with urllib.request.urlopen(login, timeout=FIRST_REQUEST_SECONDS) as answer:  # noqa: S310
            answer.read()
        _warmed.add(url)
    return url


def _drain(live_server: LiveServer) -> None:
    """Wait for the live server's request threads to end.

    The browser leaves requests in flight when a test ends (an htmx branch loading, the favicon
    Chromium fetches on its own, which Playwright cannot see). Their threads share the test's
    in-memory SQLite connection, so flushing the database under them fails with "database table
    is locked". Closing the browser context closes its connections; this waits for the threads.
    """
    threads = getattr(live_server.thread.httpd, "_threads", ())
    # Before its first threaded request the server holds a placeholder that is not a list.
    if not isinstance(threads, Iterable):
        return
    for thread in list(threads):
        thread.join(SERVER_DRAIN_SECONDS)


@pytest.fixture(autouse=True)
def _demo_world(transactional_db: None, live_server: LiveServer) -> Iterator[None]:
    """The live server's database is flushed after every test: put the demo world back.

    Being autouse, this is set up before the browser context and torn down after it is closed,
    so the drain below runs between the context closing and the flush.
    """
    restore_world()
    yield
    _drain(live_server)
