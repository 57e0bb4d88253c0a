"""Every path through the workflow table reaches archived, and the file it must hold follows the
path the case took: a case terminated before any session was never mediated, so it owes no
rights-and-duties notice and no mediation record (issue 9, item 3).

The paths are generated from ``workflow.MOVES``, not listed by hand: a move added to the table
is walked here without anyone remembering to. Each step is made the way users make it, through
the services the pages and the API call, and so is every document a path needs (the parties
registered without ID numbers, their identity proof is an uploaded attachment).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from conftest import World
from tests import personas as p
from tiaojie.cases import casefile
from tiaojie.cases.choices import CaseStatus, PartyRole
from tiaojie.cases.models import Case
from tiaojie.cases.services import aftercare, agreements, attachments, intake, records
from tiaojie.cases.tests import factories as f
from tiaojie.cases.workflow import MOVES, Action, transition
from tiaojie.core.transitions import STAY

pytestmark = pytest.mark.django_db

S = CaseStatus


def _paths(start: CaseStatus, *, may_return: bool) -> list[tuple[Action, ...]]:
    """Every sequence of moves from ``start`` to archived that goes round at most one loop of
    the table once, so each backward move (return, resume) is taken: a path comes back to at
    most two statuses it passed (both loops, queued ⇄ registered and agreed ⇄ in mediation,
    are two moves long)."""
    found: list[tuple[Action, ...]] = []

    def walk(status: CaseStatus, path: tuple[Action, ...], seen: tuple[CaseStatus, ...]) -> None:
        if status == S.ARCHIVED:
            found.append(path)
            return
        for move in MOVES.values():
            if status not in move.sources or (move.action == Action.RETURN and not may_return):
                continue
            if move.target == STAY:
                continue  # a transfer changes who holds the case, not what its file holds
            revisits = len(seen) - len(set(seen)) + (move.target in seen)
            if revisits > 2:
                continue
            target = CaseStatus(move.target)
            walk(target, (*path, move.action), (*seen, target))

    walk(start, (), (start,))
    return found


@dataclass(frozen=True)
class Path:
    """A path through the table, with how its last closing move is made."""

    start: CaseStatus
    moves: tuple[Action, ...]
    oral: bool = False  # the agreement the case ends with is oral
    session_first: bool = True  # a session is held before terminating in mediation

    def __str__(self) -> str:
        variant = " (oral)" if self.oral else "" if self.session_first else " (no session)"
        return f"{self.start}: {' → '.join(self.moves)}{variant}"


def _all_paths() -> list[Path]:
    # A centre registers into its queue (and a committee may return what it was routed); a
    # committee registers its own disputes, which have no centre to go back to.
    paths: list[Path] = []
    for start, may_return in ((S.QUEUED, True), (S.REGISTERED, False)):
        for moves in _paths(start, may_return=may_return):
            paths.append(Path(start, moves))
            closing = moves[-2]
            if closing == Action.REACH_AGREEMENT:
                paths.append(Path(start, moves, oral=True))
            if closing == Action.TERMINATE and moves[-3] == Action.START_MEDIATION:
                paths.append(Path(start, moves, session_first=False))
    return paths


PATHS = _all_paths()


def test_the_generated_paths_take_every_move_and_every_way_a_case_ends() -> None:
    taken = {action for path in PATHS for action in path.moves}
    assert taken == {action for action, move in MOVES.items() if move.target != STAY}
    ends = {(path.moves[-2], path.oral, path.session_first) for path in PATHS}
    assert (Action.DECLINE, False, True) in ends
    assert (Action.TERMINATE, False, False) in ends  # during mediation, no session yet
    assert (Action.TERMINATE, False, True) in ends
    assert (Action.FAIL, False, True) in ends
    assert (Action.REACH_AGREEMENT, True, True) in ends
    assert (Action.REACH_AGREEMENT, False, True) in ends
    assert any(path.moves[:2] == (Action.ACCEPT, Action.TERMINATE) for path in PATHS)


def _pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n", "application/pdf")


class Walker:
    """Makes each move of a path as the users whose move it is, supplying what its guard needs
    through the same services as the pages."""

    def __init__(self, world: World, path: Path) -> None:
        self.path = path
        self.street = world.user(p.STREET)
        self.mediator = world.user(p.MEDIATOR_A)
        self.director = world.user(p.DIRECTOR_A)
        self.committee = world.org(p.COMMITTEE_A)

    def register(self) -> Case:
        registrar = self.street if self.path.start == S.QUEUED else self.mediator
        case = f.register(
            registrar,
            parties=[
                intake.PartyData(role=PartyRole.APPLICANT, name="王建华"),
                intake.PartyData(role=PartyRole.RESPONDENT, name="李秀英"),
            ],
        )
        assert case.status == self.path.start
        return case

    def _fresh(self, case: Case) -> Case:
        return Case.objects.get(pk=case.pk)

    def _session(self, case: Case) -> Case:
        if not case.sessions.exists():
            records.session_add(
                actor=self.mediator,
                case=case,
                held_at=f.earlier_today(case),
                place="东湖社区调解室",
                parties_present="王建华、李秀英",
                recorder="李建国",
                content="告知权利义务后，双方陈述，调解员释法说理。",
            )
        return self._fresh(case)

    def _agree(self, case: Case, *, oral: bool) -> Case:
        case = self._session(case)
        today = timezone.localdate()
        agreements.agreement_draw_up(
            actor=self.mediator,
            case=case,
            kind="oral" if oral else "written",
            facts="漏水系被申请人卫生间防水老化所致。",
            content="被申请人于十日内修复防水，并赔偿申请人2000元。",
            performance_manner="现金当面支付",
            formed_on=today,
            performance_deadline=today + dt.timedelta(days=10),
        )
        if not oral:
            for party in case.parties.all():
                agreements.agreement_sign(
                    actor=self.mediator, case=case, party=party, signed_on=today
                )
            agreements.agreement_sign(
                actor=self.mediator, case=case, mediator=True, signed_on=today
            )
            agreements.agreement_sign(actor=self.mediator, case=case, seal=True, signed_on=today)
        return self._fresh(case)

    def _reject_confirmation(self, case: Case) -> Case:
        today = timezone.localdate()
        aftercare.confirmation_apply(
            actor=self.mediator, case=case, applied_on=today, court="东湖区人民法院", joint=True
        )
        aftercare.confirmation_decide(
            actor=self.mediator,
            case=case,
            outcome="rejected",
            decided_on=today,
            ruling_number="（2026）鄂0102民特12号",
        )
        return self._fresh(case)

    def _supply_file(self, case: Case) -> None:
        # The parties gave no ID numbers at intake: their identity proof is kept as a file.
        attachments.attachment_add(
            actor=self.mediator,
            case=case,
            kind="identity",
            title="身份证复印件",
            file=_pdf("id.pdf"),
        )

    def move(self, case: Case, action: Action, *, last_closing: bool) -> Case:
        path = self.path
        actor, reason = self.mediator, ""
        data: dict[str, object] = {}
        if action == Action.ROUTE:
            actor = self.street
            data = {"committee_id": self.committee.pk, "rule_id": None, "overridden": False}
        elif action == Action.RETURN:
            reason = "不属本社区"
        elif action == Action.DECLINE:
            reason, data = "已向法院起诉", {"decline_reason": "before_other_body"}
        elif action == Action.START_MEDIATION:
            data = {"mediator_ids": [self.mediator.pk]}
        elif action == Action.REACH_AGREEMENT:
            case = self._agree(case, oral=path.oral and last_closing)
        elif action == Action.FAIL:
            case = self._session(case)
            reason, data = "分歧过大", {"routes_told": True}
        elif action == Action.TERMINATE:
            if case.status == S.IN_MEDIATION and path.session_first:
                case = self._session(case)
            reason, data = "申请人撤回申请", {"end_reason": "party_withdraws"}
        elif action == Action.RESUME:
            case = self._reject_confirmation(case)
            reason = "法院驳回确认申请，重新调解"
        elif action == Action.ARCHIVE:
            actor = self.director
            if "identity" in casefile.required_documents(case):
                self._supply_file(case)
            case = self._fresh(case)
        return transition(actor=actor, case=case, action=action, reason=reason, data=data)


def _expected(path: Path, case: Case) -> set[str]:
    """What the file of this path must hold, by how the case ended and whether it was
    mediated."""
    ended = path.moves[-2]
    if ended == Action.DECLINE:
        return {"application", "decline_notice", "back_cover"}
    expected = {"application", "identity", "back_cover"}
    if case.sessions.exists():
        expected |= {"rights_notice", "mediation_record"}
    if ended == Action.REACH_AGREEMENT:
        expected.add("agreement")
    if ended == Action.TERMINATE:
        expected.add("termination_notice")
    return expected


@pytest.mark.parametrize("path", PATHS, ids=str)
def test_every_path_through_the_workflow_reaches_archived(world: World, path: Path) -> None:
    walker = Walker(world, path)
    case = walker.register()
    for index, action in enumerate(path.moves):
        if action == Action.ARCHIVE:
            # What the file lacks is only what this path needs, and all of it can be supplied.
            assert set(casefile.required_documents(case)) == _expected(path, case)
        case = walker.move(case, action, last_closing=index == len(path.moves) - 2)
    assert case.status == S.ARCHIVED
    assert list(case.transitions.values_list("action", flat=True)) == list(path.moves)
    mediated = case.sessions.exists()
    contents = {item.key for item in casefile.contents(case)}
    assert ("rights_notice" in contents) == mediated
    assert ("mediation_record" in contents) == mediated


def test_a_case_terminated_after_acceptance_needs_no_rights_notice(world: World) -> None:
    """The report: terminated before any session, the file was refused for a rights notice
    that no page or API can supply."""
    mediator, director = world.user(p.MEDIATOR_A), world.user(p.DIRECTOR_A)
    case = transition(actor=mediator, case=f.register(mediator), action="accept")
    case = transition(
        actor=mediator,
        case=case,
        action="terminate",
        reason="被申请人拒绝调解",
        data={"end_reason": "party_refuses"},
    )
    assert casefile.missing_documents(case) == []
    case = transition(actor=director, case=case, action="archive")
    assert case.status == S.ARCHIVED
