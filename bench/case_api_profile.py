#!/usr/bin/env python
"""Where a registration's and an accept move's milliseconds go, in-process.

Same project, database and demo as ``bench/case_api.py``, but the requests go through
Django's WSGI handler in this thread (``django.test.Client``), so that cProfile sees every
frame: authentication, middleware, schemas, the services, the transition engine, audit and
events. It prints the per-request mean of each request type and the cumulative time of the
top functions, and can write the raw profile for ``snakeviz``/``pstats``.

    .venv/bin/python bench/case_api_profile.py [--requests 200] [--database-url URL]
        [--sort cumulative|tottime] [--limit 60] [--dump FILE]
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import random
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

from case_api import BARE_PATH, OVERRIDES, case_body, install_urlconf
from org_tree import database_label, throwaway_database


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--database-url")
    parser.add_argument("--sort", default="cumulative")
    parser.add_argument("--limit", type=int, default=60)
    parser.add_argument("--only", choices=["create", "accept", "bare"], help="profile one kind")
    parser.add_argument("--dump", help="write the raw profile here")
    return parser.parse_args(argv)


def run(args: argparse.Namespace) -> None:
    from django.test import Client

    from tiaojie.accounts.demo import demo_password, seed_demo

    seed_demo()
    install_urlconf()
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans", SERVER_NAME="127.0.0.1")
    answer = client.post(
        "/api/v1/auth/token",
        {"username": "demo_mediator", "password": demo_password()},
        content_type="application/json",
    )
    headers = {"Authorization": f"Bearer {answer.json()['token']}"}
    rng = random.Random(2011)
    ids: list[int] = []

    def post(path: str, body: dict[str, Any], expect: int) -> dict[str, Any]:
        response = client.post(path, body, content_type="application/json", headers=headers)
        if response.status_code != expect:
            raise SystemExit(f"{path}: {response.status_code} {response.content[:400]!r}")
        result: dict[str, Any] = response.json()
        return result

    def create() -> None:
        ids.append(int(post("/api/v1/cases", case_body(rng), 201)["id"]))

    def accept() -> None:
        post(f"/api/v1/cases/{ids.pop()}/transitions", {"action": "accept"}, 200)

    def bare() -> None:
        post(BARE_PATH, {}, 200)

    for _ in range(10):  # warm up
        create()
        accept()
        bare()
    kinds: dict[str, Callable[[], None]] = {"create": create, "accept": accept, "bare": bare}
    times: dict[str, list[float]] = {k: [] for k in kinds}
    profiler = cProfile.Profile()
    for _ in range(args.requests):
        for name, call in kinds.items():
            if name == "accept" and not ids:
                create()
            profile = args.only is None or args.only == name
            t0 = time.perf_counter()
            if profile:
                profiler.enable()
            call()
            if profile:
                profiler.disable()
            times[name].append((time.perf_counter() - t0) * 1000)
    print(f"In-process on {database_label()}, {args.requests} of each (profiler on):")
    for name, values in times.items():
        print(f"  {name:<7} p50 {statistics.median(values):7.2f} ms")
    stats = pstats.Stats(profiler, stream=sys.stdout)
    if args.dump:
        stats.dump_stats(args.dump)
    stats.sort_stats(args.sort).print_stats(args.limit)


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    with throwaway_database(args.database_url, OVERRIDES):
        run(args)


if __name__ == "__main__":
    main()
