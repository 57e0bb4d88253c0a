#!/usr/bin/env python
"""The load test's data: schema, demo world, N generated cases, and the people who will use it.

Run by ``bench/load/run.py`` in its own process (Django configured here, not in the runner) against
the database named by ``DATABASE_URL``, with the same ``DJANGO_SECRET_KEY`` and
``TIAOJIE_DATA_KEY`` the server will get, so that the sessions, signed citizen cookies and
encrypted personal data made here are valid there. It writes ``personas.json`` into the state
directory; the locustfile reads it.

What it makes (bench/README.md, "load"):

* the migrated schema and the demo world (``seed_demo``: the city, its districts, offices,
  committees and demo accounts);
* ``--cases`` cases written by COPY with the generator of ``bench/case_search.py`` (narratives
  from the demo stories with random names, places, companies and amounts, search tokens exactly as
  registration stores them, every status, five years of dates, numbered per committee and year),
  plus a small share through ``statistics.generate.generate_cases`` (outcomes, transitions,
  agreements and the statistics facts, so the reports have figures to add up);
* the ended cases registered more than 60 days before closed out from their ledgers
  (``CLOSE_OUTS``), as ledger keepers do;
* ``--staff`` staff accounts across roles (mediators and directors of the committees, justice-office
  and district officers), each with a signed-in session and an API token made before the run, and
  for each the ids of some cases in their scope to open;
* whole files to render: cases with something in every document (the documents tests' sample);
* ``--citizens`` citizens with a real name given and a signed citizen cookie each.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import random
import sys
import time
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(BENCH.parent))

FAST_HASHERS = {"PASSWORD_HASHERS": ["django.contrib.auth.hashers.MD5PasswordHasher"]}
# How the staff split across roles (shares of --staff).
STAFF_SHARES = [("mediator", 0.70), ("committee_director", 0.15), ("office_officer", 0.10)]
CASES_PER_PERSONA = 40


def setup(workdir: Path) -> None:
    """Django on DATABASE_URL with the keys in the environment; DEBUG off, fast hashing."""
    # bench/ is on sys.path, not a package: imported by name (as bench/run runs its scripts).
    org_tree = importlib.import_module("org_tree")
    org_tree.setup_django(os.environ["DATABASE_URL"], workdir, FAST_HASHERS)


def log(message: str) -> None:
    print(f"[prepare {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# What ledger keepers do (台账销号): the cases that ended, registered more than 60 days before
# the load, are closed out, each on the day it ended (40 days after it was registered when the
# generator gave no day) by whoever registered it. Without close-outs every committee's
# ledger carried every case of five years: its page listed far more rows than a real one, and
# its figures skipped the close-outs a real ledger's figures weigh (ADR 0066).
CLOSE_OUTS = """
INSERT INTO supervision_closeout
    (closed_on, reason, note, at, case_id, closed_by_id, committee_path, registered_at)
SELECT coalesce(c.closed_on, (c.registered_at + interval '40 days')::date),
       CASE c.status WHEN 'agreed' THEN 'agreement_performed' WHEN 'declined' THEN 'declined'
            WHEN 'failed' THEN 'referred_on' WHEN 'terminated' THEN 'withdrawn'
            ELSE 'resolved_otherwise' END,
       '', c.registered_at + interval '40 days', c.id,
       coalesce(c.registered_by_id, (SELECT min(id) FROM accounts_user)),
       c.committee_path, c.registered_at
FROM cases_case c
WHERE c.status IN ('archived', 'agreed', 'terminated', 'failed', 'declined')
  AND c.registered_at < now() - interval '60 days'
ON CONFLICT (case_id) DO NOTHING
"""


def close_out_ended() -> int:
    """Close out the generated cases that ended long ago (``CLOSE_OUTS``); how many."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(CLOSE_OUTS)
        return int(cursor.rowcount)


def load(cases: int, seed: int) -> dict[str, Any]:
    """Schema, demo world and the generated cases; figures of the load."""
    from django.core.management import call_command

    from tiaojie.cases.models import Case
    from tiaojie.statistics.generate import generate_cases

    case_search = importlib.import_module("case_search")
    call_command("migrate", verbosity=0, interactive=False)
    log("migrated; seeding the demo world")
    generator = case_search.prepare(seed)
    with_facts = min(cases // 50, 20_000)
    log(f"generating {cases - with_facts:,} cases by COPY")
    started = time.perf_counter()
    figures = case_search.load_cases(generator, cases - with_facts, progress=True)
    copy_s = time.perf_counter() - started
    log(f"… and {with_facts:,} with outcomes and statistics facts")
    started = time.perf_counter()
    generate_cases(with_facts, seed=seed)
    facts_s = time.perf_counter() - started
    closed_out = close_out_ended()
    log(f"closed out {closed_out:,} cases that ended")
    return {
        "cases": Case.objects.count(),
        "committees": len(generator.committees),
        "copy_s": round(copy_s, 1),
        "generate_s": round(figures.generate_s, 1),
        "insert_s": round(figures.insert_s, 1),
        "index_s": round(figures.index_s, 1),
        "analyse_s": round(figures.analyse_s, 1),
        "facts_cases": with_facts,
        "facts_s": round(facts_s, 1),
        "closed_out": closed_out,
    }


def _session(user: Any) -> str:
    """A signed-in browser session for ``user``, as the login page would leave one."""
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    return str(client.cookies[settings.SESSION_COOKIE_NAME].value)


def _case_ids(rng: random.Random, path: str, n: int) -> list[int]:
    from django.db import connection

    with connection.cursor() as cursor:
        # A random sample without sorting the whole subtree: TABLESAMPLE would skew to the
        # committees with most pages; an id range is cheap and fair enough here.
        cursor.execute(
            "SELECT id FROM cases_case WHERE committee_path LIKE %s "
            "AND id %% 97 = %s ORDER BY id DESC LIMIT %s",
            [path + "%", rng.randrange(97), n],
        )
        ids = [int(row[0]) for row in cursor.fetchall()]
    return ids


def staff(count: int, seed: int) -> list[dict[str, Any]]:
    """``count`` staff accounts with a session, a token and cases in their scope to open."""
    from tiaojie.accounts.models import User
    from tiaojie.accounts.roles import Role
    from tiaojie.accounts.services import AccountData, token_issue, user_create
    from tiaojie.organisations.models import Organisation

    rng = random.Random(seed)
    committees = list(
        Organisation.objects.filter(kind="committee", status="active", cases__isnull=False)
        .distinct()
        .order_by("id")
    )
    offices = list(
        Organisation.objects.filter(kind="justice_office", status="active").order_by("id")
    )
    offices = [o for o in offices if any(c.path.startswith(o.path) for c in committees)]
    places = {
        "mediator": committees,
        "committee_director": committees,
        "office_officer": offices,
    }
    plan: list[str] = []
    for role, share in STAFF_SHARES:
        plan += [role] * round(count * share)
    plan += ["mediator"] * (count - len(plan))
    people: list[dict[str, Any]] = []
    for index, role in enumerate(plan[:count]):
        org = places[role][index % len(places[role])]
        username = f"load_{role}_{index:03d}"
        user = User.objects.filter(username=username).first() or user_create(
            actor=None,
            data=AccountData(
                username=username,
                full_name=f"压测{index:03d}",
                organisation=org,
                role=Role(role),
                title="",
            ),
            password="Load-test-2026",  # noqa: S106 - throw-away accounts of a throw-away database
            enforce_policy=False,
        )
        people.append(
            {
                "username": username,
                "role": role,
                "organisation": org.pk,
                "session": _session(user),
                "token": token_issue(user=user).raw,
                "cases": _case_ids(rng, org.path, CASES_PER_PERSONA),
            }
        )
    return people


def whole_files(count: int, people: list[dict[str, Any]]) -> list[int]:
    """Cases with something in every document, registered by the first committee's mediators."""
    from tiaojie.accounts.models import User
    from tiaojie.documents.tests.sample import full_case

    first = next(p for p in people if p["role"] == "mediator")
    mediator = User.objects.get(username=first["username"])
    return [full_case(mediator).pk for _ in range(count)]


def citizens(count: int) -> list[dict[str, Any]]:
    """Citizens who gave their real name, each with a signed cookie as the sign-in leaves."""
    from django.http import HttpResponse

    from tiaojie.core.crypto import refresh_blind_indexes
    from tiaojie.core.validators import id_number_check_char
    from tiaojie.public import session
    from tiaojie.public.models import Citizen

    people: list[dict[str, Any]] = []
    for index in range(count):
        phone = f"186{index:08d}"
        citizen = Citizen(phone=phone)
        refresh_blind_indexes(citizen)
        citizen.save()
        body = f"42010219{80 + index % 20:02d}0{1 + index % 9}1{index % 10}{index % 1000:03d}"
        citizen.name = f"市民{index:03d}"
        citizen.id_number = body + id_number_check_char(body)
        citizen.verified_at = citizen.created_at
        refresh_blind_indexes(citizen)
        citizen.save()
        response = HttpResponse()
        session.sign_in(response, citizen)
        people.append({"phone": phone, "cookie": response.cookies[session.COOKIE].value})
    return people


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--state", type=Path, required=True)
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--staff", type=int, default=200)
    parser.add_argument("--citizens", type=int, default=500)
    parser.add_argument("--files", type=int, default=20, help="whole files to render")
    parser.add_argument("--seed", type=int, default=2011)
    args = parser.parse_args()
    setup(args.state / "var")
    from django.db import connection

    from tiaojie.cases.models import DisputeType
    from tiaojie.organisations.models import Organisation

    figures = load(args.cases, args.seed)
    log(f"loaded {figures}")
    people = staff(args.staff, args.seed)
    log(f"{len(people)} staff with sessions and tokens")
    files = whole_files(args.files, people)
    folk = citizens(args.citizens)
    log(f"{len(folk)} citizens; {len(files)} whole files to render")
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    committee_a = Organisation.objects.get(name="东湖社区人民调解委员会")
    personas = {
        "figures": figures,
        "staff": people,
        "whole_files": files,
        "whole_files_committee": next(p for p in people if p["role"] == "mediator")["organisation"],
        "citizens": folk,
        "committee_a": committee_a.pk,
        "neighbours": DisputeType.objects.get(code="neighbours", valid_to__isnull=True).pk,
    }
    (args.state / "personas.json").write_text(json.dumps(personas, ensure_ascii=False))
    log("wrote personas.json")


if __name__ == "__main__":
    main()
