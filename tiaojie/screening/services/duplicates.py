"""The same person in several open disputes (by the blind index of a party's ID number or
phone): suggested for review as pairs of cases. A decision is recorded; nothing is merged or
deleted here (the cases keep their sources; a decision can be changed later)."""

from __future__ import annotations

from collections import defaultdict
from itertools import combinations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tiaojie.accounts.models import User
from tiaojie.audit import services as audit
from tiaojie.audit.events import EventType
from tiaojie.cases.choices import OPEN_STATUSES
from tiaojie.cases.models import Party
from tiaojie.core.errors import Conflict, ValidationFailed
from tiaojie.screening.choices import Decision, MatchedBy
from tiaojie.screening.error_codes import ScreeningErrorCode as E
from tiaojie.screening.models import DuplicateSuggestion

# A phone shared by more open disputes than this is an office switchboard, not a person.
MOST_CASES_PER_KEY = 6


def suggestions_refresh(path: str = "") -> int:
    """Suggest every pair of open disputes under ``path`` sharing a party's ID number or phone;
    return how many pairs are new. Safe to run again (each pair once)."""
    parties = Party.objects.filter(
        case__status__in=OPEN_STATUSES, case__committee_path__startswith=path
    ).values_list("case_id", "case__committee_path", "id_number_index", "phone_index")
    groups: dict[tuple[str, str], set[tuple[int, str]]] = defaultdict(set)
    for case_id, case_path, id_index, phone_index in parties:
        if id_index:
            groups[(MatchedBy.ID_NUMBER, id_index)].add((case_id, case_path))
        if phone_index:
            groups[(MatchedBy.PHONE, phone_index)].add((case_id, case_path))
    pairs: dict[tuple[int, int], tuple[str, str, str]] = {}
    for (matched_by, _key), cases in groups.items():
        if len(cases) < 2 or len(cases) > MOST_CASES_PER_KEY:
            continue
        for (a, a_path), (b, b_path) in combinations(sorted(cases), 2):
            # An ID number says more than a phone: keep it when both match.
            if (a, b) not in pairs or matched_by == MatchedBy.ID_NUMBER:
                pairs[(a, b)] = (matched_by, a_path, b_path)
    existing = set(
        DuplicateSuggestion.objects.filter(
            first_id__in=[a for a, _b in pairs], second_id__in=[b for _a, b in pairs]
        ).values_list("first_id", "second_id")
    )
    new = [
        DuplicateSuggestion(first_id=a, second_id=b, matched_by=m, first_path=ap, second_path=bp)
        for (a, b), (m, ap, bp) in pairs.items()
        if (a, b) not in existing
    ]
    DuplicateSuggestion.objects.bulk_create(new, ignore_conflicts=True)
    return len(new)


@transaction.atomic
def suggestion_decide(
    *,
    actor: User,
    suggestion: DuplicateSuggestion,
    decision: str,
    note: str = "",
    version: int | None = None,
) -> DuplicateSuggestion:
    """Record whether the two disputes are one (to be handled together) or not. The cases are
    left as they are; deciding again replaces the decision (and the trail keeps both)."""
    locked = DuplicateSuggestion.objects.select_for_update().get(pk=suggestion.pk)
    if version is not None and locked.version != version:
        raise Conflict(
            E.STALE_VERSION,
            _("Someone else changed this while you were working on it. Reload to see it."),
        )
    if decision not in (Decision.SAME, Decision.DIFFERENT):
        message = _("Choose whether they are the same dispute.")
        raise ValidationFailed(E.INVALID, message, fields={"decision": [message]})
    before = locked.decision
    locked.decision = decision
    locked.note = note.strip()[:200]
    locked.decided_by = actor
    locked.decided_at = timezone.now()
    locked.version += 1
    locked.save()
    audit.record(
        EventType.DUPLICATE_DECIDED,
        actor=actor,
        organisation=actor.organisation,
        obj=locked.first,
        before={"decision": before},
        after={"decision": decision, "second": locked.second_id},
    )
    return locked
