"""A model query built and compiled by the ORM once per process, then run with new values.

For the few reads every write makes (a move's locking read, ADR 0062): building a query of
several subqueries through the ORM costs more than running it (ADR 0047). The query is built
once with sentinel values, compiled, and the places of the sentinels among its parameters
remembered; each run puts the real values there and builds the rows as Django's own
``ModelIterable`` does, ``select_related`` objects and annotations included. The SQL is the
ORM's own, so the rows are the ones the queryset would have returned.

``compiled_query`` makes a function that builds such a query into one that compiles it once
per set of arguments (a database alias, and whatever else picks the query).
"""

from __future__ import annotations

import copy
import functools
from collections.abc import Callable, Hashable, Mapping
from typing import Any, Generic, ParamSpec, TypeVar

from django.db import connections, models

# Django's own row builder for select_related, as ModelIterable uses it (not in the stubs).
from django.db.models.query import get_related_populators  # type: ignore[attr-defined]
from django.db.transaction import TransactionManagementError

M = TypeVar("M", bound=models.Model)
P = ParamSpec("P")


class Compiled(Generic[M]):
    """``queryset`` compiled once. ``sentinels`` name the values that change between runs: an
    int sentinel is replaced where a parameter equals it, a str sentinel wherever a parameter
    contains it (a ``startswith`` lookup's parameter is the value and a ``%``: the value given
    at run time is escaped there as the ORM escapes it, so a ``_`` or ``%`` in it matches
    itself and never widens the match)."""

    def __init__(self, queryset: models.QuerySet[M], sentinels: Mapping[str, int | str]) -> None:
        self.model = queryset.model
        self.alias = queryset.db
        compiler = queryset.query.get_compiler(using=self.alias)
        sql, params = compiler.as_sql()  # also fills select, klass_info, annotation_col_map
        self.sql = sql
        self.params = tuple(params)
        self.sentinels = dict(sentinels)
        self.slots: list[tuple[int, str, str | None]] = []
        for index, param in enumerate(self.params):
            for name, sentinel in self.sentinels.items():
                if isinstance(sentinel, str) and isinstance(param, str) and sentinel in param:
                    self.slots.append((index, name, param))
                elif type(sentinel) is int and type(param) is int and param == sentinel:
                    self.slots.append((index, name, None))
        # Sentinels that are no parameter: the query does not depend on them (a grid worker's
        # scope has no tree path), or the ORM transformed them, which the caller must refuse.
        self.missing = set(self.sentinels) - {name for _, name, _ in self.slots}
        self._compiler = compiler
        self._locks = bool(queryset.query.select_for_update)
        klass_info = compiler.klass_info
        select = compiler.select
        if klass_info is None:
            raise TypeError("Compiled takes a query of model rows, not values().")
        fields = klass_info["select_fields"]
        self._model_slice = slice(fields[0], fields[-1] + 1)
        self._init_list = [f[0].target.attname for f in select[self._model_slice]]
        self._populators = get_related_populators(klass_info, select, self.alias)
        self._annotations = dict(compiler.annotation_col_map or {})

    def all(self, values: Mapping[str, Any]) -> list[M]:
        """The rows, with the sentinels replaced by ``values``, in the query's order."""
        connection = connections[self.alias]
        if (
            self._locks
            and connection.features.has_select_for_update
            and connection.get_autocommit()
        ):
            # As the ORM refuses it: a lock outside a transaction would be let go at once.
            raise TransactionManagementError(
                "select_for_update cannot be used outside of a transaction."
            )
        with connection.cursor() as cursor:
            cursor.execute(self.sql, self._params(values))
            rows = cursor.fetchall()
        # This thread's connection for the converters, not the one the query was compiled on.
        compiler = copy.copy(self._compiler)
        compiler.connection = connection
        return [self._build(row) for row in compiler.results_iter(results=[rows])]

    def count(self, values: Mapping[str, Any]) -> int:
        """How many rows ``all`` would return, counted by the database: the query's own SQL
        in a ``COUNT(*)`` over it."""
        with connections[self.alias].cursor() as cursor:
            # The ORM's own SQL, values only as parameters.
            counting = f"SELECT COUNT(*) FROM ({self.sql}) AS counted"  # noqa: S608
            cursor.execute(counting, self._params(values))
            row = cursor.fetchone()
        return int(row[0]) if row else 0

    def get(self, values: Mapping[str, Any]) -> M:
        """The one row with the sentinels replaced by ``values``; the model's
        ``DoesNotExist`` when there is none."""
        found = self.all(values)
        if not found:
            raise self.model.DoesNotExist  # type: ignore[attr-defined]
        if len(found) > 1:
            raise self.model.MultipleObjectsReturned  # type: ignore[attr-defined]
        return found[0]

    def _params(self, values: Mapping[str, Any]) -> list[Any]:
        """The query's parameters with the sentinels replaced by ``values``."""
        connection = connections[self.alias]
        params = list(self.params)
        for index, name, template in self.slots:
            value = values[name]
            if template is not None:
                sentinel = str(self.sentinels[name])
                # The sentinel as a part of a LIKE pattern (``startswith``): escaped as the
                # ORM escapes the value; as the whole parameter: an exact value.
                part = value if template == sentinel else connection.ops.prep_for_like_query(value)
                value = template.replace(sentinel, part)
            params[index] = value
        return params

    def _build(self, row: Any) -> M:
        obj: M = self.model.from_db(self.alias, self._init_list, row[self._model_slice])
        for populator in self._populators:
            populator.populate(row, obj)
        for name, position in self._annotations.items():
            setattr(obj, name, row[position])
        return obj


def compiled_query(
    sentinels: Mapping[str, int | str],
) -> Callable[[Callable[P, models.QuerySet[M]]], Callable[P, Compiled[M]]]:
    """Decorate a function that builds a query from its arguments (a database alias first, as
    a rule) with ``sentinels`` in place of the values that change: calling it then returns the
    query ``Compiled`` once for those arguments and kept for the life of the process.

        @compiled_query(CASE)
        def _parties(alias: str) -> QuerySet[Party]:
            return Party.objects.using(alias).filter(case_id=CASE["case"])

        _parties(alias).all({"case": case.pk})
    """

    def decorate(build: Callable[P, models.QuerySet[M]]) -> Callable[P, Compiled[M]]:
        kept: dict[Hashable, Compiled[M]] = {}

        @functools.wraps(build)
        def compiled(*args: P.args, **kwargs: P.kwargs) -> Compiled[M]:
            key = (args, tuple(sorted(kwargs.items())))
            found = kept.get(key)
            if found is None:
                # Two threads may both compile it; either result is the same query.
                found = kept[key] = Compiled(build(*args, **kwargs), sentinels)
            return found

        return compiled

    return decorate
