"""Backup and restore drill: what was backed up comes back whole in an empty database."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import tarfile
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from conftest import restore_world
from tiaojie.accounts.models import User
from tiaojie.audit import backup
from tiaojie.audit.backup import BackupError, create_backup, restore_backup
from tiaojie.cases.models import Case
from tiaojie.cases.services.attachments import attachment_add
from tiaojie.cases.tests import factories as f

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
ROOT = Path(__file__).resolve().parents[3]

# What the restored installation shows: every case, its parties decrypted, its files' bytes.
INVENTORY = """
import hashlib, json
from tiaojie.cases.models import Case
from tiaojie.cases.services.attachments import stored_path
out = {}
for case in Case.objects.order_by("pk"):
    out[str(case.pk)] = {
        "parties": sorted((p.name, p.id_number, p.phone, p.address) for p in case.parties.all()),
        "files": sorted(
            hashlib.sha256(stored_path(a).read_bytes()).hexdigest() for a in case.attachments.all()
        ),
    }
print(json.dumps(out, ensure_ascii=False))
"""


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ROOT.mkdir()
    return Path(settings.MEDIA_ROOT)


def build_data() -> dict[str, Any]:
    restore_world()
    mediator = User.objects.get(username="demo_mediator")
    first = f.register(mediator)
    second = f.to_mediation(mediator, f.register(mediator, summary="欠款纠纷"))
    attachment_add(
        actor=mediator,
        case=second,
        kind="evidence",
        title="借条",
        file=SimpleUploadedFile("借条.pdf", PDF),
    )
    expected = {}
    for case in Case.objects.filter(pk__in=[first.pk, second.pk]).order_by("pk"):
        expected[str(case.pk)] = {
            "parties": sorted(
                [p.name, p.id_number, p.phone, p.address] for p in case.parties.all()
            ),
            "files": sorted(a.sha256 for a in case.attachments.all()),
        }
    return expected


def manage(*args: str, database: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    env["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    env["DATABASE_URL"] = f"sqlite:///{database}"
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@pytest.mark.django_db(transaction=True)
def test_a_backup_restored_into_an_empty_database_shows_every_case_party_file_and_event(
    media: Path, tmp_path: Path
) -> None:
    if connection.vendor != "sqlite":
        pytest.skip(
            "SQLite drill; on PostgreSQL see test_the_postgresql_drill_pg_dump_into_a_new_database…"
        )
    expected = build_data()
    result = create_backup(tmp_path)
    manifest = result.manifest
    assert manifest["database"]["file"] == "database.sqlite3"
    assert manifest["audit_head"]["seq"] > 0
    assert not manifest["keys_included"]
    with tarfile.open(result.path) as archive:
        names = archive.getnames()
    assert "keys.json" not in names
    assert any(name.startswith("media/cases/") and name.endswith(".pdf") for name in names)

    fresh, fresh_media = tmp_path / "restored.sqlite3", tmp_path / "restored-media"
    restored = manage("restore", str(result.path), "--media-root", str(fresh_media), database=fresh)
    assert restored.returncode == 0, restored.stderr
    verified = manage("verify_audit", database=fresh)
    assert verified.returncode == 0, verified.stderr
    assert f"{manifest['audit_head']['seq']} chained events" in verified.stdout
    # Parties decrypt with the configured key and attachments are the same bytes.
    env_media = f"from django.conf import settings; settings.MEDIA_ROOT = {str(fresh_media)!r}\n"
    shown = manage("shell", "-c", env_media + INVENTORY, database=fresh)
    assert shown.returncode == 0, shown.stderr
    inventory = json.loads(shown.stdout.strip().splitlines()[-1])
    for pk, held in expected.items():
        assert inventory[pk]["parties"] == held["parties"]
        assert inventory[pk]["files"] == held["files"]
    assert any(p[1] == f.WANG_ID for p in inventory[next(iter(expected))]["parties"])
    # A second restore over the restored data is refused: never over live data.
    again = manage(
        "restore", str(result.path), "--media-root", str(tmp_path / "m3"), database=fresh
    )
    assert again.returncode != 0
    assert "restore only into a new database" in again.stderr or "新" in again.stderr


@pytest.mark.django_db(transaction=True)
def test_a_damaged_archive_or_a_live_database_is_refused(
    media: Path, tmp_path: Path, settings: Any
) -> None:
    result = create_backup(tmp_path / "b.tar.gz")
    with pytest.raises(BackupError) as live:
        restore_backup(result.path, media_root=tmp_path / "empty")
    assert live.value.code == "not_empty"

    damaged = tmp_path / "damaged.tar.gz"
    with tarfile.open(result.path) as source, tarfile.open(damaged, "w:gz") as target:
        for member in source.getmembers():
            data = source.extractfile(member)
            content = data.read() if data else b""
            if member.name.startswith("database"):
                content = content[:-10] + b"x" * 10
            member.size = len(content)
            target.addfile(member, io.BytesIO(content))
    with pytest.raises(BackupError) as bad:
        backup._extract_checked(damaged, tmp_path / "unpack")
    assert bad.value.code == "checksum"

    settings.TIAOJIE_DATA_KEY = "b3RoZXIta2V5LW90aGVyLWtleS1vdGhlci1rZXktMDE="
    with pytest.raises(BackupError) as keys:
        backup._check_keys(result.manifest)
    assert keys.value.code == "keys"


@pytest.mark.django_db(transaction=True)
def test_keys_go_into_the_archive_only_when_asked(media: Path, tmp_path: Path) -> None:
    plain = create_backup(tmp_path / "plain.tar.gz")
    assert "TIAOJIE_DATA_KEY" not in plain.path.read_bytes().decode("latin-1")
    with_keys = create_backup(tmp_path / "keys.tar.gz", include_keys=True)
    with tarfile.open(with_keys.path) as archive:
        member = archive.extractfile("keys.json")
        assert member is not None
        assert json.load(member)["TIAOJIE_DATA_KEY"] == settings.TIAOJIE_DATA_KEY
    assert with_keys.manifest["data_keys"]["current"] == plain.manifest["data_keys"]["current"]


def _url_for(database: str) -> str:
    """The suite's DATABASE_URL with another database name (same cluster and user)."""
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(os.environ["DATABASE_URL"])
    return urlunsplit(parts._replace(path=f"/{database}"))


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_the_postgresql_drill_pg_dump_into_a_new_database_brings_everything_back(
    media: Path, tmp_path: Path
) -> None:
    """The same drill on PostgreSQL: pg_dump of the live database, pg_restore into a database
    created empty for it, then the audit chain verifies and every party and file is there."""
    expected = build_data()
    result = create_backup(tmp_path)
    assert result.manifest["database"]["file"] == "database.pgdump"
    fresh = f"tiaojie_drill_{os.getpid()}"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{fresh}"')
    env = dict(os.environ)
    env["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    env["DATABASE_URL"] = _url_for(fresh)
    fresh_media = tmp_path / "restored-media"

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(  # noqa: S603
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )

    try:
        restored = run("restore", str(result.path), "--media-root", str(fresh_media))
        assert restored.returncode == 0, restored.stderr
        verified = run("verify_audit")
        assert verified.returncode == 0, verified.stderr
        assert f"{result.manifest['audit_head']['seq']} chained events" in verified.stdout
        env_media = (
            f"from django.conf import settings; settings.MEDIA_ROOT = {str(fresh_media)!r}\n"
        )
        shown = run("shell", "-c", env_media + INVENTORY)
        assert shown.returncode == 0, shown.stderr
        inventory = json.loads(shown.stdout.strip().splitlines()[-1])
        for pk, held in expected.items():
            assert inventory[pk]["parties"] == held["parties"]
            assert inventory[pk]["files"] == held["files"]
        again = run("restore", str(result.path), "--media-root", str(tmp_path / "m3"))
        assert again.returncode != 0
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{fresh}"')
