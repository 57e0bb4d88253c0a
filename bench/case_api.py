#!/usr/bin/env python
"""The cases API over HTTP: registering a case and accepting it, against a bare endpoint.

Serves the whole project (every middleware, the real URLconf) with Django's threaded WSGI
server in a background thread, on a free port of 127.0.0.1, against a throw-away database with
the demo network and accounts (``tiaojie.accounts.demo.seed_demo``). A client in the main thread
takes a token for ``demo_mediator`` and then times, over one keep-alive connection of
``http.client``, interleaved request by request:

1. ``POST /api/v1/cases``: a dispute with two parties, through ``case_register``;
2. ``POST /api/v1/cases/{id}/transitions`` ``{"action": "accept"}`` on a case just registered;
3. the baseline: ``POST /bench/ok``, a django-ninja endpoint that only returns ``{"ok": true}``
   behind the same bearer authentication and middleware. It exists only in this process: the
   benchmark mounts its own ``NinjaAPI`` next to ``config.urls`` in a URLconf of its own.

It prints medians, 95th percentiles and means per operation, their ratio to the bare endpoint,
the SQL statements each request made and the time spent inside them, and the floor of those
statements: the share of the bare rate a request would reach if only its extra SQL were left.
It asserts nothing about speed and is not part of the test suite (see bench/README.md).

    .venv/bin/python bench/case_api.py [--requests 300] [--database-url URL]
"""

from __future__ import annotations

import argparse
import http.client
import json
import logging
import platform
import random
import statistics
import sys
import threading
import time
import types
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from org_tree import database_label, percentile, throwaway_database

if TYPE_CHECKING:
    from wsgiref.types import StartResponse, WSGIApplication, WSGIEnvironment

URLCONF = "tiaojie_bench_api_urls"
BARE_PATH = "/bench/ok"
# Bench-only: seeding the demo accounts should not spend ten seconds hashing passwords. Requests
# authenticate with a bearer token, whose check does not depend on the password hasher.
OVERRIDES: dict[str, Any] = {
    "ROOT_URLCONF": URLCONF,
    "PASSWORD_HASHERS": ["django.contrib.auth.hashers.MD5PasswordHasher"],
}


# --- The server ------------------------------------------------------------------------------


def install_urlconf() -> None:
    """A URLconf holding the project's and one bare route: ``POST /bench/ok``."""
    from django.http import HttpRequest
    from django.urls import include, path
    from ninja import NinjaAPI

    from tiaojie.accounts.bearer import BearerAuth

    bare = NinjaAPI(
        title="Tiaojie benchmark",
        urls_namespace="bench_bare",
        auth=BearerAuth(),
        docs_url=None,
        openapi_url=None,
    )

    @bare.post("/ok")
    def ok(request: HttpRequest) -> dict[str, bool]:
        return {"ok": True}

    module = types.ModuleType(URLCONF)
    module.__dict__["urlpatterns"] = [path("bench/", bare.urls), path("", include("config.urls"))]
    sys.modules[URLCONF] = module


class QueryCounter:
    """Wraps the WSGI application; counts the SQL statements of each request and the time
    spent inside them (the driver's round trips and the database's work, as the server thread
    sees it), so that each operation's milliseconds split into SQL and everything else."""

    def __init__(self, app: WSGIApplication) -> None:
        self.app = app
        self.last = 0
        self.last_sql_ms = 0.0

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        from django.db import connection

        count = 0
        spent = 0.0

        def counting(execute: Callable[..., Any], *args: Any) -> Any:
            nonlocal count, spent
            count += 1
            t0 = time.perf_counter()
            try:
                return execute(*args)
            finally:
                spent += time.perf_counter() - t0

        with connection.execute_wrapper(counting):
            response = self.app(environ, start_response)
        self.last = count
        self.last_sql_ms = spent * 1000
        return response


def start_server() -> tuple[int, QueryCounter, Callable[[], None]]:
    """Django's threaded development server (keep-alive needs the threaded one), quiet."""
    from django.core.handlers.wsgi import WSGIHandler
    from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler

    class QuietHandler(WSGIRequestHandler):
        # Headers and body go out in separate writes: without TCP_NODELAY, Nagle's algorithm
        # holds the body back until the client's delayed ACK, 40 ms per request on Linux.
        # Production servers (gunicorn, uWSGI) set it too.
        disable_nagle_algorithm = True

        def log_message(self, format: str, *args: Any) -> None:
            pass

    class Server(ThreadedWSGIServer):
        # Joined on close: each connection's thread closes its database connection as it
        # ends, and the throw-away database can only be dropped once they are all closed.
        daemon_threads = False
        block_on_close = True

    logging.getLogger("django.server").setLevel(logging.ERROR)
    counter = QueryCounter(WSGIHandler())
    server = Server(("127.0.0.1", 0), QuietHandler, allow_reuse_address=False)
    server.set_app(counter)
    thread = threading.Thread(target=server.serve_forever, name="bench-server", daemon=True)
    thread.start()

    def stop() -> None:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)

    return int(server.server_address[1]), counter, stop


# --- The client ------------------------------------------------------------------------------


class Client:
    """One keep-alive HTTP/1.1 connection; reconnects only if the server closes it."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.token = ""
        self.reconnects = 0
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)

    def close(self) -> None:
        self.connection.close()

    def post(self, path: str, body: dict[str, Any], expect: int) -> dict[str, Any]:
        headers = {"Content-Type": "application/json", "Accept-Language": "zh-hans"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        payload = json.dumps(body, ensure_ascii=False).encode()
        self.connection.request("POST", path, body=payload, headers=headers)
        response = self.connection.getresponse()
        data = response.read()
        if response.will_close:
            self.connection.close()
            self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
            self.reconnects += 1
        if response.status != expect:
            raise SystemExit(f"POST {path}: {response.status} {data.decode()[:500]}")
        result: dict[str, Any] = json.loads(data)
        return result


def case_body(rng: random.Random) -> dict[str, Any]:
    """A dispute told as the demo tells them, with two parties (ID numbers, phones)."""
    import datetime as dt

    from tiaojie.cases.demo_stories import GIVEN, PLACES, STORIES, SURNAMES
    from tiaojie.core.validators import id_number_check_char

    code = rng.choice(["neighbours", "marriage_family", "contract", "damages", "other"])
    summary, narrative, requests = rng.choice(STORIES[code])
    names = [rng.choice(SURNAMES) + rng.choice(GIVEN) for _ in range(2)]
    values = {
        "a": names[0],
        "b": names[1],
        "place": rng.choice(PLACES),
        "amount": str(rng.choice([800, 3000, 12000])),
        "company": "临江市宏达装饰工程有限公司",
        "months": rng.randint(2, 8),
        "people": 2,
    }

    def party(role: str, name: str) -> dict[str, Any]:
        born = dt.date(1950, 1, 1) + dt.timedelta(days=rng.randrange(0, 365 * 50))
        body = f"420102{born:%Y%m%d}{rng.randrange(0, 1000):03d}"
        return {
            "role": role,
            "name": name,
            "id_number": body + id_number_check_char(body),
            "phone": f"1{rng.choice('3578')}{rng.randrange(0, 10**9):09d}",
            "address": f"东湖街道{rng.choice(PLACES)}",
        }

    return {
        "dispute_type": code,
        "source": "application",
        "summary": summary,
        "narrative": narrative.format(**values),
        "requests": requests.format(**values),
        "parties": [party("applicant", names[0]), party("respondent", names[1])],
    }


# --- Measuring -------------------------------------------------------------------------------


@dataclass
class Operation:
    label: str
    call: Callable[[], None]
    times_ms: list[float] = field(default_factory=list)
    sql_ms: list[float] = field(default_factory=list)
    queries: int = 0


def measure(
    operations: list[Operation], requests: int, warm_up: int, counter: QueryCounter
) -> None:
    """``warm_up`` untimed rounds, then ``requests`` timed ones; each round makes every
    operation once, in an order rotated round by round. The counter keeps each request's
    statements and their time (the server answers before the client reads the end of the
    answer, so the counter holds the request's figures when ``call`` returns)."""
    for _ in range(warm_up):
        for operation in operations:
            operation.call()
    for index in range(requests):
        shift = index % len(operations)
        for operation in operations[shift:] + operations[:shift]:
            t0 = time.perf_counter()
            operation.call()
            operation.times_ms.append((time.perf_counter() - t0) * 1000)
            operation.sql_ms.append(counter.last_sql_ms)
            operation.queries = counter.last


def print_table(operations: list[Operation], baseline: Operation) -> None:
    header = (
        f"{'operation':<44} {'p50 ms':>8} {'p95 ms':>8} {'mean ms':>8} "
        f"{'p50 ratio':>10} {'mean ratio':>11} {'queries':>8} {'SQL ms':>7} {'other ms':>9}"
    )
    print(header)
    print("-" * len(header))
    b50, bmean = statistics.median(baseline.times_ms), statistics.fmean(baseline.times_ms)
    for o in operations:
        p50, mean = statistics.median(o.times_ms), statistics.fmean(o.times_ms)
        sql = statistics.fmean(o.sql_ms)
        print(
            f"{o.label:<44} {p50:>8.2f} {percentile(o.times_ms, 0.95):>8.2f} {mean:>8.2f} "
            f"{f'{p50 / b50:.1f}×':>10} {f'{mean / bmean:.1f}×':>11} {o.queries:>8} "
            f"{sql:>7.2f} {mean - sql:>9.2f}"
        )
    print(
        "\nSQL ms: mean time inside the request's statements (driver and database; COMMIT "
        "not\nincluded); other ms: the rest of the mean. Rate against the bare endpoint "
        "if a request\ncost the bare one's mean plus only its own extra SQL (the floor of these "
        "statements):"
    )
    bare_sql = statistics.fmean(baseline.sql_ms)
    for o in operations:
        if o is baseline:
            continue
        floor = bmean + statistics.fmean(o.sql_ms) - bare_sql
        print(
            f"  {o.label:<44} {bmean / floor:>6.0%}  (measured {bmean / statistics.fmean(o.times_ms):.0%})"
        )


# --- Main ------------------------------------------------------------------------------------


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument(
        "--requests", type=int, default=300, help="timed requests per operation (default 300)"
    )
    parser.add_argument(
        "--warm-up", type=int, default=10, help="untimed requests of each first (default 10)"
    )
    parser.add_argument(
        "--database-url",
        help="a PostgreSQL server to use (a fresh database is created on it and dropped); "
        "default: a throw-away SQLite file in a temporary directory",
    )
    parser.add_argument("--seed", type=int, default=2011, help="random seed of the cases")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    if args.requests < 20:
        raise SystemExit("--requests must be at least 20")
    with throwaway_database(args.database_url, OVERRIDES):
        run(args)


def run(args: argparse.Namespace) -> None:
    import django
    from django.db import connections

    from tiaojie.accounts.demo import demo_password, seed_demo

    seed_demo()
    install_urlconf()
    connections.close_all()  # the server thread opens its own; the main thread needs none
    port, counter, stop = start_server()
    client = Client(port)
    try:
        token = client.post(
            "/api/v1/auth/token",
            {"username": "demo_mediator", "password": demo_password()},
            expect=200,
        )
        client.token = str(token["token"])
        rng = random.Random(args.seed)
        registered: deque[int] = deque()

        def create() -> None:
            registered.append(int(client.post("/api/v1/cases", case_body(rng), expect=201)["id"]))

        def accept() -> None:
            case_id = registered.popleft()
            body = {"action": "accept"}
            case = client.post(f"/api/v1/cases/{case_id}/transitions", body, expect=200)
            if case["status"] != "accepted":
                raise SystemExit(f"case {case_id} is {case['status']} after accept")

        def bare() -> None:
            if client.post(BARE_PATH, {}, expect=200) != {"ok": True}:
                raise SystemExit(f"{BARE_PATH} answered something else")

        create()  # one case ahead, so that accept always finds a fresh one
        operations = [
            Operation("POST /api/v1/cases (2 parties)", create),
            Operation("POST /api/v1/cases/{id}/transitions accept", accept),
            Operation(f"POST {BARE_PATH} (bare, same auth)", bare),
        ]
        started = time.perf_counter()
        measure(operations, args.requests, args.warm_up, counter)
        elapsed = time.perf_counter() - started
    finally:
        client.close()
        stop()
    print(
        f"Cases API over HTTP on {database_label()} (Python {platform.python_version()}, "
        f"Django {django.get_version()}), Django's threaded WSGI server in-process"
    )
    print(
        f"{args.requests} timed requests of each, interleaved, after {args.warm_up} untimed; "
        f"one keep-alive connection ({client.reconnects} reconnects); {elapsed:.1f} s.\n"
    )
    print_table(operations, operations[-1])


if __name__ == "__main__":
    main()
