#!/usr/bin/env python
"""Document generation: how long one document and the whole case file take to render.

Builds a throw-away SQLite database with the demo world and a few cases that have something in
every document (tiaojie/documents/tests/sample.py), then times, with time.perf_counter, the
PDF and DOCX of single documents and the whole case file (every document laid out once, the
contents list with real page numbers, one PDF), and what the task worker spends on a whole
file laid out and on the same file asked for again unchanged (ADR 0077). It prints medians;
it asserts nothing.

Each figure is given twice: laid out in this process, and as users get it, in a child process
under the time and memory limits (``documents.rendering``, ``core.isolation``), with the ratio
and what the child took: its resident peak and the address space it kept.

With ``--out DIR`` it also writes the agreement and the whole file as PDF there, and PNGs of
their pages made with pdftoppm (poppler-utils), to look at the layout.

    .venv/bin/python bench/documents.py [--cases 3] [--repeat 5] [--out var/screenshots]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from org_tree import setup_django

FAST_HASHERS = {"PASSWORD_HASHERS": ["django.contrib.auth.hashers.MD5PasswordHasher"]}


def timed(work: object, repeat: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = work()  # type: ignore[operator]
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=3)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="tiaojie-bench-docs-"))
    try:
        setup_django(None, workdir, {**FAST_HASHERS, "MEDIA_ROOT": workdir / "media"})
        run(args)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def run(args: argparse.Namespace) -> None:
    from django.core.management import call_command

    from tiaojie.accounts.demo import seed_demo
    from tiaojie.accounts.models import User
    from tiaojie.cases.models import Case
    from tiaojie.core import isolation
    from tiaojie.documents import docx, pdf, rendering, services
    from tiaojie.documents.context import CaseFacts, document_context
    from tiaojie.documents.kinds import Kind
    from tiaojie.documents.models import CaseFileRender
    from tiaojie.documents.selectors import record_for
    from tiaojie.documents.tests.sample import full_case

    call_command("migrate", verbosity=0, interactive=False)
    seed_demo()
    mediator = User.objects.get(username="demo_mediator")
    cases = [full_case(mediator) for _ in range(args.cases)]
    case = cases[0]

    def context_of(kind: Kind) -> dict[str, object]:
        facts = CaseFacts(case)
        return document_context(facts, kind, record_for(case, kind, None), full_identity=True)

    def one(kind: Kind, fmt: str) -> bytes:
        if fmt == "pdf":
            return pdf.write(pdf.render(kind, context_of(kind)))
        return docx.render(kind, context_of(kind), case.committee)

    def isolated(kind: Kind, fmt: str) -> bytes:
        if fmt == "pdf":
            return rendering.document_pdf(kind, context_of(kind))
        return rendering.document_docx(kind, context_of(kind), case.committee)

    def growth(work: object) -> str:
        """What the layout took in its child: resident peak and address space kept, in MB.
        (Not a search for the smallest limit that passes: under a few hundred MB the fonts
        fail to load and WeasyPrint prints empty boxes instead of failing.)"""

        def measured() -> str:
            with open("/proc/self/clear_refs", "w", encoding="ascii") as clear:
                clear.write("5")  # the resident peak starts again from now
            rss, size = _vm("VmRSS"), _vm("VmSize")
            work()  # type: ignore[operator]
            return f"{(_vm('VmHWM') - rss) // 1024} MB resident, {(_vm('VmSize') - size) // 1024} MB address space"

        limits = isolation.Limits(seconds=600, memory_mb=100_000)
        return isolation.run_limited(measured, limits=limits, what="bench")

    print(f"Python {sys.version.split()[0]}, {args.cases} cases, median of {args.repeat}")
    print("  document       fmt    in-process   isolated   ratio   child took")
    for kind in (Kind.REGISTRATION, Kind.AGREEMENT):
        for fmt in ("pdf", "docx"):
            seconds, _ = timed(lambda k=kind, f=fmt: one(k, f), args.repeat)
            limited, _ = timed(lambda k=kind, f=fmt: isolated(k, f), args.repeat)
            # Read in this process: the child lays out only (it must not use the database).
            ctx, source = context_of(kind), docx.source(kind, case.committee)
            if fmt == "pdf":
                peak = growth(lambda k=kind, c=ctx: pdf.write(pdf.render(k, c)))
            else:
                peak = growth(lambda s=source, c=ctx: docx.fill(s, c))
            print(
                f"  {kind.value:<14} {fmt:<5} {seconds * 1000:8.0f} ms {limited * 1000:8.0f} ms"
                f"  {limited / seconds:5.2f}×  {peak}"
            )
    per_case = []
    for each in cases:
        seconds, laid_out = timed(
            lambda c=each: pdf.lay_out_case_file(CaseFacts(c), full_identity=True), args.repeat
        )
        write_seconds, data = timed(lambda lo=laid_out: lo.pdf(), args.repeat)
        per_case.append(seconds + write_seconds)
        plan = pdf.plan_case_file(CaseFacts(each), full_identity=True)
        limited, _ = timed(lambda p=plan: rendering.case_file_pdf(p, lambda n: None), args.repeat)
        peak = growth(lambda p=plan: pdf.lay_out(p).pdf())
        print(
            f"  whole file     pdf   {seconds * 1000:7.0f} ms layout + "
            f"{write_seconds * 1000:5.0f} ms writing, {laid_out.pages} pages, "  # type: ignore[attr-defined]
            f"{len(data) // 1024} KiB; isolated {limited * 1000:7.0f} ms "  # type: ignore[arg-type]
            f"({limited / (seconds + write_seconds):.2f}×), child took {peak}"
        )
    print(f"  whole file per case: median {statistics.median(per_case):.2f} s")
    # What the task worker spends on a click: a file laid out, then the same file asked for
    # again with nothing in it changed (ADR 0077: the stored file is taken).
    fresh: list[float] = []
    reused: list[float] = []
    for each in cases:
        for _ in range(args.repeat):
            for into in (fresh, reused):
                render = CaseFileRender.objects.create(
                    case=each, requested_by=mediator, full_identity=True
                )
                seconds, _ = timed(
                    lambda r=render.pk: services.case_file_render_run(render_id=r), 1
                )
                render.refresh_from_db()
                assert render.status == "done" and render.reused == (into is reused), render.error
                into.append(seconds)
            # The next pair starts from a changed file, as after a new record.
            Case.objects.filter(pk=each.pk).update(narrative=f"{each.narrative} {len(fresh)}")
    laid, taken = statistics.median(fresh), statistics.median(reused)
    print(
        f"  whole file in the worker: laid out {laid * 1000:.0f} ms, unchanged (its file "
        f"reused) {taken * 1000:.0f} ms: {laid / taken:.0f}× less"
    )
    if args.out:
        write_samples(args.out, one(Kind.AGREEMENT, "pdf"), laid_out.pdf())  # type: ignore[attr-defined]


def _vm(field: str) -> int:
    """A figure of /proc/self/status, in kB."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def write_samples(out: Path, agreement: bytes, whole: bytes) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for name, data in (("agreement", agreement), ("case-file", whole)):
        target = out / f"{name}.pdf"
        target.write_bytes(data)
        if shutil.which("pdftoppm"):
            subprocess.run(  # noqa: S603
                ["pdftoppm", "-png", "-r", "70", str(target), str(out / name)],  # noqa: S607
                check=True,
            )
    print(f"  wrote PDFs and PNGs to {out}")


if __name__ == "__main__":
    main()
