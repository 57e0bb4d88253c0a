"""The move's locking read, compiled once per kind of actor (ADR 0062), must read what the ORM
would read for every actor: the same row, the same related objects, and the same answer to
"may this actor see it" and "who mediates it". A wrong answer would let a move through scope."""

from __future__ import annotations

import pytest
from django.db import router, transaction

from conftest import World
from tests import personas as p
from tiaojie.accounts.roles import Capability
from tiaojie.cases import workflow
from tiaojie.cases.models import Case
from tiaojie.cases.services.joint import joint_committee_join
from tiaojie.cases.tests import factories as f
from tiaojie.cases.workflow import transition
from tiaojie.core.errors import OutOfScope

FLAGS = ("actor_in_scope", "mediators_active", "actor_mediates")


@pytest.fixture
def cases(world: World) -> list[Case]:
    """Cases of committee A (registered; in mediation with its mediator; mediated jointly with
    committee B), one of committee B, and one a grid worker reported."""
    mediator_a, mediator_b = world.user(p.MEDIATOR_A), world.user(p.MEDIATOR_B)
    joint = f.to_mediation(mediator_a, f.register(mediator_a))
    committee_b = world.org(p.COMMITTEE_B)
    joint_committee_join(
        case=joint, committee=committee_b, invited_by=world.user(p.DIRECTOR_A), reason="联合调解"
    )
    return [
        f.register(mediator_a),
        f.to_mediation(mediator_a, f.register(mediator_a)),
        joint,
        f.register(mediator_b),
        f.register(world.user(p.GRID_A)),
    ]


def test_the_compiled_read_answers_as_the_orm_for_every_actor_and_case(
    world: World, cases: list[Case]
) -> None:
    alias = router.db_for_write(Case)
    seen = 0
    for username in p.ALL_STAFF:
        actor = world.user(username)
        # The fast path is taken for every role: a silent fall-back would hide a broken one.
        assert (
            workflow._compiled_lock(alias, actor.role, actor.can(Capability.CASE_CONTENT))
            is not None
        ), username
        for case in cases:
            with transaction.atomic():
                fast, in_scope = workflow._lock_in_scope(actor, case.pk)
                slow = workflow._lock_query(actor).filter(pk=case.pk).get()
            assert in_scope == bool(slow.actor_in_scope), (username, case.pk)  # type: ignore[attr-defined]
            assert [getattr(fast, flag) for flag in FLAGS] == [
                getattr(slow, flag) for flag in FLAGS
            ], (username, case.pk)
            assert {f.attname: getattr(fast, f.attname) for f in Case._meta.concrete_fields} == {
                f.attname: getattr(slow, f.attname) for f in Case._meta.concrete_fields
            }
            # The related rows came with the lock, as select_related brings them.
            assert fast.committee == slow.committee and fast.dispute_type == slow.dispute_type
            assert Case.committee.is_cached(fast) and Case.dispute_type.is_cached(fast)
            seen += in_scope
    # Some actors see some of the cases and not others: both answers were compared.
    assert 0 < seen < len(p.ALL_STAFF) * len(cases)


def test_a_missing_case_is_not_found_and_a_move_out_of_scope_changes_nothing(
    world: World, cases: list[Case]
) -> None:
    with pytest.raises(Case.DoesNotExist), transaction.atomic():
        workflow._lock_in_scope(world.user(p.MEDIATOR_A), max(c.pk for c in cases) + 1)
    theirs = cases[3]  # committee B's
    with pytest.raises(OutOfScope):
        transition(actor=world.user(p.MEDIATOR_A), case=Case(pk=theirs.pk), action="accept")
    theirs.refresh_from_db()
    assert theirs.status == "registered" and theirs.version == cases[3].version
