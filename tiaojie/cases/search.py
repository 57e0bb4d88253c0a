"""Chinese full-text search over narratives and party names, and the case number as typed.

Chinese has no spaces between words, and users search with one or two characters (房, 工资).
Every run of Han characters — of every plane: rare characters of names such as 𠮷 and 𪚥 sit
outside the Basic Multilingual Plane (Extensions B–H) — is indexed as its single characters and
its overlapping pairs, other letters and digits as lower-cased words; the tokens are stored
space-padded in ``Case.search_tokens``. A query matches when every token of the query is
present, each as `` token `` — so 工资 matches the pair 工资 and never 工 followed elsewhere by 资.
On PostgreSQL the tokens are read from the search postings instead (``cases.postings``,
ADR 0023, 0059), one b-tree range per token.

A query that names a case number (人调字第31号, 31号, the full number) also finds the case of
that number. A query is never silently dropped: one with nothing searchable in it, or with
characters the search cannot look for (emoji, symbols), is refused with the reason
(``problem``), and the list shows that reason instead of every case.
See docs/decisions/0007-chinese-search.md.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable

from django.db import connection
from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.db.models.functions import Reverse
from django.db.models.lookups import IsNull, StartsWith
from django.utils.translation import gettext as _

from tiaojie.cases import postings
from tiaojie.cases.models import Case, SearchHolder, SearchPosting
from tiaojie.organisations.models import Organisation

# Han ideographs: Extension A, the URO, compatibility ideographs, and the supplementary planes
# (Extensions B–F and the compatibility supplement in plane 2, G and H in plane 3).
_HAN = (
    "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
    "\U00020000-\U0002a6df\U0002a700-\U0002ebef\U0002f800-\U0002fa1f"
    "\U00030000-\U0003134f\U00031350-\U000323af"
)
_CJK = re.compile(f"[{_HAN}]+")
# Any other letters and digits (Latin, Greek, kana, …) as words; marks stay with their letter.
_WORD = re.compile(f"(?:(?![{_HAN}_])\\w)+")
# Case numbers as typed: （2026）东湖社区人调字第31号, 人调字第31号, 第31号, 31号.
_NUMBER = re.compile(r"(.*?)第?0*(\d{1,9})号")


def _normal(text: str) -> str:
    """Full-width letters and digits as ASCII, compatibility ideographs as their unified form
    (NFKC), so text and query meet however they were typed."""
    return unicodedata.normalize("NFKC", text)


def tokens(text: str) -> list[str]:
    """The search tokens of ``text``, in order of first appearance, without repeats."""
    seen: dict[str, None] = {}
    text = _normal(text)
    for run in _CJK.findall(text):
        for index, char in enumerate(run):
            seen.setdefault(char, None)
            if index + 1 < len(run):
                seen.setdefault(run[index : index + 2], None)
    for word in _WORD.findall(text):
        seen.setdefault(word.lower(), None)
    return list(seen)


def index_text(parts: Iterable[str]) -> str:
    """What to store in ``search_tokens``: the tokens, each with a space on both sides."""
    found = tokens(" ".join(parts))
    return f" {' '.join(found)} " if found else ""


def query_tokens(query: str) -> list[str]:
    """The tokens a query needs: single characters alone, pairs for anything longer."""
    needed: list[str] = []
    query = _normal(query)
    for run in _CJK.findall(query):
        if len(run) == 1:
            needed.append(run)
        else:
            needed.extend(run[i : i + 2] for i in range(len(run) - 1))
    needed.extend(word.lower() for word in _WORD.findall(query))
    return list(dict.fromkeys(needed))


def _unsearchable(query: str) -> list[str]:
    """Characters of ``query`` the search cannot look for: neither indexed (Han, letters,
    digits) nor a separator (spaces and punctuation, which separate words as in the text)."""
    searchable = set("".join(_CJK.findall(query)) + "".join(_WORD.findall(query)))
    return list(
        dict.fromkeys(
            char
            for char in query
            if char not in searchable
            and not char.isspace()
            and unicodedata.category(char)[0] not in {"P", "Z"}
        )
    )


def problem(query: str) -> str | None:
    """Why ``query`` cannot be searched, or None if it can: the list then says so rather than
    ignore the query (or the part of it) and show cases it does not match."""
    query = _normal(query)
    if not query.strip():
        return None
    odd = _unsearchable(query)
    if odd:
        return _(
            "The search cannot look for %(chars)s: search with Chinese characters, letters or "
            "digits."
        ) % {"chars": " ".join(odd)}
    if not query_tokens(query) and _number_suffix(query) is None:
        return _("Search with Chinese characters, letters or digits.")
    return None


def _number_suffix(query: str) -> str | None:
    """The end of a case number the query names (第31号, 人调字第31号, the whole number), with
    brackets as the number writes them; None if it names none."""
    compact = re.sub(r"\s+", "", query).replace("(", "（").replace(")", "）")
    found = _NUMBER.fullmatch(compact)
    if found is None:
        return None
    return f"{found[1]}第{int(found[2])}号"


def number_matches(query: str) -> Q | None:
    """Cases whose number (or governance-centre receipt number) ends as the query names it:
    31号 finds 第31号 and not 第131号.

    On PostgreSQL the ending is a prefix of the reversed number, one range of the b-trees of
    migration ``cases.0017`` (ADR 0064); elsewhere a ``LIKE '%…'``."""
    suffix = _number_suffix(query)
    if suffix is None:
        return None
    if connection.vendor == "postgresql":
        backwards = suffix[::-1]
        return Q(StartsWith(Reverse("number"), backwards)) | Q(
            StartsWith(Reverse("intake_number"), backwards)
        )
    return Q(number__endswith=suffix) | Q(intake_number__endswith=suffix)


def _holds(token: str, case: str = "pk") -> Exists:
    """The case (an outer reference) holds ``token``: one probe of the postings' key."""
    return Exists(SearchPosting.objects.filter(token=token, case_id=OuterRef(case)))


def _holds_all(rest: list[str], case: str = "case_id") -> IsNull:
    """The case (an outer reference: a posting's case, or with ``case="pk"`` the case itself)
    holds every token of ``rest``: one grouped probe of the postings' key, written as
    ``(SELECT count … HAVING count = n) IS NOT NULL``.

    Why not one EXISTS per token: the planner multiplies their selectivities as if the pairs
    of a phrase were independent (装修合同: 装修, 修合 and 合同 each in 4 % of the cases, all
    three in the same 4 %), estimates a hundred matches for 39,000 and sorts them all for the
    first page (1 s at 1,000,000 cases). It has no statistics for this expression and takes it
    as nearly always true, so the estimate is the rarest token's, an upper bound, which is
    close for the phrases users type."""
    grouped = (
        SearchPosting.objects.filter(case_id=OuterRef(case), token__in=rest)
        .values("case_id")
        .annotate(found=Count("token"))
        .filter(found=len(rest))
        .values("found")
    )
    return IsNull(Subquery(grouped), False)


def rarest_first(needed: list[str]) -> list[str]:
    """``needed`` ordered by how many postings PostgreSQL's statistics give each token, rarest
    first: one ``EXPLAIN`` (a plan, nothing run) for a query of two tokens or more."""
    if len(needed) < 2:
        return needed
    one = "(SELECT case_id FROM cases_search_posting WHERE token = %s)"
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {' UNION ALL '.join([one] * len(needed))}", needed)
        row = cursor.fetchone()
    plan = json.loads(row[0]) if row and isinstance(row[0], str) else (row[0] if row else None)
    children = plan[0]["Plan"].get("Plans", []) if plan else []
    if len(children) != len(needed):  # not the plan expected: keep the query's order
        return needed
    rows = [float(child["Plan Rows"]) for child in children]
    return [token for _, _, token in sorted(zip(rows, range(len(needed)), needed, strict=True))]


# A search no committee of the subtree can match: ``pk__in=[]`` compiles to no statement.
_NOTHING = Q(pk__in=[])


def _holders(needed: list[str], within: str) -> list[str]:
    """The paths of at most two committees (or centres) at or below ``within`` that may hold
    every token of ``needed`` (``SearchHolder``, ADR 0080): one statement, over a few hundred
    rows of the holders' key and the organisations' paths."""
    holding = (
        SearchHolder.objects.filter(token__in=needed)
        .values("committee_id")
        .annotate(found=Count("token", distinct=True))
        .filter(found=len(needed))
        .values("committee_id")
    )
    found = Organisation.objects.filter(pk__in=holding, path__startswith=within)
    return list(found.order_by().values_list("path", flat=True)[:2])


def _narrowed(needed: list[str], within: str | None) -> Q | None:
    """What the holders tell of a search within the subtree ``within`` (ADR 0080):
    - no committee there holds every token: nothing to search (``_NOTHING``);
    - one does: its cases alone, an exact path, whose index gives them in id order for the
      sample's merge (ADR 0079);
    - more: nothing learned (``Q()``): the scope's own plan is kept.
    ``None`` without a subtree.

    Why: a word frequent in the city and absent from a street (腕, 交警认定: the medical and
    traffic committees' disputes) merged its 100,000 postings with the ids of every case in the
    city to find none in the street (120–140 ms at 1,000,000 cases, the p95 of the street's
    searches)."""
    if within is None:
        return None
    holders = _holders(needed, within)
    if not holders:
        return _NOTHING
    if len(holders) == 1:
        return Q(committee_path=holders[0])
    return Q()


def _posted(needed: list[str], by_number: Q | None, within: str | None = None) -> Q:
    """``matches`` on PostgreSQL, from the postings (ADR 0023, 0059).

    The rarest token (``rarest_first``) is an EXISTS on the postings' key, correlated on the
    case's id; the other tokens are probed by ``_holds_all`` on the case itself, beside the
    EXISTS rather than inside it. Inside, they were probed for every posting of the rarest
    token in the city before the list's scope applied: a street office's 交警认定, frequent
    in the city and absent from the street, took 480 ms at 1,000,000 cases; beside it, the
    planner applies the scope first (148 ms; bench/README.md, stop 39). The planner turns the
    EXISTS into a semi-join and chooses from its statistics on the token column: for a
    frequent token it walks the cases newest first and probes each (a page of 费
    stops after about 100 probes), for a rare one it starts from that token's postings. A case
    number is OR'd in as one ``IN`` over a union, so that the OR does not turn the search into
    a scan of every case.

    Within a subtree (``within``, the viewer's whole scope when it is one), the committees
    holding the tokens are asked first (``_narrowed``): none there ends the search before
    any posting is read."""
    narrowed = _narrowed(needed, within) if by_number is None else None
    if narrowed is _NOTHING:
        return narrowed
    first, *rest = rarest_first(needed)
    if by_number is None:
        found = Q(_holds(first))
        if rest:
            found &= Q(_holds_all(rest, case="pk"))
        return found if narrowed is None else narrowed & found
    by_tokens = SearchPosting.objects.filter(token=first)
    if rest:
        by_tokens = by_tokens.filter(_holds_all(rest))
    numbered = Case.objects.filter(by_number).values("pk")
    return Q(pk__in=by_tokens.values("case_id").union(numbered, all=True))


def matches(query: str, field: str = "search_tokens", within: str | None = None) -> Q | None:
    """A filter for cases matching every token of ``query``, or of the case number it names;
    None if it has nothing to search (callers refuse such a query with ``problem``).

    ``within``: the path of the subtree that is the whole of the viewer's scope
    (``case_policy.search_subtree``), if it is one; on PostgreSQL the search then skips the
    committees there that hold none of the words (ADR 0080). The filter stays exact without
    it, and is never wider with it: a case outside the subtree is the scope's to exclude."""
    needed = query_tokens(query)
    by_number = number_matches(query)
    if not needed:
        return by_number
    if field == "search_tokens" and postings.enabled():
        return _posted(needed, by_number, within)
    condition = Q()
    for token in needed:
        condition &= Q(**{f"{field}__contains": f" {token} "})
    return condition if by_number is None else condition | by_number
