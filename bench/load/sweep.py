#!/usr/bin/env python
"""Staff pages at the load test's scale: how long each role waits for them, and for which query.

Runs on a state directory that ``run.py --only prepare`` made (1,000,000 cases, ``--state``):
it starts that cluster with the load test's server settings and migrates it to this checkout,
as ``run.py`` does. It then requests pages in-process (Django's test client, every middleware,
signed in, the second factor passed) for each demo account named, ``--repeat`` times after one
untimed request. For each page it prints the median and the slowest wall time, the statements
of one request and the slowest of them.

The pages: the home page by default; ``--paths`` names others; ``--menu`` adds every page the
account's menu links to (what ADR 0076's sweep found slow). The load test's staff open only
some of them, and none of them is in its mix. It asserts nothing about speed (see
bench/README.md). It does not restore the pristine cluster; ``run.py``'s restore does.

    .venv/bin/python bench/load/sweep.py --state DIR [--repeat 5] [--users demo_street ...]
                                         [--paths / /deadlines/ ...] [--menu] [--keep-running]
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
USERS = ["demo_mediator", "demo_director", "demo_street", "demo_district", "demo_city"]
# Links of the menu that are not pages to time: files, signing out, the language switch.
NOT_PAGES = ("/static/", "/logout/", "/i18n/", "/api/", "/media/")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--state", type=Path, required=True)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--users", nargs="+", default=USERS)
    parser.add_argument("--paths", nargs="+", default=["/"])
    parser.add_argument("--menu", action="store_true", help="also every page the menu links to")
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
        measure(args.users, args.paths, args.menu, args.repeat)
    finally:
        if not args.keep_running:
            run.pg_stop(args.state)


def signed_in(username: str) -> Any:
    from django.test import Client

    from tiaojie.accounts import twofactor
    from tiaojie.accounts.models import User

    client = Client(SERVER_NAME="localhost")
    client.force_login(User.objects.get(username=username))
    session = client.session
    session[twofactor.CHECKED_KEY] = True  # as if the second factor was given
    session.save()
    return client


def measure(usernames: list[str], paths: list[str], menu: bool, repeat: int) -> None:
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tiaojie.cases.models import Case

    print(f"# {Case.objects.count():,} cases, {repeat} requests a page after one untimed")
    print(f"{'user':<15} {'page':<28} {'p50 ms':>7} {'max ms':>7} {'queries':>7} {'slowest':>8}")
    for username in usernames:
        client = signed_in(username)
        pages = list(paths)
        if menu:
            home = client.get("/").content.decode()
            links = sorted(set(re.findall(r'href="(/[^"#?]*/)"', home)))
            pages += [link for link in links if not link.startswith(NOT_PAGES)]
        for path in dict.fromkeys(pages):
            status = client.get(path).status_code
            if status != 200:  # not this role's page, or one that answers with a redirect
                print(f"{username:<15} {path:<28} {'HTTP ' + str(status):>7}")
                continue
            times = []
            for _ in range(repeat):
                t0 = time.perf_counter()
                client.get(path)
                times.append((time.perf_counter() - t0) * 1000)
            with CaptureQueriesContext(connection) as captured:
                client.get(path)
            slowest = max((float(q["time"]) for q in captured.captured_queries), default=0.0)
            print(
                f"{username:<15} {path:<28} {statistics.median(times):7.0f} {max(times):7.0f} "
                f"{len(captured.captured_queries):7d} {slowest * 1000:8.0f}"
            )


if __name__ == "__main__":
    main()
