"""Issue 16, faults: a process registering cases under load is killed with SIGKILL. Afterwards
no acknowledged case is lost, none is half-registered (every case has its parties and its
audit entry), the numbering has no gap, the audit chain verifies, and ``deliver_events``
delivers whatever domain events the dead process left in the outbox.

Runs on a SQLite file (WAL) of its own, through real processes; on PostgreSQL the same
guarantees come from the same single transaction per registration.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
ACKNOWLEDGED_BEFORE_KILL = 15
DEADLINE_SECONDS = 240


def _env(db: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{db}",
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
    }


def _run(args: list[str], env: dict[str, str]) -> str:
    done = subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def test_sigkill_under_write_load_loses_no_acknowledged_case(tmp_path: Path) -> None:
    env = _env(tmp_path / "fault.sqlite3")
    _run(["manage.py", "migrate", "--noinput", "-v", "0"], env)
    _run(
        [
            "-c",
            "import django; django.setup(); "
            "from tiaojie.accounts.demo import seed_demo; seed_demo()",
        ],
        env,
    )
    writer = subprocess.Popen(
        [sys.executable, "-m", "tests.faults.writer"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert writer.stdout is not None
    acknowledged: list[str] = []
    started = time.monotonic()
    while len(acknowledged) < ACKNOWLEDGED_BEFORE_KILL:
        line = writer.stdout.readline()
        assert line, writer.stderr.read() if writer.stderr else "writer ended"
        acknowledged.append(line.strip())
        assert time.monotonic() - started < DEADLINE_SECONDS
    os.kill(writer.pid, signal.SIGKILL)
    # Lines already in the pipe were printed after their commit: acknowledged too.
    acknowledged += [line.strip() for line in writer.stdout if line.strip()]
    writer.wait()
    assert writer.returncode == -signal.SIGKILL

    report = json.loads(_run(["-m", "tests.faults.checker", "--deliver"], env))

    # No acknowledged write is lost; at most the one in flight went with the process.
    assert set(acknowledged) <= set(report["numbers"])
    assert len(report["numbers"]) - len(acknowledged) in (0, 1)
    # Nothing half-registered: each case has both parties and its audit entry.
    assert report["without_parties"] == []
    assert report["without_audit"] == []
    # Numbers without gaps: the counter moves in the registering transaction, so a case
    # killed before its commit gives its number back with it.
    for key, sequence in report["sequences"].items():
        assert sorted(sequence) == list(range(1, report["counters"][key] + 1)), key
    assert report["chain_problems"] == []
    # Whatever the dead process had not delivered, deliver_events delivers now.
    assert report["undelivered_after"] == 0
