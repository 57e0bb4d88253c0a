"""What the simulated people do, for ``bench/load/run.py`` (locust, headless).

``StaffUser``: one of the staff made by prepare.py, signed in before the run (its session cookie
and an API bearer token). Mediators and directors list their committee's cases, open one, search,
register a dispute with two parties through the API and accept it, read the ledger and the
statistics report; officers do the same without registering. The mediators of the committee that
holds the sample whole files also render one: the click (``POST …/file/render/``, as htmx sends
it), the status fragment polled until the PDF is ready, and the download, timed together as
``whole file PDF: click → downloaded``, on a row of its own when nothing in the file had
changed since an earlier render and its stored file was used (the status says so).

``CitizenUser``: a citizen with a real name given and a signed sign-in cookie. On arrival the
phone asks for a code (``POST /m/login/``, the SMS goes to the outbox backend; the cookie stands
for typing it). Then: the start page and the directory, the guided application (kind of dispute,
four interview answers, the details: it enters the intake queue), tracking (their applications,
one case), and a message to the mediator.

Paths and expected statuses live in ``STAFF_PATHS``/``CITIZEN_FLOW`` so that
tests/bench/test_load_paths.py checks them against the application without gunicorn.
"""

from __future__ import annotations

import json
import os
import random
import re
import secrets
import sys
import time
from itertools import count
from typing import Any

from locust import between, events, task
from locust.contrib.fasthttp import FastHttpUser

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from paths import (
    CITIZEN_PATHS,
    NEIGHBOURS_LEAK,
    SEARCHES,
    STAFF_PATHS,
    application_details,
    case_body,
)

PERSONAS: dict[str, Any] = {}
if os.environ.get("LOAD_PERSONAS"):
    with open(os.environ["LOAD_PERSONAS"], encoding="utf-8") as handle:
        PERSONAS = json.load(handle)


_phones = count()
_staff = count()


class Browser(FastHttpUser):
    """Cookies set by hand: the server marks them Secure (DEBUG off), and the test runs on plain
    HTTP on loopback, where a client's cookie jar would hold them back."""

    abstract = True
    csrf = ""
    cookies: dict[str, str]

    def cookie_header(self) -> dict[str, str]:
        jar = {**self.cookies, "csrftoken": self.csrf}
        return {"Cookie": "; ".join(f"{k}={v}" for k, v in jar.items())}

    def page(self, path: str, name: str, **kwargs: Any) -> Any:
        return self.client.get(path, name=name, headers=self.cookie_header(), **kwargs)

    def post_form(self, path: str, data: dict[str, Any], name: str, expect: int = 302) -> Any:
        headers = {**self.cookie_header(), "X-CSRFToken": self.csrf}
        with self.client.post(
            path, data=data, name=name, headers=headers, allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code != expect:
                response.failure(f"{response.status_code} instead of {expect}")
            return response


class StaffUser(Browser):
    wait_time = between(3, 10)

    def on_start(self) -> None:
        # Each of the prepared staff once (200 users, 200 staff), not drawn at random: a draw
        # with replacement left a third of them out and doubled others, so one run held more
        # street-office officers (the heaviest pages) than the next, and runs of the same
        # code differed by up to 2× at p95 (stop 32).
        self.person = PERSONAS["staff"][next(_staff) % len(PERSONAS["staff"])]
        self.cookies = {"sessionid": self.person["session"]}
        self.csrf = secrets.token_hex(16)
        self.rng = random.Random()
        self.api = {"Authorization": f"Bearer {self.person['token']}"}
        self.renders = (
            self.person["role"] == "mediator"
            and self.person["organisation"] == PERSONAS["whole_files_committee"]
        )
        # The first click comes after a pause like any other, not the moment the user is
        # started: otherwise the ramp's 10 arrivals a second each asked at once, on top of
        # the users already working, and the queue that built carried into the measured
        # phase (its p50 was 970 ms in its first seconds, 60 ms at its end; stop 32).
        time.sleep(self.wait_time())

    @task(20)
    def case_list(self) -> None:
        self.page(STAFF_PATHS["case list"], "case list (page)")

    @task(25)
    def open_case(self) -> None:
        if self.person["cases"]:
            case = self.rng.choice(self.person["cases"])
            self.page(STAFF_PATHS["case"].format(case=case), "case (page)")

    @task(15)
    def search(self) -> None:
        q = self.rng.choice(SEARCHES)
        self.page(STAFF_PATHS["search"].format(q=q), "search (case list ?q=)")

    @task(8)
    def register_and_accept(self) -> None:
        if self.person["role"] == "office_officer":
            return
        with self.client.post(
            STAFF_PATHS["register (API)"],
            json=case_body(self.rng),
            headers=self.api,
            name="register, 2 parties (API)",
            catch_response=True,
        ) as response:
            if response.status_code != 201:
                response.failure(f"{response.status_code}: {response.text[:200]}")
                return
            case = response.json()["id"]
        with self.client.post(
            STAFF_PATHS["accept (API)"].format(case=case),
            json={"action": "accept"},
            headers=self.api,
            name="accept (API)",
            catch_response=True,
        ) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code}: {response.text[:200]}")

    @task(5)
    def ledger(self) -> None:
        self.page(STAFF_PATHS["ledger"], "ledger (page)")

    @task(5)
    def statistics(self) -> None:
        self.page(STAFF_PATHS["statistics report"], "statistics report (page)")

    @task(3)
    def whole_file(self) -> None:
        if not self.renders:
            return
        case = self.rng.choice(PERSONAS["whole_files"])
        started = time.perf_counter()
        headers = {**self.cookie_header(), "X-CSRFToken": self.csrf, "HX-Request": "true"}
        self.client.post(
            STAFF_PATHS["whole file: click"].format(case=case),
            headers=headers,
            name="whole file: click (htmx)",
        )
        pdf = STAFF_PATHS["whole file: download"].format(case=case)
        pages, error, how = 0, "", "laid out"
        for _ in range(240):
            time.sleep(0.25)
            response = self.page(
                STAFF_PATHS["whole file: status"].format(case=case), "whole file: status (poll)"
            )
            text = response.text or ""
            if "failed" in text or "失败" in text:
                error = "the render failed"
                break
            if pdf in text and "<progress" not in text:
                found = re.search(r"(\d+)\s*(?:页|pages?)", text)
                pages = int(found.group(1)) if found else 0
                if 'data-reused="true"' in text:  # nothing changed since an earlier render
                    how = "unchanged, reused"
                break
        else:
            error = "not ready after 60 s"
        if not error:
            response = self.page(pdf, "whole file: download")
            if not (response.content or b"").startswith(b"%PDF"):
                error = "the download is not a PDF"
        events.request.fire(  # type: ignore[no-untyped-call]
            request_type="PDF",
            name=f"whole file: click → downloaded ({pages or '?'} pages, {how})",
            response_time=(time.perf_counter() - started) * 1000,
            response_length=0,
            exception=RuntimeError(error) if error else None,
            context={},
        )


class CitizenUser(Browser):
    wait_time = between(5, 15)

    def on_start(self) -> None:
        index = next(_phones) % len(PERSONAS["citizens"])
        self.person = PERSONAS["citizens"][index]
        self.csrf = secrets.token_hex(16)
        self.cookies = {}
        self.cases: list[int] = []
        self.rng = random.Random()
        phone = {"phone": self.person["phone"]}
        self.post_form(CITIZEN_PATHS["sign in"], phone, "sign in: send code", 200)
        self.cookies = {"tj_citizen": self.person["cookie"]}

    @task(2)
    def browse(self) -> None:
        self.page(CITIZEN_PATHS["home"], "home (/m/)")
        self.page(CITIZEN_PATHS["directory"], "directory")

    @task(2)
    def apply(self) -> None:
        self.page(CITIZEN_PATHS["apply"], "apply: kind of dispute")
        kind = {"dispute_type": PERSONAS["neighbours"]}
        self.post_form(CITIZEN_PATHS["apply"], kind, "apply: choose kind")
        for question, value in NEIGHBOURS_LEAK:
            answer = {"question": question, "value": value}
            self.post_form(CITIZEN_PATHS["question"], answer, "apply: answer")
        self.page(CITIZEN_PATHS["details"], "apply: details form")
        details = application_details(self.rng, PERSONAS["committee_a"])
        response = self.post_form(CITIZEN_PATHS["details"], details, "apply: submit")
        found = re.search(r"/m/cases/(\d+)/", response.headers.get("Location", "") or "")
        if found:
            self.cases.append(int(found.group(1)))

    @task(5)
    def track(self) -> None:
        self.page(CITIZEN_PATHS["my cases"], "track: my applications")
        if self.cases:
            case = self.rng.choice(self.cases)
            self.page(CITIZEN_PATHS["case"].format(case=case), "track: one case")

    @task(1)
    def message(self) -> None:
        if self.cases:
            case = self.rng.choice(self.cases)
            text = {"text": "请问什么时候安排调解？"}
            self.post_form(CITIZEN_PATHS["case"].format(case=case), text, "message")
