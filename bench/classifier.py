#!/usr/bin/env python
"""Speed of the narrative reader (tiaojie.triage): narratives per second in batches and the
latency of one call, as the intake form and ``POST /api/v1/screening/classify`` make it, for
the model in this tree and, in the same run, for an earlier model (``--against``, default
model 3's commit), so that the ratio means something on a machine other work loads.

Takes every narrative of the corpus and the hand-written development sets (about 5,000, 30 to
500 characters) and times, for each model in turn (``--rounds`` times, alternating):

1. ``Reader.read_many`` over all of them in batches of ``--batch`` (default 500): narratives
   per second;
2. ``Reader.read`` one narrative at a time (1,000 calls): median, 95th and 99th percentile in
   milliseconds, plus one 10,000-character narrative (the longest allowed).

The earlier model runs from its own code (``git archive <ref> tiaojie/triage`` into a temporary
directory, in a child process), since its rules and cue words differ. It needs no database. It
asserts nothing about speed; it prints the figures and the ratios (this model / the earlier).

    .venv/bin/python bench/classifier.py [--batch 500] [--rounds 2] [--against REF | --alone]
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
# Model 3 as shipped (3.4ce16ac088), the model test set 4 measured.
MODEL_3 = "3b3e2b1"
DATA = ROOT / "tiaojie" / "triage" / "data"
SETS = (
    "corpus.jsonl",
    "handwritten_dev.jsonl",
    "handwritten_dev2.jsonl",
    "handwritten_dev3.jsonl",
    "handwritten_fresh_test.jsonl",
    "handwritten_dev5.jsonl",
    "handwritten_test4.jsonl",
)


def narratives() -> tuple[list[str], list[str]]:
    rows = []
    for name in SETS:
        with (DATA / name).open(encoding="utf-8") as lines:
            rows += [json.loads(line) for line in lines if line.strip()]
    return [r["text"] for r in rows], [r["channel"] for r in rows]


def measure(root: Path, batch: int) -> dict[str, Any]:
    """One round with the reader of the code under ``root``: figures in a dict."""
    sys.path.insert(0, str(root))
    model = importlib.import_module("tiaojie.triage.model")
    started = time.perf_counter()
    reader = model.Reader.load()
    load_ms = (time.perf_counter() - started) * 1000
    texts, channels = narratives()
    started = time.perf_counter()
    for i in range(0, len(texts), batch):
        reader.read_many(texts[i : i + batch], channels[i : i + batch])
    rate = len(texts) / (time.perf_counter() - started)
    times = []
    for text, channel in zip(texts[:1000], channels[:1000], strict=True):
        started = time.perf_counter()
        reader.read(text, channel)
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    long_text = (texts[0] * (10_000 // len(texts[0]) + 1))[:10_000]
    started = time.perf_counter()
    reader.read(long_text, "hotline")
    return {
        "version": reader.version,
        "load_ms": load_ms,
        "n": len(texts),
        "rate": rate,
        "median": statistics.median(times),
        "p95": times[int(len(times) * 0.95)],
        "p99": times[int(len(times) * 0.99)],
        "max": times[-1],
        "long": (time.perf_counter() - started) * 1000,
    }


def earlier(ref: str, batch: int, into: Path) -> dict[str, Any]:
    """One round of the earlier model, from its own code, in a child process."""
    if not (into / "tiaojie").exists():
        archive = subprocess.run(  # noqa: S603 - git, our own ref
            [
                shutil.which("git") or "/usr/bin/git",
                "-C",
                str(ROOT),
                "archive",
                ref,
                "tiaojie/__init__.py",
                "tiaojie/triage",
            ],
            check=True,
            capture_output=True,
        ).stdout
        into.mkdir(parents=True, exist_ok=True)
        archive_path = into / "code.tar"
        archive_path.write_bytes(archive)
        with tarfile.open(archive_path) as tar:
            tar.extractall(into, filter="data")
    return child(into, batch)


def child(root: Path, batch: int) -> dict[str, Any]:
    """One round of the reader of the code under ``root``, in a fresh process."""
    done = subprocess.run(  # noqa: S603 - this script itself
        [sys.executable, __file__, "--worker", str(root), "--batch", str(batch)],
        check=True,
        capture_output=True,
        text=True,
    )
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def line(name: str, r: dict[str, Any]) -> str:
    return (
        f"{name} {r['version']}: batch {r['rate']:,.0f} narratives/s; one call median "
        f"{r['median']:.2f} ms, p95 {r['p95']:.2f}, p99 {r['p99']:.2f}, max {r['max']:.2f}; "
        f"10,000 characters {r['long']:.1f} ms; loaded in {r['load_ms']:.0f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--against", default=MODEL_3, help="git ref of the earlier model")
    parser.add_argument("--alone", action="store_true", help="measure this model only")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(measure(Path(args.worker), args.batch)))
        return
    print(
        f"{platform.python_implementation()} {platform.python_version()}, {os.cpu_count()} CPUs, "
        f"load average {os.getloadavg()[0]:.1f} (other work shares the machine: ratios, "
        "not absolute figures, are what to read)"
    )
    with tempfile.TemporaryDirectory() as tmp:
        ours: list[dict[str, Any]] = []
        theirs: list[dict[str, Any]] = []
        for _ in range(args.rounds):
            # Alternating rounds, each model in its own process, so both meet the same load.
            ours.append(child(ROOT, args.batch))
            print(line("this model", ours[-1]), flush=True)
            if not args.alone:
                theirs.append(earlier(args.against, args.batch, Path(tmp) / "earlier"))
                print(line("earlier   ", theirs[-1]), flush=True)
    best = max(r["rate"] for r in ours)
    median = statistics.median(r["median"] for r in ours)
    print(
        f"this model: best {best:,.0f} narratives/s over {ours[0]['n']:,}; one call median {median:.2f} ms"
    )
    if theirs:
        their_best = max(r["rate"] for r in theirs)
        their_median = statistics.median(r["median"] for r in theirs)
        print(
            f"ratio this/earlier: batch rate {best / their_best:.2f}, "
            f"one-call median {median / their_median:.2f} (above 1 = slower per call)"
        )


if __name__ == "__main__":
    main()
