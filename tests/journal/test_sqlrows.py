"""The hand-written SQL of the hottest reads (setka.core.sqlrows): rows read into model
instances equal to the ORM's, on SQLite and PostgreSQL; on PostgreSQL the statements are
prepared on the server after a few runs."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection

from setka.core import sqlrows
from setka.journal.models import Lesson, MarkKind

from ..clock import d

pytestmark = pytest.mark.django_db


def _fields(obj) -> dict:
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}


@pytest.mark.parametrize("model", [MarkKind, Lesson])
def test_instance_equals_the_orms(jw, model):
    expected = model.objects.order_by("-pk").first()
    table = model._meta.db_table
    sql = f"SELECT {sqlrows.columns(model, 't')} FROM {table} t WHERE t.id = %(id)s"  # noqa: S608

    (row,) = sqlrows.rows(sql, {"id": expected.pk})
    got = sqlrows.instance(model, row)

    assert _fields(got) == _fields(expected)
    assert got._state.adding is False


def test_converters_of_plain_rows(jw):
    kind = MarkKind.objects.order_by("pk").first()
    (row,) = sqlrows.rows(
        "SELECT k.weight, k.is_control, %(day)s FROM journal_markkind k WHERE k.id = %(id)s",
        {"id": kind.pk, "day": d(2026, 11, 26)},
    )

    weight, is_control, day = row
    assert sqlrows.as_decimal(weight, 1) == kind.weight
    assert isinstance(sqlrows.as_decimal(weight, 1), Decimal)
    assert sqlrows.as_bool(is_control) is kind.is_control
    assert sqlrows.as_date(day) == d(2026, 11, 26)
    assert sqlrows.as_time("08:30:00") == dt.time(8, 30)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared statements: PostgreSQL")
def test_hot_reads_are_prepared_on_postgresql(jw):
    sql = "SELECT k.id FROM journal_markkind k WHERE k.id = %(id)s /* sqlrows-test */"
    for _ in range(6):
        sqlrows.rows(sql, {"id": 1})

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s",
            ["%sqlrows-test%"],
        )
        assert cursor.fetchone()[0] == 1
