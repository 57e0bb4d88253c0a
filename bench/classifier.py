#!/usr/bin/env python
"""Speed of the narrative reader (tiaojie.triage): narratives per second in batches and the
latency of one call, as the intake form and ``POST /api/v1/screening/classify`` make it.

Loads the shipped model file, takes every narrative of the corpus and the three hand-written sets
(about 3,500, 80 to 250 characters), and times:

1. ``Reader.read_many`` over all of them in batches of ``--batch`` (default 500), ``--rounds``
   times: narratives per second;
2. ``Reader.read`` one narrative at a time (1,000 calls): median, 95th and 99th percentile and
   the slowest call in milliseconds, plus one 10,000-character narrative (the longest allowed).

It needs no database. It asserts nothing about speed; it prints the figures.

    .venv/bin/python bench/classifier.py [--batch 500] [--rounds 3]
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tiaojie.triage.model import (
    CORPUS,
    HANDWRITTEN_DEV,
    HANDWRITTEN_DEV2,
    HANDWRITTEN_DEV3,
    HANDWRITTEN_DEV4,
    Reader,
    load_rows,
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    started = time.perf_counter()
    reader = Reader.load()
    load_ms = (time.perf_counter() - started) * 1000
    rows = load_rows(CORPUS) + [
        row
        for path in (HANDWRITTEN_DEV, HANDWRITTEN_DEV2, HANDWRITTEN_DEV3, HANDWRITTEN_DEV4)
        for row in load_rows(path)
    ]
    texts = [r["text"] for r in rows]
    channels = [r["channel"] for r in rows]
    print(
        f"model {reader.version}, loaded in {load_ms:.0f} ms; {len(texts)} narratives, "
        f"mean {sum(map(len, texts)) / len(texts):.0f} characters; "
        f"{platform.python_implementation()} {platform.python_version()}, {os.cpu_count()} CPUs"
    )

    best = 0.0
    for _ in range(args.rounds):
        started = time.perf_counter()
        for i in range(0, len(texts), args.batch):
            reader.read_many(texts[i : i + args.batch], channels[i : i + args.batch])
        rate = len(texts) / (time.perf_counter() - started)
        best = max(best, rate)
        print(f"batch of {args.batch}: {rate:,.0f} narratives/s")
    print(f"best: {best:,.0f} narratives/s")

    times = []
    for text, channel in zip(texts[:1000], channels[:1000], strict=True):
        started = time.perf_counter()
        reader.read(text, channel)
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    print(
        f"one at a time ({len(times)} calls): median {statistics.median(times):.2f} ms, "
        f"p95 {times[int(len(times) * 0.95)]:.2f} ms, p99 {times[int(len(times) * 0.99)]:.2f} ms, "
        f"max {times[-1]:.2f} ms, {1000 / statistics.mean(times):,.0f} narratives/s"
    )
    long_text = (texts[0] * (10_000 // len(texts[0]) + 1))[:10_000]
    started = time.perf_counter()
    reader.read(long_text, "hotline")
    print(f"one 10,000-character narrative: {(time.perf_counter() - started) * 1000:.1f} ms")


if __name__ == "__main__":
    main()
