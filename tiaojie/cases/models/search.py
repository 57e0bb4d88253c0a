"""The postings of case search on PostgreSQL (ADR 0023): which cases hold which search token,
newest first. The table, its trigger and its fill belong to migration ``cases.0012`` and
``tiaojie.cases.postings``; Django only reads it (``managed = False``), and SQLite has none."""

from __future__ import annotations

from django.db import models


class SearchPosting(models.Model):
    """One search token of one case. The primary key's b-tree, ``(token, case_id)``, is what a
    search reads: a token's cases as one range, and "does this case hold this token" as one
    index probe."""

    pk = models.CompositePrimaryKey("token", "case_id")
    token = models.TextField()
    case_id = models.BigIntegerField()

    class Meta:
        managed = False
        db_table = "cases_search_posting"

    def __str__(self) -> str:
        return f"{self.token} → {self.case_id}"


class SearchHolder(models.Model):
    """A committee (or governance centre) that holds, or once held, a case with ``token``
    (ADR 0080). Rows are added by the postings' triggers and removed only by a rebuild, so the
    table may name a committee that no longer holds the token, never miss one that does: a
    search may rule out a committee absent from it."""

    pk = models.CompositePrimaryKey("token", "committee_id")
    token = models.TextField()
    committee_id = models.BigIntegerField()

    class Meta:
        managed = False
        db_table = "cases_search_holder"

    def __str__(self) -> str:
        return f"{self.token} → {self.committee_id}"
