"""Permission cases for the public side. Citizens' pages are marked public here (the staff
suite's personas are staff; a staff session is no citizen: anonymous and staff alike are sent
to the phone sign-in, tested with citizens in ``tiaojie/public/tests/test_sign_in.py``). The
staff's pages and operations are scoped like cases: not yours is 404."""

from __future__ import annotations

from typing import Any

from tests import personas as p
from tests.permission_kit import ApiCase, PageCase
from tiaojie.accounts.models import User

READERS_ALL = {
    p.MEDIATOR_A: 200,
    p.MEDIATOR_B: 200,
    p.DIRECTOR_A: 200,
    p.GRID_A: 200,
    p.STREET: 200,
    p.DISTRICT: 200,
    p.CITY: 200,
}
READERS_A = {
    p.MEDIATOR_A: 200,
    p.DIRECTOR_A: 200,
    p.MEDIATOR_B: 404,
    p.GRID_A: 404,
    p.STREET: 200,
    p.DISTRICT: 200,
    p.CITY: 200,
}
# Writing to a committee-A case's party: its mediator and director (an empty form: 422);
# the sibling committee's mediator finds nothing; officers and grid workers do not handle.
HANDLERS_A = {p.MEDIATOR_A: 422, p.DIRECTOR_A: 422, p.MEDIATOR_B: 404}


def _case_a() -> Any:
    from tiaojie.cases.tests.factories import register

    return register(User.objects.get(username=p.MEDIATOR_A))


def case_a() -> dict[str, int]:
    return {"pk": _case_a().pk}


def respondent_of_case_a() -> dict[str, int]:
    case = _case_a()
    return {"pk": case.pk, "party_id": case.parties.get(role="respondent").pk}


def evidence_of_case_a() -> dict[str, int]:
    """A photo a citizen sent with a committee-A case."""
    from tiaojie.core.crypto import refresh_blind_indexes
    from tiaojie.public.models import Citizen, Evidence
    from tiaojie.public.services import evidence_dir

    case = _case_a()
    citizen = Citizen(phone="13800138111")
    refresh_blind_indexes(citizen)
    citizen.save()
    folder = evidence_dir(case)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "permission.jpg").write_bytes(b"\xff\xd8\xff\xe0 permission")
    evidence = Evidence.objects.create(
        case=case,
        citizen=citizen,
        title="现场照片",
        stored_name=f"permission-{case.pk}.jpg",
        original_name="现场照片.jpg",
        content_type="image/jpeg",
        size=20,
        sha256="0" * 64,
    )
    (folder / evidence.stored_name).write_bytes(b"\xff\xd8\xff\xe0 permission")
    return {"pk": case.pk, "evidence_id": evidence.pk}


def _citizen_page(name: str, kwargs: Any = dict, method: str = "get") -> PageCase:
    """A citizen's page: without a citizen session (anonymous or staff), to the sign-in."""
    return PageCase(name, kwargs, public=True, default=302, method=method)


PAGE_CASES: list[PageCase] = [
    PageCase("public:home", public=True, default=200),
    PageCase("public:sign_in", public=True, default=200),
    PageCase("public:directory", public=True, default=200),
    # Before filing: plain-language guidance and blank templates, for anyone.
    PageCase("public:guide", public=True, default=200),
    PageCase("public:guide_topic", lambda: {"code": "labour"}, public=True, default=200),
    PageCase("public:guide_form", lambda: {"name": "application"}, public=True, default=200),
    # Development only: not found with DEBUG off (as in the suite and in production).
    PageCase("public:dev_texts", public=True, default=404),
    # The token is the credential: a wrong one is "not found" for everyone.
    PageCase("public:respond", lambda: {"token": "x" * 32}, public=True, default=404),
    PageCase("public:respondent_sign", lambda: {"token": "x" * 32}, public=True, default=404),
    PageCase("public:respondent_signed_pdf", lambda: {"token": "x" * 32}, public=True, default=404),
    # Anyone may check a document's hash (the answer names no one).
    PageCase("public:verify", public=True, default=200),
    _citizen_page("public:sign_out", method="post"),
    _citizen_page("public:real_name"),
    _citizen_page("public:apply"),
    _citizen_page("public:apply_question"),
    _citizen_page("public:apply_details"),
    _citizen_page("public:my_cases"),
    _citizen_page("public:my_case", case_a),
    _citizen_page("public:my_evidence", evidence_of_case_a),
    _citizen_page("public:book", case_a),
    _citizen_page("public:sign", case_a),
    _citizen_page("public:signed_pdf", case_a),
    _citizen_page("public:rate", case_a, method="post"),
    # Offering meeting times: the committees' mediators and directors (their own committee).
    PageCase("public:slots", expect={p.MEDIATOR_A: 200, p.MEDIATOR_B: 200, p.DIRECTOR_A: 200}),
    PageCase("public:online_cases", expect=READERS_ALL),
    PageCase("public:online_case", case_a, READERS_A),
    PageCase("public:case_panel", case_a, READERS_A),
    PageCase("public:evidence_download", evidence_of_case_a, READERS_A),
    PageCase("public:message_send", case_a, HANDLERS_A, method="post"),
    PageCase("public:proxy_entry", respondent_of_case_a, HANDLERS_A, method="post"),
]


def api_case_a() -> dict[str, int]:
    return {"case_id": _case_a().pk}


API_CASES: list[ApiCase] = [
    ApiCase("public_engagement", "get", "/public/engagement", expect=READERS_ALL, default=403),
    ApiCase(
        "public_messages_list",
        "get",
        "/public/cases/{case_id}/messages",
        api_case_a,
        expect=READERS_A,
        default=403,
    ),
    ApiCase(
        "public_invitations_list",
        "get",
        "/public/cases/{case_id}/invitations",
        api_case_a,
        expect=READERS_A,
        default=403,
    ),
    ApiCase(
        "public_message_send",
        "post",
        "/public/cases/{case_id}/messages",
        api_case_a,
        body=lambda: {"text": "权限测试"},
        expect={p.MEDIATOR_A: 200, p.DIRECTOR_A: 200, p.MEDIATOR_B: 404},
        default=403,
    ),
]
