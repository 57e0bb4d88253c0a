#!/usr/bin/env python
"""A mixed load on a production-like server: gunicorn and PostgreSQL 15 on the same machine.

1. starts a throw-away PostgreSQL 15 cluster (``scripts/lib/pg-cluster``) in the state directory;
2. ``prepare.py`` migrates it, loads the demo world, generates ``--cases`` cases by COPY and makes
   the staff (sessions, API tokens), the citizens (signed cookies) and whole files to render;
3. restarts PostgreSQL with the settings of docs/deploy.md (fsync on, shared_buffers, work_mem,
   jit off, no parallel query), runs ``collectstatic`` and starts gunicorn with DEBUG off, as
   docs/deploy.md serves Tiaojie, and one ``db_worker`` for the whole-file PDFs; then requests
   each staff page a few times per worker (``warm_up``), as a server that has been running has;
4. runs locust headless: 200 staff (``StaffUser``), then 500 citizens on /m/ (``CitizenUser``),
   each for ``--duration`` after the ramp-up, and prints p50/p95/p99 per request type, throughput
   and errors, and the whole file's time from the click to the downloaded PDF.

It asserts nothing about speed and is not part of the test suite (bench/README.md).

    .venv/bin/python bench/load/run.py [--cases 1000000] [--duration 180] [--state DIR] [--keep]

With ``--state DIR --keep`` the cluster and its data stay; a later run with the same ``--state``
and ``--cases`` skips the generation (``--only staff`` or ``--only citizens`` for one phase).
Each such run starts from the cluster's files as the generation left them (``pg/pristine``,
copied once): a run registers and accepts cases, and a run on what the previous one left
measures more data than the one before it (stop 32). ``--no-restore`` runs on what is there.
"""

# ruff: noqa: S603 - the runner starts its own processes from fixed argument lists

from __future__ import annotations

import argparse
import base64
import csv
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent.parent
HERE = Path(__file__).resolve().parent
VENV = ROOT / ".venv" / "bin"
# PostgreSQL as docs/deploy.md sets it for the load test's machine (2 cores, shared; the
# cluster gets a quarter of the memory a dedicated server would give it).
PG_SETTINGS = {
    "fsync": "on",
    "synchronous_commit": "on",
    "full_page_writes": "on",
    "shared_buffers": "1GB",
    "effective_cache_size": "4GB",
    "work_mem": "64MB",
    "maintenance_work_mem": "256MB",
    "random_page_cost": "1.1",
    "jit": "off",
    "max_parallel_workers_per_gather": "0",
    "max_connections": "100",
}
# ``--statements``: what PostgreSQL spent its time on, per statement (docs: pg_stat_statements).
STATEMENTS = {"shared_preload_libraries": "pg_stat_statements", "pg_stat_statements.max": "2000"}
# gunicorn for 2 cores (docs/deploy.md, "Serving"): sync workers, 2 × cores + 1.
WORKERS = 5
THREADS = 1


def log(message: str) -> None:
    print(f"[load {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def as_postgres(command: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *command] if os.getuid() == 0 else command


def pg_bin() -> Path:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin"))
    preferred = Path("/usr/lib/postgresql/15/bin")
    return preferred if preferred.exists() else found[-1]


def pg_start(state: Path, settings: dict[str, str] | None) -> str:
    """The cluster in ``state/pg``, created on first use; returns its DATABASE_URL. With
    ``settings`` it is (re)started with them (the load phase); without, as pg-cluster starts it
    (fsync off: the bulk load)."""
    pg = state / "pg"
    url_file = state / "database-url"
    if not (pg / "data").exists():
        url = subprocess.run(
            [str(ROOT / "scripts/lib/pg-cluster"), "start", str(pg)],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
        url_file.write_text(url)
        if settings is None:
            return url
    url = url_file.read_text().strip()
    port = url.rsplit("port=", 1)[1]
    subprocess.run(
        as_postgres([str(pg_bin() / "pg_ctl"), "-D", str(pg / "data"), "-m", "fast", "stop"]),
        capture_output=True,
        check=False,
    )
    options = f"-p {port} -k {pg} -c listen_addresses=''"
    for name, value in (settings or {"fsync": "off", "synchronous_commit": "off"}).items():
        options += f" -c {name}={value}"
    subprocess.run(
        as_postgres(
            [
                str(pg_bin() / "pg_ctl"),
                "-D",
                str(pg / "data"),
                "-l",
                str(pg / "server.log"),
                "-w",
                "-o",
                options,
                "start",
            ]
        ),
        check=True,
        capture_output=True,
    )
    return url


def pg_stop(state: Path) -> None:
    subprocess.run([str(ROOT / "scripts/lib/pg-cluster"), "stop", str(state / "pg")], check=False)


def copy_tree(source: Path, target: Path) -> None:
    """``source`` copied to ``target`` as PostgreSQL's files must be: owner and modes kept."""
    shutil.rmtree(target, ignore_errors=True)
    subprocess.run(["/bin/cp", "-a", "--reflink=auto", str(source), str(target)], check=True)


def snapshot(state: Path) -> None:
    """The stopped cluster's files as the generation left them, kept beside them once."""
    pristine = state / "pg" / "pristine"
    if pristine.exists():
        return
    pg_stop(state)
    log(f"keeping the generated cluster in {pristine}")
    copy_tree(state / "pg" / "data", pristine)


def restore(state: Path) -> None:
    """The cluster's files put back as the generation left them (``snapshot``)."""
    pristine = state / "pg" / "pristine"
    if not pristine.exists():
        log(f"no {pristine}: running on the cluster as it is")
        return
    pg_stop(state)
    started = time.monotonic()
    copy_tree(pristine, state / "pg" / "data")
    log(f"restored the generated cluster ({time.monotonic() - started:.0f} s)")


def keys(state: Path) -> dict[str, str]:
    """The server's secrets for this state directory, made once (sessions and personal data
    made by prepare.py must be valid for the server)."""
    path = state / "keys.json"
    if not path.exists():
        path.write_text(
            json.dumps(
                {
                    "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
                    "TIAOJIE_DATA_KEY": base64.b64encode(secrets.token_bytes(32)).decode(),
                }
            )
        )
    values: dict[str, str] = json.loads(path.read_text())
    return values


def environment(state: Path, url: str) -> dict[str, str]:
    """The production environment of docs/deploy.md, with what a load test on loopback needs:
    plain HTTP (no TLS proxy in front), no second factor (no authenticator in the load), and the
    citizens' code sends per source raised (every simulated phone comes from 127.0.0.1)."""
    return {
        **os.environ,
        **keys(state),
        "DATABASE_URL": url,
        "DATABASE_CONN_MAX_AGE": "600",
        "DJANGO_DEBUG": "0",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_LOG_LEVEL": "WARNING",
        "TIAOJIE_VAR_DIR": str(state / "var"),
        "TIAOJIE_2FA_REQUIRED_ROLES": "none",
        "TIAOJIE_CODE_SENDS_PER_SOURCE_HOUR": "1000000",
        "TIAOJIE_IDLE_TIMEOUT_MINUTES": "600",
    }


def migrate(env: dict[str, str]) -> None:
    """A kept state outlives the code it was made with: its schema follows the checkout."""
    subprocess.run(
        [str(VENV / "python"), "manage.py", "migrate", "--no-input", "-v0"],
        env=env,
        check=True,
        cwd=ROOT,
    )


def prepare(state: Path, env: dict[str, str], args: argparse.Namespace) -> dict[str, Any]:
    personas = state / "personas.json"
    if personas.exists():
        data: dict[str, Any] = json.loads(personas.read_text())
        if data["figures"]["cases"] >= args.cases:
            log(f"reusing {personas} ({data['figures']['cases']:,} cases); migrating it")
            migrate(env)
            return data
        raise SystemExit(f"{state} holds fewer cases than --cases; use another --state")
    command = [
        str(VENV / "python"),
        str(HERE / "prepare.py"),
        "--state",
        str(state),
        "--cases",
        str(args.cases),
        "--staff",
        str(args.staff),
        "--citizens",
        str(args.citizens),
    ]
    subprocess.run(command, env={**env, "DJANGO_DEBUG": "1"}, check=True, cwd=ROOT)
    data = json.loads(personas.read_text())
    return data


def start_server(state: Path, env: dict[str, str], port: int) -> list[subprocess.Popen[bytes]]:
    manage = [str(VENV / "python"), "manage.py"]
    # DEBUG off: whitenoise serves the hashed, compressed files from the manifest, which must
    # name this checkout's files (collectstatic copies only what changed since a kept run).
    subprocess.run([*manage, "collectstatic", "--no-input", "-v0"], env=env, check=True, cwd=ROOT)
    logs = state / "logs"
    logs.mkdir(exist_ok=True)
    gunicorn = [
        str(VENV / "gunicorn"),
        "config.wsgi:application",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(WORKERS),
        "--threads",
        str(THREADS),
        "--timeout",
        "120",
        # The application is imported once, before the workers fork: they start at once and
        # share its memory; without it a busy machine can take longer than the timeout per worker.
        "--preload",
        "--graceful-timeout",
        "10",
        "--error-logfile",
        str(logs / "gunicorn.log"),
        # Its own control socket: another gunicorn on the machine keeps the default one.
        "--control-socket",
        str(state / "gunicorn.ctl"),
    ]
    processes = [
        subprocess.Popen(gunicorn, env=env, cwd=ROOT, start_new_session=True),
        subprocess.Popen(
            [*manage, "db_worker", "--no-startup-delay"],
            env=env,
            cwd=ROOT,
            stdout=(logs / "worker.log").open("ab"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        ),
    ]
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/m/", timeout=5) as answer:
                if answer.status == 200:
                    return processes
        except OSError:  # not listening yet, or still booting the workers
            time.sleep(0.5)
    stop(processes)
    raise SystemExit(f"gunicorn did not answer on port {port}; see {logs / 'gunicorn.log'}")


def stop(processes: list[subprocess.Popen[bytes]]) -> None:
    for process in processes:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
    for process in processes:
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


def run_locust(
    state: Path, port: int, user_class: str, users: int, args: argparse.Namespace
) -> Path:
    """One headless locust run; the path prefix of its CSV files."""
    results = state / "results"
    results.mkdir(exist_ok=True)
    prefix = results / user_class
    rate = max(1, users // max(args.ramp, 1))
    command = [
        str(VENV / "locust"),
        "-f",
        str(HERE / "locustfile.py"),
        "--headless",
        "--only-summary",
        "--users",
        str(users),
        "--spawn-rate",
        str(rate),
        "--run-time",
        f"{args.duration + args.ramp}s",
        "--reset-stats",
        "--host",
        f"http://127.0.0.1:{port}",
        "--csv",
        str(prefix),
        "--loglevel",
        "WARNING",
        user_class,
    ]
    env = {**os.environ, "LOAD_PERSONAS": str(state / "personas.json")}
    log(f"locust: {users} × {user_class}, ramp {args.ramp} s, then {args.duration} s")
    subprocess.run(command, env=env, cwd=ROOT, check=False)
    return prefix


def warm_up(port: int, personas: dict[str, Any]) -> None:
    """Each staff page a few times per gunicorn worker before locust starts, as a server that
    has run for a while has them: a fresh worker compiles its templates and fills its caches
    on its first requests, and 200 people arriving in 20 s queued behind that and carried the
    queue past the ramp into the measured phase (p95 up to 6 s in the ramp, stop 32)."""
    people = [p for p in personas["staff"] if p["cases"]][:WORKERS]
    paths = ["/cases/", "/cases/?q=漏水", "/supervision/ledger/", "/statistics/"]
    for person in people:
        headers = {"Cookie": f"sessionid={person['session']}"}
        for path in [*paths, f"/cases/{person['cases'][0]}/"] * 3:
            url = f"http://127.0.0.1:{port}{urllib.parse.quote(path, safe='/?=')}"
            with urllib.request.urlopen(urllib.request.Request(url, headers=headers)) as answer:
                answer.read()


def report(prefix: Path, title: str) -> None:
    """p50/p95/p99 per request type, throughput and errors, from locust's stats CSV."""
    rows = list(csv.DictReader(prefix.with_name(prefix.name + "_stats.csv").open()))
    names = [
        "all requests"
        if row["Name"] == "Aggregated"
        else row["Name"]
        if row["Type"] in ("", "None")
        else f"{row['Type']} {row['Name']}"
        for row in rows
    ]
    width = max([46, *(len(name) for name in names)])
    print(f"\n{title}")
    header = (
        f"{'request type':<{width}} {'n':>6} {'err':>4} {'p50':>6} {'p95':>6} {'p99':>6} "
        f"{'max':>6} {'req/s':>6}"
    )
    print(header)
    print("-" * len(header))
    for row, name in zip(rows, names, strict=True):
        if row["Name"] == "Aggregated":
            print("-" * len(header))
        print(
            f"{name:<{width}} {int(row['Request Count']):>6} {int(row['Failure Count']):>4} "
            f"{row['50%']:>6} {row['95%']:>6} {row['99%']:>6} "
            f"{float(row['Max Response Time']):>6.0f} {float(row['Requests/s']):>6.1f}"
        )
    print("times in ms (locust rounds percentiles above 100 ms to two significant digits)")
    failures = prefix.with_name(prefix.name + "_failures.csv")
    if failures.exists():
        for row in list(csv.DictReader(failures.open()))[:10]:
            print(f"  error ×{row['Occurrences']}: {row['Method']} {row['Name']}: {row['Error']}")


def _psql(url: str, query: str) -> str:
    return subprocess.run(
        [str(pg_bin() / "psql"), url, "-AtqX", "-F", "\t", "-c", query],
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def reset_statements(url: str) -> None:
    """Start counting statements from now (the extension made where missing)."""
    _psql(
        url, "CREATE EXTENSION IF NOT EXISTS pg_stat_statements; SELECT pg_stat_statements_reset()"
    )


def top_statements(url: str, count: int) -> None:
    """Print the ``count`` statements with the most server time since ``reset_statements``,
    with their calls and mean."""
    answer = _psql(
        url,
        "SELECT round(total_exec_time), calls, round((total_exec_time / calls)::numeric, 2), "
        "round((100 * total_exec_time / sum(total_exec_time) OVER ())::numeric, 1), "
        "regexp_replace(query, '\\s+', ' ', 'g') FROM pg_stat_statements "
        f"WHERE calls > 0 ORDER BY total_exec_time DESC LIMIT {int(count)}",
    )
    print(f"\nPostgreSQL's {count} costliest statements (pg_stat_statements, the phase above)")
    print(f"{'total ms':>9} {'calls':>7} {'mean ms':>8} {'share':>6}  statement")
    for line in answer.splitlines():
        total, calls, mean, share, text = line.split("\t", 4)
        print(f"{total:>9} {calls:>7} {mean:>8} {share:>5}%  {text[:160]}")


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--staff", type=int, default=200)
    parser.add_argument("--citizens", type=int, default=500)
    parser.add_argument("--duration", type=int, default=180, help="seconds measured per phase")
    parser.add_argument("--ramp", type=int, default=20, help="seconds to start the users")
    parser.add_argument("--state", type=Path, help="directory kept between runs with --keep")
    parser.add_argument("--keep", action="store_true", help="keep the cluster and its data")
    parser.add_argument("--only", choices=["prepare", "staff", "citizens"])
    parser.add_argument("--port", type=int, default=8077)
    parser.add_argument(
        "--statements",
        type=int,
        default=0,
        metavar="N",
        help="load pg_stat_statements and print the N statements that took PostgreSQL the most "
        "time in each phase (it costs a little per statement; off by default)",
    )
    parser.add_argument(
        "--no-restore",
        action="store_true",
        help="run on the kept cluster as the last run left it, not as generated",
    )
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    # Stopped from outside (timeout, kill): still stop gunicorn, the worker and PostgreSQL.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    state = (args.state or Path(tempfile.mkdtemp(prefix="tiaojie-load-"))).resolve()
    state.mkdir(parents=True, exist_ok=True)
    # PostgreSQL runs as its own user (scripts/lib/pg-cluster) and must reach its directory.
    os.chmod(state, 0o755)  # noqa: S103
    processes: list[subprocess.Popen[bytes]] = []
    try:
        if args.keep and not args.no_restore and args.only != "prepare":
            restore(state)  # before prepare(), which migrates a kept state to this checkout
        url = pg_start(state, None)
        env = environment(state, url)
        personas = prepare(state, env, args)
        print(f"Data: {json.dumps(personas['figures'])}")
        if args.keep:
            snapshot(state)
        if args.only == "prepare":
            return
        log("restarting PostgreSQL with the production settings")
        pg_start(state, {**PG_SETTINGS, **(STATEMENTS if args.statements else {})})
        processes = start_server(state, env, args.port)
        log(f"gunicorn: {WORKERS} workers × {THREADS} threads on 127.0.0.1:{args.port}")
        warm_up(args.port, personas)
        phases = [("StaffUser", args.staff), ("CitizenUser", args.citizens)]
        for user_class, users in phases:
            if args.only and args.only != {"StaffUser": "staff"}.get(user_class, "citizens"):
                continue
            if args.statements:
                reset_statements(url)  # counted from here: the phase, not the warm-up
            prefix = run_locust(state, args.port, user_class, users, args)
            report(prefix, f"{users} × {user_class}, {args.duration} s after a {args.ramp} s ramp")
            if args.statements:
                top_statements(url, args.statements)
    finally:
        stop(processes)
        if not args.keep:
            pg_stop(state)
            shutil.rmtree(state, ignore_errors=True)
        else:
            log(f"kept {state} (stop PostgreSQL: scripts/lib/pg-cluster stop {state / 'pg'})")


if __name__ == "__main__":
    main()
