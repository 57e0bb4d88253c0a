"""Test fixtures shared by every app: the demo world as personas, clients signed in as them."""

from __future__ import annotations

import socket
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from hypothesis import HealthCheck, settings

from tiaojie.accounts.demo import seed_demo
from tiaojie.accounts.models import User
from tiaojie.accounts.services import token_issue
from tiaojie.core.events import DeliverAfterCommit
from tiaojie.organisations.models import Organisation

# Property tests judge behaviour, not speed: on a loaded 2-core machine (CI runs the suite two
# workers wide) one slow draw or example must not fail a run. The examples themselves are kept.
settings.register_profile("tiaojie", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("tiaojie")

# Tests never reach the network: only loopback (live server, PostgreSQL over TCP) is allowed.
_real_connect = socket.socket.connect


def _guarded_connect(self: socket.socket, address: Any) -> Any:
    host = address[0] if isinstance(address, tuple) else address
    if (
        isinstance(host, str)
        and host not in {"127.0.0.1", "::1", "localhost"}
        and not host.startswith("/")
    ):
        raise RuntimeError(f"tests may not connect to {address!r}")
    return _real_connect(self, address)


socket.socket.connect = _guarded_connect  # type: ignore[method-assign,assignment]


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None, django_db_blocker: Any) -> None:
    """Build the demo world once per test database; each test runs in a rolled-back transaction."""
    with django_db_blocker.unblock():
        seed_demo()


class World:
    """The personas across the organisation tree, by demo username and organisation name."""

    def user(self, username: str) -> User:
        return User.objects.get(username=username)

    def org(self, name: str) -> Organisation:
        return Organisation.objects.get(name=name)

    def move(self, name: str, parent: str) -> Organisation:
        """The city bureau moves the unit ``name`` and its subtree under ``parent`` (a
        regrouping of areas, 行政区划调整), through ``organisation_move``."""
        from tiaojie.organisations.moves import organisation_move

        unit = self.org(name)
        return organisation_move(
            actor=self.user("demo_city"),
            org=unit,
            parent=self.org(parent),
            reason="行政区划调整",
            version=unit.version,
        )


@pytest.fixture
def world(db: None) -> World:
    return World()


@pytest.fixture
def client_as(db: None) -> Callable[[str], Client]:
    """A page client logged in as the demo account ``username``."""

    def make(username: str) -> Client:
        client = Client()
        client.force_login(User.objects.get(username=username))
        return client

    return make


@pytest.fixture
def api_as(db: None) -> Callable[[str], Client]:
    """An API client carrying a fresh bearer token of the demo account ``username``."""

    def make(username: str) -> Client:
        issued = token_issue(user=User.objects.get(username=username))
        return Client(headers={"Authorization": f"Bearer {issued.raw}"})

    return make


@pytest.fixture(autouse=True)
def _events_after_commit() -> Iterator[None]:
    """Deliver domain events when the outermost block of the code under test commits.

    Each test runs inside a transaction that is rolled back, so ``on_commit`` never fires on
    its own. This stands in for the commit: when an atomic block exits cleanly and only the
    test's own blocks remain around it, the events published in it are delivered (at once, as
    tasks run in the suite); a block that rolls back takes its events with it. Only the
    events' callbacks are run here; the suite's other on-commit callbacks are left to
    ``django_capture_on_commit_callbacks``.
    """
    original = transaction.Atomic.__exit__

    def exit_then_deliver(self: Any, exc_type: Any, exc: Any, tb: Any) -> Any:
        result = original(self, exc_type, exc, tb)
        connection = transaction.get_connection(self.using)
        if (
            exc_type is None
            and connection.in_atomic_block
            and all(getattr(block, "_from_testcase", False) for block in connection.atomic_blocks)
        ):
            due = [
                entry
                for entry in connection.run_on_commit
                if isinstance(entry[1], DeliverAfterCommit)
            ]
            connection.run_on_commit = [e for e in connection.run_on_commit if e not in due]
            for _sids, callback, _robust in due:
                callback()
        return result

    transaction.Atomic.__exit__ = exit_then_deliver  # type: ignore[method-assign]
    try:
        yield
    finally:
        transaction.Atomic.__exit__ = original  # type: ignore[method-assign]


@pytest.fixture(autouse=True)
def _english_off(settings: Any) -> Iterator[None]:
    """Tests see the product as users do: Chinese unless a test asks for English."""
    settings.LANGUAGE_CODE = "zh-hans"
    yield


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """A ``postgres_only`` test run on another database would test nothing: refuse it loudly."""
    from django.db import connection

    if connection.vendor == "postgresql":
        return
    selected = [item for item in items if item.get_closest_marker("postgres_only")]
    if not selected:
        return
    message = (
        f"{len(selected)} postgres_only tests selected on {connection.vendor}; "
        'deselect them with -m "not postgres_only" or set DATABASE_URL'
    )
    if hasattr(config, "workerinput"):
        # An xdist worker cannot stop the session with a usage error (the controller reports
        # an internal error instead): each such test fails with the message, unrun.
        def refuse() -> None:
            pytest.fail(message, pytrace=False)

        for item in selected:
            item.runtest = refuse  # type: ignore[method-assign]
        return
    raise pytest.UsageError(message)


def restore_world() -> None:
    """For transactional tests, which start from a flushed database: the demo world and the
    reference data migrations load (dispute types), as every other test sees them."""
    import importlib

    from django.apps import apps as django_apps

    from tiaojie.cases.models import DisputeType

    if not User.objects.filter(username="demo_mediator").exists():
        seed_demo()
    if not DisputeType.objects.exists():
        migration = importlib.import_module("tiaojie.cases.migrations.0002_dispute_types")
        migration.load(django_apps, None)
