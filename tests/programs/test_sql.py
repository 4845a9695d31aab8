"""The programmes' hand-written SQL (``programs.sql``) against ORM references: the offers'
search vectors (``sql.SEARCH``) are the ORM's ``SearchVector`` of the title (A), the
description (B) and the provider's short name (C) in Russian, written for the offers asked
and no other. PostgreSQL only (SQLite searches with ``icontains``): skipped, visibly, on
SQLite."""

from __future__ import annotations

import pytest
from django.contrib.postgres.search import SearchVector
from django.db import connection

from setka.network.models import Institution
from setka.programs import sql
from setka.programs.models import Offer

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.postgres_only,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="Russian full-text search: PostgreSQL"
    ),
]


def _orm_vectors() -> dict[int, str]:
    vector = (
        SearchVector("title", weight="A", config="russian")
        + SearchVector("description", weight="B", config="russian")
        + SearchVector("institution__short_name", weight="C", config="russian")
    )
    return dict(Offer.objects.annotate(vector=vector).values_list("pk", "vector"))


@pytest.mark.parametrize("asked", ["one", "all"])
def test_search_is_the_orm_search_vector_of_the_offers_asked(world, pw, asked):
    Offer.objects.filter(pk=pw.offer.pk).update(
        title="Программирование роботов", description="Собираем и программируем роботов."
    )
    Institution.objects.filter(pk=pw.offer.institution_id).update(short_name="Дом творчества")
    Offer.objects.update(search=None)
    ids = [pw.offer.pk] if asked == "one" else list(Offer.objects.values_list("pk", flat=True))

    with connection.cursor() as cursor:
        cursor.execute(sql.SEARCH, {"offers": ids})

    expected = _orm_vectors()
    assert dict(Offer.objects.values_list("pk", "search")) == {
        pk: vector if pk in ids else None for pk, vector in expected.items()
    }
    assert "программирова" in expected[pw.offer.pk]  # a stem, not the word
    assert len(expected) > 1
