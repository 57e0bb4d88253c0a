"""Issue 16, faults: PostgreSQL stops under a running server. The server answers a clear 503
(a page in Chinese, or the API's JSON error), never a traceback, and serves again once
PostgreSQL is back, without a restart of its own.

The test runs its own throw-away cluster (``scripts/lib/pg-cluster``) and its own server
process with DEBUG off, so stopping PostgreSQL touches nothing else. The server keeps its
connection open between requests (``DATABASE_CONN_MAX_AGE``), so the request after the stop
meets a connection that died under it — the middle of its work, as far as it can tell.
"""

from __future__ import annotations

import http.cookiejar
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
PG_CLUSTER = ROOT / "scripts" / "lib" / "pg-cluster"

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.skipif(
        not list(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl")), reason="no PostgreSQL here"
    ),
]


def _pg_ctl(directory: Path, *args: str) -> None:
    bindir = sorted(Path("/usr/lib/postgresql").glob("*/bin"))[-1]
    command = [str(bindir / "pg_ctl"), "-D", str(directory / "data"), *args]
    if os.geteuid() == 0:
        command = ["runuser", "-u", "postgres", "--", *command]
    subprocess.run(command, check=True, capture_output=True)


@pytest.fixture
def cluster() -> Iterator[tuple[Path, str]]:
    directory = Path(tempfile.mkdtemp(prefix="tiaojie-pgdown-"))
    url = subprocess.run(
        [str(PG_CLUSTER), "start", str(directory)], check=True, capture_output=True, text=True
    ).stdout.strip()
    yield directory, url
    subprocess.run([str(PG_CLUSTER), "stop", str(directory)], check=False)
    shutil.rmtree(directory, ignore_errors=True)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _request(
    opener: urllib.request.OpenerDirector,
    url: str,
    data: dict[str, str] | None = None,
    *,
    json_body: bool = False,
) -> tuple[int, str, str]:
    body = None
    headers = {"Referer": url}
    if data is not None and json_body:
        body = json.dumps(data).encode()
        headers["Content-Type"] = "application/json"
    elif data is not None:
        body = urllib.parse.urlencode(data).encode()
    request = urllib.request.Request(url, data=body, headers=headers)
    try:
        with opener.open(request, timeout=30) as response:
            return response.status, response.headers.get_content_type(), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get_content_type(), error.read().decode()


def test_postgres_stopped_under_a_running_server_gives_503_then_recovers(
    cluster: tuple[Path, str],
) -> None:
    directory, url = cluster
    port_match = re.search(r"port=(\d+)", url)
    assert port_match is not None
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "tests.faults.settings",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "fault-test-secret-key-not-for-production",
        "TIAOJIE_DATA_KEY": "dGlhb2ppZS10ZXN0LWtleS0wMTIzNDU2Nzg5YWJjZGU=",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DATABASE_CONN_MAX_AGE": "600",
    }
    for args in (
        ["manage.py", "migrate", "--noinput", "-v", "0"],
        ["manage.py", "seed_demo", "--force"],
    ):
        subprocess.run([sys.executable, *args], cwd=ROOT, env=env, check=True, capture_output=True)
    http_port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{http_port}", "--noreload"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=(directory / "django.log").open("w"),
        text=True,
    )
    base = f"http://127.0.0.1:{http_port}"
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    credentials = {"username": "demo_mediator", "password": "tiaojie-demo"}
    try:
        for _ in range(100):
            try:
                status, _type, page = _request(opener, f"{base}/login/")
                break
            except OSError:
                time.sleep(0.3)
        assert status == 200, (directory / "django.log").read_text()[-3000:]
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        assert token is not None
        form = {**credentials, "csrfmiddlewaretoken": token[1], "username": "nobody"}
        api = f"{base}/api/v1/auth/token"
        # Working: the API gives a token, the form answers (a wrong password, a page).
        assert _request(opener, api, credentials, json_body=True)[0] == 200
        assert _request(opener, f"{base}/login/", form)[0] == 200

        _pg_ctl(directory, "-m", "immediate", "stop")

        status, content_type, text = _request(opener, api, credentials, json_body=True)
        assert (status, content_type) == (503, "application/json")
        assert json.loads(text)["code"] == "unavailable"
        status, content_type, text = _request(opener, f"{base}/login/", form)
        assert (status, content_type) == (503, "text/html")
        assert "系统暂时无法使用" in text
        assert "Traceback" not in text and "psycopg" not in text

        _pg_ctl(
            directory,
            "-l",
            str(directory / "server.log"),
            "-w",
            "-o",
            f"-p {port_match[1]} -k {directory} -c listen_addresses=''",
            "start",
        )
        # Back without restarting the server: a request may still meet a dead connection
        # once; within a few seconds every request is served.
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            status, _type, text = _request(opener, api, credentials, json_body=True)
            if status == 200:
                break
            assert status == 503, text[:500]
            time.sleep(0.5)
        assert status == 200 and json.loads(text)["token"]
        assert _request(opener, f"{base}/login/", form)[0] == 200
    finally:
        server.terminate()
        server.wait(10)
