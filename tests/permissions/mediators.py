"""Permission cases for the mediator registry's pages and API operations.

A mediator of committee A (registered by A's director) is seen by A's staff and the officers
above; committee B's mediator finds nothing (404); grid workers and the three administrators
have no roster (403). Changing the roster is for directors and officers; a committee's
mediators read it only."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from tests import personas as p
from tests.permission_kit import ApiCase, PageCase
from tiaojie.accounts.models import User
from tiaojie.mediators.models import Mediator


def _user(username: str) -> User:
    return User.objects.get(username=username)


def _mediator_a() -> Mediator:
    from tiaojie.mediators.tests.helpers import register

    return register(_user(p.DIRECTOR_A), p.org(p.COMMITTEE_A), serial=901, name="权限甲")


def _course_of_district() -> Any:
    """A course 东湖区 ran: seen in 东湖区 (not by the city above it, nor by 西山区)."""
    from decimal import Decimal

    from django.utils import timezone

    from tiaojie.mediators import training

    today = timezone.localdate()
    return training.course_create(
        actor=_user(p.DISTRICT),
        data=training.CourseData("岗前培训", "initial", "on_site", Decimal(16), today, today),
    )


def _evaluation_a() -> Any:
    """An evaluation committee A's director ran: seen in A and above, not in B (404)."""
    from django.utils import timezone

    from tiaojie.mediators import evaluation

    today = timezone.localdate()
    return evaluation.evaluation_run(
        actor=_user(p.DIRECTOR_A), title="权限考核", starts_on=today, ends_on=today
    )


def evaluation_a() -> dict[str, int]:
    return {"pk": _evaluation_a().pk}


def _promotion_a() -> Any:
    """A proposal to raise committee A's mediator to 中级 of the district's ladder."""
    from tiaojie.mediators import promotions, services

    grades = services.ladder_set(actor=_user(p.DISTRICT), names=["初级", "中级"])
    return promotions.propose(
        actor=_user(p.DIRECTOR_A), mediator=_mediator_a(), to_grade_id=grades[1].pk, grounds="优秀"
    )


def promotion_a() -> dict[str, int]:
    return {"pk": _promotion_a().pk}


def committee_a() -> dict[str, int]:
    return {"pk": p.org(p.COMMITTEE_A).pk}


def _rating_a() -> Any:
    """Committee A's stars proposed this year by its director."""
    from django.utils import timezone

    from tiaojie.mediators import committees

    return committees.star_propose(
        actor=_user(p.DIRECTOR_A),
        committee=p.org(p.COMMITTEE_A),
        year=timezone.localdate().year,
        stars=3,
        met=[],
    )


def rating_a() -> dict[str, int]:
    return {"pk": _rating_a().pk}


def course() -> dict[str, int]:
    return {"pk": _course_of_district().pk}


def mediator_a() -> dict[str, int]:
    return {"pk": _mediator_a().pk}


def membership_a() -> dict[str, int]:
    mediator = _mediator_a()
    return {"pk": mediator.pk, "membership_pk": mediator.memberships.get().pk}


VIEWERS = {
    p.MEDIATOR_A: 200,
    p.MEDIATOR_B: 200,
    p.DIRECTOR_A: 200,
    p.STREET: 200,
    p.DISTRICT: 200,
    p.CITY: 200,
}
MANAGERS = {p.DIRECTOR_A: 200, p.STREET: 200, p.DISTRICT: 200, p.CITY: 200}
# Mediator A of committee A: B's mediator is out of scope (404).
READERS_A = {**VIEWERS, p.MEDIATOR_B: 404}
BUREAUS = {p.DISTRICT: 200, p.CITY: 200}


def _redirects(expect: dict[str, int]) -> dict[str, int]:
    return {k: 302 for k in expect}


PAGE_CASES: list[PageCase] = [
    PageCase("mediators:mediator_list", expect=VIEWERS),
    PageCase("mediators:mediator_create", expect=MANAGERS),
    PageCase("mediators:mediator_detail", mediator_a, READERS_A),
    PageCase("mediators:mediator_edit", mediator_a, MANAGERS),
    PageCase("mediators:mediator_reveal", mediator_a, MANAGERS, method="post"),
    # An empty POST is refused with a message and sent back to the mediator's page.
    PageCase("mediators:mediator_move", mediator_a, _redirects(MANAGERS), method="post"),
    PageCase("mediators:membership_add", mediator_a, _redirects(MANAGERS), method="post"),
    PageCase("mediators:membership_end", membership_a, _redirects(MANAGERS), method="post"),
    PageCase("mediators:grade_ladder", expect=BUREAUS),
    PageCase("mediators:roster_export", expect=MANAGERS),
    PageCase("mediators:course_list", expect=VIEWERS),
    PageCase("mediators:course_create", expect=MANAGERS),
    # The city sees courses of its own subtree: a district's course is below it (200).
    PageCase("mediators:course_detail", course, VIEWERS),
    # An empty attendance is refused on the page (422); a mediator may not record (403).
    PageCase("mediators:attendance_add", course, {k: 422 for k in MANAGERS}, method="post"),
    PageCase("mediators:training_report", expect=VIEWERS),
    PageCase("mediators:training_export", expect=MANAGERS),
    PageCase("mediators:training_rule", expect=BUREAUS),
    PageCase("mediators:staffing_report", expect=VIEWERS),
    PageCase("mediators:staffing_norms", expect=BUREAUS),
    PageCase("mediators:insurance_report", expect=VIEWERS),
    # An empty policy is refused with a message and sent back to the mediator's page.
    PageCase("mediators:policy_add", mediator_a, _redirects(MANAGERS), method="post"),
    PageCase("mediators:roster_import", expect=MANAGERS),
    PageCase("mediators:evaluation_list", expect=VIEWERS),
    # An empty form is refused on the page (422); a mediator may not run one (403).
    PageCase("mediators:evaluation_list", expect={k: 422 for k in MANAGERS}, method="post"),
    PageCase("mediators:evaluation_detail", evaluation_a, READERS_A),
    PageCase("mediators:evaluation_weights", expect=BUREAUS),
    PageCase("mediators:promotion_list", expect=VIEWERS),
    PageCase("mediators:promotion_propose", mediator_a, MANAGERS),
    # A decision is a bureau's: it redirects to the list (the street's office: refused there).
    PageCase("mediators:promotion_decide", promotion_a, _redirects(BUREAUS), method="post"),
    PageCase("mediators:honour_list", expect=VIEWERS),
    PageCase("mediators:honour_add", mediator_a, MANAGERS),
    PageCase("mediators:committee_standards", expect=VIEWERS),
    # Committee A is in the subtree of its director and the officers above.
    PageCase("mediators:committee_check", committee_a, MANAGERS),
    PageCase("mediators:committee_settings", expect=BUREAUS),
    PageCase("mediators:star_decide", rating_a, _redirects(BUREAUS), method="post"),
    PageCase("mediators:roster_template", expect=MANAGERS),
    PageCase("mediators:attendance_import", expect=MANAGERS),
    PageCase("mediators:attendance_template", expect=MANAGERS),
]


def _body(**changes: Any) -> dict[str, Any]:
    from tiaojie.mediators.tests.helpers import id_number

    return {
        "name": "接口乙",
        "id_number": id_number(902),
        "employment": "part_time",
        "committee_id": p.org(p.COMMITTEE_A).pk,
        **changes,
    }


def _update() -> dict[str, Any]:
    from tiaojie.mediators.tests.helpers import id_number

    return {"name": "权限甲", "id_number": id_number(901), "employment": "full_time", "version": 1}


def _bad_file() -> dict[str, Any]:
    """A roster whose one row names no committee: 422 for whoever may import."""
    upload = SimpleUploadedFile(
        "roster.csv",
        "姓名,身份证号,所在调委会,专兼职\n张三,,,专职\n".encode(),
        content_type="text/csv",
    )
    return {"file": upload}


def _ids() -> dict[str, int]:
    return {"mediator_id": _mediator_a().pk}


def _membership_ids() -> dict[str, int]:
    mediator = _mediator_a()
    return {"mediator_id": mediator.pk, "membership_id": mediator.memberships.get().pk}


API_CASES: list[ApiCase] = [
    ApiCase("mediators_list", "get", "/mediators", expect=VIEWERS, default=403),
    ApiCase(
        "mediators_create",
        "post",
        "/mediators",
        body=_body,
        expect={k: 201 for k in MANAGERS},
        default=403,
    ),
    ApiCase(
        "mediators_read", "get", "/mediators/{mediator_id}", _ids, expect=READERS_A, default=403
    ),
    ApiCase(
        "mediators_update",
        "put",
        "/mediators/{mediator_id}",
        _ids,
        _update,
        expect={**MANAGERS, p.MEDIATOR_A: 403, p.MEDIATOR_B: 403},
        default=403,
    ),
    ApiCase(
        "mediators_reveal",
        "post",
        "/mediators/{mediator_id}/reveal",
        _ids,
        expect=MANAGERS,
        default=403,
    ),
    ApiCase(
        "mediators_transition",
        "post",
        "/mediators/{mediator_id}/transitions",
        _ids,
        lambda: {"action": "suspend", "reason": "因病"},
        expect=MANAGERS,
        default=403,
    ),
    ApiCase(
        "mediator_memberships_create",
        "post",
        "/mediators/{mediator_id}/memberships",
        _ids,
        lambda: {"committee_id": p.org(p.COMMITTEE_B).pk, "role": "member"},
        expect={p.STREET: 201, p.DISTRICT: 201, p.CITY: 201, p.DIRECTOR_A: 422},
        default=403,
    ),
    ApiCase(
        "mediator_memberships_end",
        "post",
        "/mediators/{mediator_id}/memberships/{membership_id}/end",
        _membership_ids,
        lambda: {},
        expect=MANAGERS,
        default=403,
    ),
    ApiCase(
        "mediators_import",
        "post",
        "/mediators/import",
        multipart=_bad_file,
        expect={k: 422 for k in MANAGERS},
        default=403,
    ),
    ApiCase(
        "training_attendance_import",
        "post",
        "/training/attendance/import",
        multipart=_bad_file,
        expect={k: 422 for k in MANAGERS},
        default=403,
    ),
    ApiCase("mediators_export", "get", "/mediators/export", expect=MANAGERS, default=403),
    ApiCase("courses_list", "get", "/training/courses", expect=VIEWERS, default=403),
    ApiCase(
        "courses_create",
        "post",
        "/training/courses",
        body=lambda: {
            "title": "年度培训",
            "kind": "annual",
            "mode": "online",
            "hours": "8",
            "starts_on": "2026-01-05",
            "ends_on": "2026-01-05",
        },
        expect={k: 201 for k in MANAGERS},
        default=403,
    ),
    # Mediator A of committee A at the district's course: 201 for A's director and the
    # officers above; the city's officer sees the district's course (below it) too.
    ApiCase(
        "attendances_create",
        "post",
        "/training/attendances",
        body=lambda: {"course_id": _course_of_district().pk, "mediator_ids": [_mediator_a().pk]},
        expect={k: 201 for k in MANAGERS},
        default=403,
    ),
    ApiCase("training_coverage", "get", "/training/coverage", expect=VIEWERS, default=403),
    ApiCase("training_hours", "get", "/training/hours", expect=VIEWERS, default=403),
    ApiCase("training_rule_read", "get", "/training/rule", expect=VIEWERS, default=403),
    ApiCase(
        "training_rule_update",
        "put",
        "/training/rule",
        body=lambda: {"period_months": 36, "new_mediator_days": 60},
        expect=BUREAUS,
        default=403,
    ),
    ApiCase("staffing_norms_list", "get", "/staffing/norms", expect=VIEWERS, default=403),
    ApiCase(
        "staffing_norms_update",
        "put",
        "/staffing/norms",
        body=lambda: {"committee_kind": "sectoral", "min_full_time": 3, "min_total": 3},
        expect=BUREAUS,
        default=403,
    ),
    ApiCase("staffing_below_norms", "get", "/staffing/below-norms", expect=VIEWERS, default=403),
    ApiCase("insurance_report", "get", "/insurance", expect=VIEWERS, default=403),
    ApiCase(
        "mediator_insurance_create",
        "post",
        "/mediators/{mediator_id}/insurance",
        _ids,
        lambda: {
            "insurer": "中国人寿",
            "number": "P-1",
            "cover": "200000",
            "starts_on": "2026-01-01",
            "ends_on": "2026-12-31",
        },
        expect={k: 201 for k in MANAGERS},
        default=403,
    ),
    ApiCase("evaluation_weights_read", "get", "/evaluation/weights", expect=VIEWERS, default=403),
    ApiCase(
        "evaluation_weights_update",
        "put",
        "/evaluation/weights",
        body=lambda: {"weights": [{"criterion": "success_rate", "weight": 100}]},
        expect=BUREAUS,
        default=403,
    ),
    ApiCase("evaluations_list", "get", "/evaluations", expect=VIEWERS, default=403),
    ApiCase(
        "evaluations_create",
        "post",
        "/evaluations",
        body=lambda: {"title": "接口考核", "starts_on": "2026-01-01", "ends_on": "2026-03-31"},
        expect={k: 201 for k in MANAGERS},
        default=403,
    ),
    ApiCase(
        "evaluations_read",
        "get",
        "/evaluations/{evaluation_id}",
        lambda: {"evaluation_id": _evaluation_a().pk},
        expect=READERS_A,
        default=403,
    ),
    ApiCase("mediator_promotions_list", "get", "/mediator-promotions", expect=VIEWERS, default=403),
    ApiCase(
        "mediator_promotions_create",
        "post",
        "/mediators/{mediator_id}/promotions",
        _ids,
        lambda: {"to_grade_id": 0, "grounds": "优秀"},
        # No such grade on the ladder: refused for whoever may propose.
        expect={k: 422 for k in MANAGERS},
        default=403,
    ),
    ApiCase(
        "mediator_promotions_decide",
        "post",
        "/mediator-promotions/{promotion_id}/decision",
        lambda: {"promotion_id": _promotion_a().pk},
        lambda: {"action": "approve"},
        expect={**READERS_A, p.MEDIATOR_A: 403, p.DIRECTOR_A: 403, p.STREET: 403},
        default=403,
    ),
    ApiCase("mediator_honours_list", "get", "/mediator-honours", expect=VIEWERS, default=403),
    ApiCase(
        "mediator_honours_create",
        "post",
        "/mediators/{mediator_id}/honours",
        _ids,
        lambda: {"title": "gold", "year": 2025, "awarded_by": "市司法局"},
        expect={k: 201 for k in MANAGERS},
        default=403,
    ),
    ApiCase("committee_standards_list", "get", "/committee-standards", expect=VIEWERS, default=403),
    ApiCase("committee_coverage_gaps", "get", "/committee-coverage", expect=VIEWERS, default=403),
    ApiCase("committee_stars_list", "get", "/committee-stars", expect=VIEWERS, default=403),
    ApiCase(
        "committee_stars_create",
        "post",
        "/committee-stars",
        body=lambda: {
            "committee_id": p.org(p.COMMITTEE_A).pk,
            "year": 2025,
            "stars": 3,
        },
        expect={k: 201 for k in MANAGERS},
        default=403,
    ),
    ApiCase(
        "committee_stars_decide",
        "post",
        "/committee-stars/{rating_id}/decision",
        lambda: {"rating_id": _rating_a().pk},
        lambda: {"action": "approve"},
        expect={**READERS_A, p.MEDIATOR_A: 403, p.DIRECTOR_A: 403, p.STREET: 403},
        default=403,
    ),
    ApiCase("mediator_grades_list", "get", "/mediator-grades", expect=VIEWERS, default=403),
    ApiCase(
        "mediator_grades_update",
        "put",
        "/mediator-grades",
        body=lambda: {"grades": ["初级", "中级"]},
        expect=BUREAUS,
        default=403,
    ),
]
