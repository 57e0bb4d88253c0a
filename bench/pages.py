#!/usr/bin/env python
"""What a page costs the server: the pages the load test's staff open, the home page and the queue.

Builds a throw-away database with the demo world and ``--cases`` generated cases (the generator
of ``bench/case_search.py``, as ``bench/load`` uses), moves the newest few hundred of them into
the 东湖 district centre's queue, and then requests each page ``--repeat`` times in-process with
Django's test client, signed in as

* a district officer (``demo_district``, 东湖区 bureau, a governance centre): the case list,
  a case page, a search for 费 (a frequent word), the home page, the ledger, the statistics
  report and the centre's queue;
* a committee mediator (``demo_mediator``): the same but the queue.

Requests are interleaved page by page, so that load from other work on the machine falls on every
page alike. Each page's figure is CPU time of this process (``time.process_time``: Python,
templates and the database driver; SQLite runs in-process too, PostgreSQL's server does not
count) and wall time; the baseline is a trivial Django view (``HttpResponse("ok")`` behind the
same middleware and session) measured in the same loop. It prints p50/p95 per page, the ratio to
the baseline and the SQL statements one request sends; ``--profile`` adds each page's ten
functions with the most own time (cProfile). It asserts nothing about speed and is not part of
the test suite (see bench/README.md).

    .venv/bin/python bench/pages.py [--cases 20000] [--repeat 30] [--database-url URL]
                                    [--keep DIR | --reuse DIR] [--source CHECKOUT] [--profile]
                                    [--freeze]

``--keep DIR`` leaves the SQLite database in DIR; ``--reuse DIR`` measures it again without
generating (the schema is the same on both sides of a change that adds no migration), and
``--source`` imports the project from another checkout: so a before/after pair is two runs of this
script on the same data, alternately, e.g. ``--source /work/main --reuse DIR`` and ``--reuse DIR``.

A last line gives what the cyclic garbage collector cost the loop: its share of the CPU, the
full (generation 2) collections and the longest of them. ``--freeze`` first freezes the process
as ``config.wsgi`` leaves a server before its first request (``gc.freeze``, ADR 0078); two runs
alternating with and without it compare the two.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import platform
import pstats
import shutil
import statistics
import sys
import tempfile
import time
import types
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent


URLCONF = "tiaojie_bench_pages_urls"
BARE_PATH = "/bench/ok/"
QUEUED = 300  # cases moved into the district centre's queue (the page shows 100)


def _urlconf() -> None:
    """The project's URLs plus the baseline view, in a URLconf that exists only in this process."""
    from django.http import HttpRequest, HttpResponse
    from django.urls import include, path

    from tiaojie.core.access import SIGNED_IN, access

    @access(SIGNED_IN)
    def bare(request: HttpRequest) -> HttpResponse:
        return HttpResponse("ok")

    module = types.ModuleType(URLCONF)
    module.urlpatterns = [  # type: ignore[attr-defined]
        path(BARE_PATH.strip("/") + "/", bare),
        path("", include("config.urls")),
    ]
    module.handler404 = "config.api.not_found"  # type: ignore[attr-defined]
    sys.modules[URLCONF] = module


@dataclass
class Page:
    who: str
    name: str
    path: str
    cpu: list[float] = field(default_factory=list)
    wall: list[float] = field(default_factory=list)
    queries: int = 0
    size: int = 0


def _load(cases: int, seed: int) -> None:
    import importlib

    case_search = importlib.import_module("case_search")
    generator = case_search.prepare(seed)
    t0 = time.perf_counter()
    case_search.load_cases(generator, cases, progress=True)
    print(f"# generated {cases:,} cases in {time.perf_counter() - t0:.0f} s", file=sys.stderr)


def _queue() -> None:
    """The district centre's queue: the newest registered cases of its district wait there.
    Done once; a reused database already has them."""
    from django.utils import timezone

    from tiaojie.accounts.models import User
    from tiaojie.cases import numbering
    from tiaojie.cases.choices import CaseStatus
    from tiaojie.cases.models import Case

    centre = User.objects.get(username="demo_district").organisation
    if Case.objects.filter(committee=centre, status=CaseStatus.QUEUED).count() >= QUEUED:
        return
    ids = list(
        Case.objects.filter(committee_path__startswith=centre.path, status=CaseStatus.REGISTERED)
        .order_by("-id")
        .values_list("id", flat=True)[:QUEUED]
    )
    # Receipt numbers of the centre's own series, as intake gives a queued dispute.
    for i, (pk, year) in enumerate(Case.objects.filter(id__in=ids).values_list("id", "year")):
        number = numbering.format_receipt(centre, year, 100_000 + i)
        Case.objects.filter(id=pk).update(
            status=CaseStatus.QUEUED,
            committee=centre,
            committee_path=centre.path,
            centre=centre,
            sequence=100_000 + i,
            number=number,
            intake_number=number,
            updated_at=timezone.now(),
        )


def _pages() -> tuple[dict[str, Any], list[Page]]:
    from django.test import Client
    from django.urls import reverse

    from tiaojie.accounts import twofactor
    from tiaojie.accounts.models import User
    from tiaojie.cases import selectors

    clients: dict[str, Any] = {}
    pages: list[Page] = []
    for who, username in (("officer", "demo_district"), ("mediator", "demo_mediator")):
        user = User.objects.get(username=username)
        client = Client()
        client.force_login(user)
        # Signed in with the second factor a bureau officer's role asks for.
        session = client.session
        session[twofactor.CHECKED_KEY] = True
        session.save()
        clients[who] = client
        newest = selectors.cases_for(user).order_by("-registered_at", "-id").first()
        assert newest is not None, f"{username} sees no case"
        pages.append(Page(who, "baseline", BARE_PATH))
        pages.append(Page(who, "case list", reverse("cases:case_list")))
        pages.append(Page(who, "case page", reverse("cases:case_detail", args=[newest.pk])))
        pages.append(Page(who, "search 费", reverse("cases:case_list") + "?q=费"))
        pages.append(Page(who, "home", reverse("workbench:home")))
        pages.append(Page(who, "ledger", reverse("supervision:ledger")))
        pages.append(Page(who, "statistics", reverse("statistics:report")))
        if who == "officer":
            pages.append(Page(who, "centre queue", reverse("routing:queue")))
    return clients, pages


def _get(client: Any, page: Page) -> Any:
    response = client.get(page.path)
    assert response.status_code == 200, (page.path, response.status_code, response.get("Location"))
    return response


def measure(clients: dict[str, Any], pages: list[Page], repeat: int) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for page in pages:  # warm: templates compiled, caches filled, as on a running server
        for _ in range(2):
            _get(clients[page.who], page)
        with CaptureQueriesContext(connection) as ctx:
            page.size = len(_get(clients[page.who], page).content)
        page.queries = len(ctx.captured_queries)
    for _ in range(repeat):
        for page in pages:
            client = clients[page.who]
            c0, w0 = time.process_time(), time.perf_counter()
            _get(client, page)
            page.cpu.append((time.process_time() - c0) * 1000)
            page.wall.append((time.perf_counter() - w0) * 1000)


def profile(clients: dict[str, Any], pages: list[Page], repeat: int, top: int = 10) -> str:
    out = io.StringIO()
    for page in pages:
        if page.name == "baseline":
            continue
        profiler = cProfile.Profile()
        client = clients[page.who]
        profiler.enable()
        for _ in range(repeat):
            _get(client, page)
        profiler.disable()
        stream = io.StringIO()
        stats = pstats.Stats(profiler, stream=stream)
        stats.sort_stats("tottime").print_stats(top)
        body = stream.getvalue()
        out.write(f"\n## {page.who}: {page.name} ({repeat} requests, sorted by own time)\n")
        out.write(body[body.find("   ncalls") :].rstrip() + "\n")
        # Own time is spread over Django's internals; the project's functions by cumulative
        # time say which of ours to look at.
        stream.seek(0)
        stream.truncate()
        stats.sort_stats("cumulative").print_stats(r"tiaojie/(?!core/access|.*middleware)", top)
        body = stream.getvalue()
        out.write(f"\n## {page.who}: {page.name}, the project's functions by cumulative time\n")
        out.write(body[body.find("   ncalls") :].rstrip() + "\n")
    return out.getvalue()


@dataclass
class Collector:
    """What the cyclic garbage collector costs while it is watched (``gc.callbacks``)."""

    collecting: float = 0.0  # ms of CPU in the collector
    full: list[float] = field(default_factory=list)  # ms of each generation-2 collection
    young: int = 0
    started: float = 0.0

    def __call__(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self.started = time.process_time()
            return
        spent = (time.process_time() - self.started) * 1000
        self.collecting += spent
        if info["generation"] == 2:
            self.full.append(spent)
        else:
            self.young += 1

    def report(self, cpu_ms: float, frozen: bool) -> str:
        longest = f", the longest {max(self.full):.0f} ms" if self.full else ""
        return (
            f"# the collector: {self.collecting / cpu_ms:.1%} of the loop's CPU, "
            f"{len(self.full)} full collections{longest}, {self.young} young ones; "
            + (
                "the application frozen before the first request (--freeze)"
                if frozen
                else "nothing frozen"
            )
        )


def _pct(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[max(0, int(fraction * len(ordered) + 0.999999) - 1)]


def report(pages: list[Page]) -> str:
    lines = [
        f"{'user':<9} {'page':<13} {'CPU p50':>8} {'CPU p95':>8} {'×bare':>6} "
        f"{'wall p50':>9} {'wall p95':>9} {'queries':>8} {'KB':>6}"
    ]
    bare = {p.who: statistics.median(p.cpu) for p in pages if p.name == "baseline"}
    for p in pages:
        ratio = statistics.median(p.cpu) / bare[p.who] if bare[p.who] else float("nan")
        lines.append(
            f"{p.who:<9} {p.name:<13} {statistics.median(p.cpu):8.1f} {_pct(p.cpu, 0.95):8.1f} "
            f"{ratio:6.1f} {statistics.median(p.wall):9.1f} {_pct(p.wall, 0.95):9.1f} "
            f"{p.queries:8d} {p.size / 1024:6.0f}"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--seed", type=int, default=2011)
    parser.add_argument("--database-url", help="PostgreSQL URL; default: a throw-away SQLite file")
    parser.add_argument("--keep", type=Path, help="make the SQLite database in DIR and keep it")
    parser.add_argument("--reuse", type=Path, help="measure the SQLite database kept in DIR")
    parser.add_argument("--source", type=Path, default=BENCH.parent, help="checkout to import")
    parser.add_argument("--profile", action="store_true", help="ten costliest functions a page")
    parser.add_argument("--freeze", action="store_true", help="freeze as config.wsgi does")
    args = parser.parse_args()
    sys.path.insert(0, str(BENCH))
    from org_tree import create_database, database_label, drop_database, setup_django

    # After org_tree, which puts this checkout first on the path.
    sys.path.insert(0, str(args.source.resolve()))

    workdir = args.reuse or args.keep or Path(tempfile.mkdtemp(prefix="tiaojie-pages-"))
    workdir.mkdir(parents=True, exist_ok=True)
    overrides: dict[str, Any] = {
        "ROOT_URLCONF": URLCONF,
        "PASSWORD_HASHERS": ["django.contrib.auth.hashers.MD5PasswordHasher"],
        "ALLOWED_HOSTS": ["testserver"],
    }
    setup_django(args.database_url, workdir, overrides)
    _urlconf()
    original = ""
    try:
        if not args.reuse:
            original = create_database()
            _load(args.cases, args.seed)
        _queue()
        clients, pages = _pages()
        if args.freeze:
            # As config.wsgi leaves a server before its first request.
            from tiaojie.core.preload import freeze_application

            freeze_application()
        import gc

        collector = Collector()
        gc.callbacks.append(collector)
        t0, c0 = time.perf_counter(), time.process_time()
        measure(clients, pages, args.repeat)
        cpu_ms = (time.process_time() - c0) * 1000
        gc.callbacks.remove(collector)
        from django.db import connection

        from tiaojie.cases.models import Case

        print(
            f"# pages: {Case.objects.count():,} cases, {database_label()}, "
            f"{args.repeat} requests a page, source {args.source.resolve()}, "
            f"Python {platform.python_version()}, load average "
            f"{' '.join(f'{x:.1f}' for x in os.getloadavg())}, "
            f"{time.perf_counter() - t0:.0f} s"
        )
        print(report(pages))
        print(collector.report(cpu_ms, args.freeze))
        if args.profile:
            print(profile(clients, pages, max(5, args.repeat // 3)))
        connection.close()
    finally:
        if original and args.database_url:
            drop_database(original)
        if not (args.keep or args.reuse):
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
