"""Queries that every request makes, compiled to SQL once per process.

Building and compiling a queryset costs more than PostgreSQL takes to run a lookup by key, and
the person signed in and the council of the page are looked up on every request. A
CompiledQuery is written as an ordinary queryset, with stand-in values where the request's
values go; it is compiled the first time it runs and then run with the request's values.
"""

import functools
from collections.abc import Callable

from django.db import models


class CompiledQuery:
    def __init__(self, build: Callable[..., models.QuerySet], **stand_ins):
        """``build`` makes the queryset from keyword values; ``stand_ins`` are values that no
        real parameter of the query can equal (for example a negative id)."""
        self._build = build
        self._stand_ins = stand_ins

    @functools.cached_property
    def _compiled(self) -> tuple[models.QuerySet, str, tuple]:
        queryset = self._build(**self._stand_ins)
        sql, params = queryset.query.sql_with_params()
        for name, stand_in in self._stand_ins.items():
            if stand_in not in params:
                raise ValueError(f"The query does not depend on {name}")
        return queryset, sql, params

    def run(self, **values) -> list[models.Model]:
        """The model instances the query finds with these values, with their annotations."""
        queryset, sql, params = self._compiled
        by_stand_in = [(stand_in, values[name]) for name, stand_in in self._stand_ins.items()]
        bound = [next((v for s, v in by_stand_in if p == s), p) for p in params]
        return list(queryset.raw(sql, bound))
