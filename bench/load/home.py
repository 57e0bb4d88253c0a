#!/usr/bin/env python
"""The home page at the load test's scale: how long each role waits for it, and for which query.

Runs on a state directory that ``run.py --only prepare`` made (1,000,000 cases, ``--state``): it
starts that cluster with the load test's server settings, migrates it to this checkout (as
``run.py`` does), and requests the home page in-process (Django's test client, every
middleware, signed in) for each demo account named, ``--repeat`` times after one untimed
request. It prints the median and worst wall time, the statements one request sends and the
slowest of them. Not the load test's mix: everyone opens this page on signing in, the load test's
staff do not. It asserts nothing about speed (see bench/README.md).

    .venv/bin/python bench/load/home.py --state DIR [--repeat 5] [--users demo_street ...]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
USERS = ["demo_mediator", "demo_director", "demo_street", "demo_district", "demo_city"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--state", type=Path, required=True)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--users", nargs="+", default=USERS)
    parser.add_argument("--keep-running", action="store_true", help="leave the cluster up")
    args = parser.parse_args()
    sys.path.insert(0, str(HERE))
    sys.path.insert(0, str(ROOT))
    import run

    url = run.pg_start(args.state, run.PG_SETTINGS)
    try:
        env = run.environment(args.state, url)
        run.migrate(env)
        os.environ.update(env)
        os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.base"
        measure(args.users, args.repeat)
    finally:
        if not args.keep_running:
            run.pg_stop(args.state)


def measure(usernames: list[str], repeat: int) -> None:
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from tiaojie.accounts.models import User
    from tiaojie.cases.models import Case

    home = reverse("workbench:home")
    print(f"# home page: {Case.objects.count():,} cases, {repeat} requests each after one untimed")
    print(f"{'user':<15} {'p50 ms':>8} {'max ms':>8} {'queries':>8} {'slowest ms':>11}  slowest")
    for username in usernames:
        client = Client(SERVER_NAME="localhost")
        client.force_login(User.objects.get(username=username))
        assert client.get(home).status_code == 200, username
        times = []
        for _ in range(repeat):
            t0 = time.perf_counter()
            client.get(home)
            times.append((time.perf_counter() - t0) * 1000)
        with CaptureQueriesContext(connection) as captured:
            client.get(home)
        slowest = max(captured.captured_queries, key=lambda q: float(q["time"]))
        print(
            f"{username:<15} {statistics.median(times):8.0f} {max(times):8.0f} "
            f"{len(captured.captured_queries):8d} {float(slowest['time']) * 1000:11.0f}  "
            f"{slowest['sql'][:70]}"
        )


if __name__ == "__main__":
    main()
