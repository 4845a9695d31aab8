"""The change log behind the cached pages (``core.changes``, ``core.sql``): the database's own
triggers stamp every write to a domain's tables, however it is made, and nothing else; the
stamps' SQL and the daily prune agree with an ORM reference. On SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from django.db import connection, connections
from django.db.models import Max, Sum

from setka.core import changes, sql
from setka.core.models import Change
from setka.core.tasks import prune_changes_task
from setka.notifications.models import Notification
from setka.programs.models import Offer, OfferSlot

from .. import factories as f
from ..clock import d

pytestmark = pytest.mark.django_db


def _triggers() -> dict[str, set[str]]:
    """The stamped tables as the database lists them: table -> the domains its triggers name."""
    found: dict[str, set[str]] = {}
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT c.relname, pg_get_triggerdef(t.oid) FROM pg_trigger t "
                "JOIN pg_class c ON c.oid = t.tgrelid WHERE t.tgname = %s AND NOT t.tgisinternal",
                [sql.TRIGGER],
            )
        else:
            cursor.execute(
                "SELECT tbl_name, sql FROM sqlite_master WHERE type = 'trigger' AND name LIKE %s",
                [sql.TRIGGER + "_%"],
            )
        for table, definition in cursor.fetchall():
            found.setdefault(table, set()).update(
                domain for domain in changes.DOMAINS if f"'{domain}'" in definition
            )
    return found


def _sqlite_operations() -> dict[str, int]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tbl_name, count(*) FROM sqlite_master "
            "WHERE type = 'trigger' AND name LIKE %s GROUP BY tbl_name",
            [sql.TRIGGER + "_%"],
        )
        return dict(cursor.fetchall())


def stamp(domain: str = "programs") -> tuple[int, int]:
    return changes.stamps((domain,))[0]


@pytest.fixture
def place():
    """A municipality and an institution (network) to hang the programmes' rows on."""
    institution = f.InstitutionFactory()
    return institution.municipality, institution


def _offer(place, **extra) -> Offer:
    municipality, institution = place
    data = {
        "municipality": municipality,
        "institution": institution,
        "title": "Робототехника",
        "kind": "module",
        "area": "technology",
        "capacity": 10,
        "applications_open_on": d(2026, 11, 1),
        "applications_close_on": d(2026, 12, 20),
        "starts_on": d(2026, 9, 1),
        "ends_on": d(2027, 5, 31),
        "hours": 68,
        **extra,
    }
    return Offer(**data)


# 1. The triggers


def test_every_table_of_the_domains_has_its_trigger_after_migrate():
    wanted = dict(changes.tables())
    existing = set(connection.introspection.table_names())

    assert set(wanted) <= existing  # every model of the domains has its table
    assert "programs_offer_teachers" in wanted  # many-to-many tables are stamped too
    assert not {table for table in wanted if not table.startswith(changes.DOMAINS)}
    assert _triggers() == {table: {domain} for table, domain in wanted.items()}
    if connection.vendor == "sqlite":
        assert set(_sqlite_operations().values()) == {3}  # insert, update, delete


def test_tables_outside_the_domains_have_no_trigger():
    stamped = set(_triggers())

    for table in (
        Change._meta.db_table,
        Notification._meta.db_table,
        "accounts_user",
        "django_session",
    ):
        assert table not in stamped


def test_install_again_finds_nothing_missing():
    assert changes.install() == 0


def test_install_puts_back_a_missing_trigger():
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"DROP TRIGGER {sql.TRIGGER} ON programs_offerslot")
        else:
            cursor.execute(f'DROP TRIGGER "{sql.TRIGGER}_programs_offerslot_update"')
    if connection.vendor == "postgresql":
        assert "programs_offerslot" not in _triggers()
    else:
        assert _sqlite_operations()["programs_offerslot"] == 2

    assert changes.install() == len(changes.tables())

    assert _triggers() == {table: {domain} for table, domain in changes.tables()}
    if connection.vendor == "sqlite":
        assert _sqlite_operations()["programs_offerslot"] == 3
    assert changes.install() == 0


# 2. What moves a stamp


def test_an_insert_by_save_moves_the_stamp(place):
    before = stamp()

    _offer(place).save()

    assert stamp() > before


def test_an_update_by_queryset_update_moves_the_stamp(place):
    offer = _offer(place)
    offer.save()
    before = stamp()

    Offer.objects.filter(pk=offer.pk).update(title="Шахматы")

    assert stamp() > before


def test_a_bulk_create_moves_the_stamp(place):
    import datetime as dt

    offer = _offer(place)
    offer.save()
    before = stamp()

    OfferSlot.objects.bulk_create(
        OfferSlot(offer=offer, weekday=day, starts_at=dt.time(15), ends_at=dt.time(16))
        for day in (2, 5)
    )

    assert stamp() > before


def test_a_delete_moves_the_stamp(place):
    offer = _offer(place)
    offer.save()
    before = stamp()

    Offer.objects.filter(pk=offer.pk).delete()

    assert stamp() > before


def test_a_many_to_many_add_moves_the_stamp(place):
    offer = _offer(place)
    offer.save()
    teacher = f.PersonFactory(municipality=place[0])
    before = stamp()

    offer.teachers.add(teacher)

    assert stamp() > before


def test_raw_sql_moves_the_stamp(place):
    offer = _offer(place)
    offer.save()
    before = stamp()

    with connection.cursor() as cursor:
        cursor.execute("UPDATE programs_offer SET title = %s WHERE id = %s", ["Шахматы", offer.pk])

    assert stamp() > before


def test_a_write_moves_only_its_own_domain(place):
    before = dict(zip(changes.DOMAINS, changes.stamps(changes.DOMAINS), strict=True))

    _offer(place).save()

    after = dict(zip(changes.DOMAINS, changes.stamps(changes.DOMAINS), strict=True))
    assert {domain for domain in changes.DOMAINS if after[domain] != before[domain]} == {"programs"}


def test_writes_outside_the_domains_move_no_stamp(world):
    from setka.notifications.services import publish

    from ..notifications.conftest import TEST_KIND

    before = changes.stamps(changes.DOMAINS)

    user = world.users["teacher"]
    type(user).objects.filter(pk=user.pk).update(first_name="Мария")  # accounts
    f.UserFactory(username="newcomer")  # accounts, an insert
    publish(  # notifications
        TEST_KIND,
        recipients=[world.people["teacher"]],
        municipality_id=world.municipality.pk,
        data={"n": 1},
    )
    Notification.objects.update(read_at=None)

    assert Notification.objects.exists()
    assert changes.stamps(changes.DOMAINS) == before


@pytest.mark.postgres_only
@pytest.mark.skipif(connection.vendor != "postgresql", reason="TRUNCATE: PostgreSQL")
def test_a_truncate_moves_the_stamp_on_postgresql(place):
    import datetime as dt

    offer = _offer(place)
    offer.save()
    OfferSlot.objects.create(offer=offer, weekday=2, starts_at=dt.time(15), ends_at=dt.time(16))
    before = stamp()

    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no foreign key check left pending
        cursor.execute("TRUNCATE programs_offerslot")

    assert stamp() > before


@pytest.mark.postgres_only
@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers: PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_a_write_committed_after_a_later_one_still_moves_the_stamp(place):
    """Two writers: A writes first but commits last. A reader between the two commits sees
    B's change and not A's; when A commits, the stamp must move, or what the reader made
    (a page) is kept under a stamp that never moves again."""
    first, second = _offer(place), _offer(place)
    first.save()
    second.save()
    other = connections.create_connection("default")
    try:
        other.set_autocommit(False)
        with other.cursor() as cursor:  # A: its row in the change log has the lower id
            cursor.execute(
                "UPDATE programs_offer SET title = %s WHERE id = %s", ["Шахматы", first.pk]
            )
        Offer.objects.filter(pk=second.pk).update(title="Го")  # B, committed at once
        seen = stamp()  # a reader now sees B's change, not A's
        assert Offer.objects.get(pk=first.pk).title == "Робототехника"
        other.commit()  # A becomes visible

        assert Offer.objects.get(pk=first.pk).title == "Шахматы"
        assert stamp() > seen
    finally:
        other.close()


# 3. Reading the stamps


def test_a_domain_never_written_has_stamp_zero():
    Change.objects.all().delete()

    assert changes.stamps(changes.DOMAINS) == ((0, 0),) * len(changes.DOMAINS)
    assert changes.stamps(()) == ()


def test_the_stamps_of_many_domains_cost_one_query(place, django_assert_num_queries):
    _offer(place).save()

    with django_assert_num_queries(1):
        values = changes.stamps(changes.DOMAINS)

    assert len(values) == len(changes.DOMAINS)
    assert values[changes.DOMAINS.index("programs")] > (0, 0)
    assert values[changes.DOMAINS.index("network")] > (0, 0)


# 4. The SQL against the ORM, and the prune


def _reference(domains) -> tuple[tuple[int, int], ...]:
    def one(domain):
        found = Change.objects.filter(domain=domain).aggregate(top=Max("id"), weight=Sum("weight"))
        return (found["top"] or 0, found["weight"] or 0)

    return tuple(one(domain) for domain in domains)


def test_the_stamps_agree_with_the_orm():
    Change.objects.all().delete()
    Change.objects.bulk_create(
        Change(domain=domain)
        for domain in ["programs", "network", "programs", "events", "network", "programs"]
    )
    Change.objects.create(domain="network")
    asked = ("events", "programs", "readiness", "network", "programs")

    assert changes.stamps(asked) == _reference(asked)
    assert changes.stamps(asked)[2] == (0, 0)  # readiness: never written


def test_the_stamps_agree_with_the_orm_after_real_writes(place):
    _offer(place).save()
    f.PersonFactory(municipality=place[0])

    assert changes.stamps(changes.DOMAINS) == _reference(changes.DOMAINS)


def test_prune_keeps_the_last_row_of_each_domain():
    Change.objects.all().delete()
    Change.objects.bulk_create(
        Change(domain=domain)
        for domain in ["programs", "network", "programs", "events", "network", "programs"]
    )
    last = {
        row["domain"]: row["top"] for row in Change.objects.values("domain").annotate(top=Max("id"))
    }
    before = changes.stamps(changes.DOMAINS)

    removed = changes.prune()

    assert removed == 3
    assert dict(Change.objects.values_list("domain", "id")) == last
    assert Change.objects.count() == 3
    # the last row of each domain weighs as much as its rows did
    assert dict(Change.objects.values_list("domain", "weight")) == {
        "programs": 3,
        "network": 2,
        "events": 1,
    }
    assert changes.stamps(changes.DOMAINS) == before
    assert changes.prune() == 0  # nothing more to remove


def test_the_stamps_keep_moving_after_a_prune(place):
    _offer(place).save()
    _offer(place).save()
    changes.prune()
    before = stamp()

    _offer(place).save()

    assert stamp() > before


# 5. The daily job


def test_the_prune_task_runs():
    Change.objects.bulk_create(Change(domain=domain) for domain in ["events"] * 3 + ["journal"])
    before = changes.stamps(changes.DOMAINS)

    removed = prune_changes_task()

    assert removed >= 2
    assert Change.objects.filter(domain="events").count() == 1
    assert changes.stamps(changes.DOMAINS) == before


@pytest.mark.django_db(transaction=True)
def test_uninstall_drops_every_trigger_and_install_puts_them_back(place):
    """The migration's way back drops the triggers before their table (without it every
    write would fail); the next migrate installs them again."""
    changes.uninstall()
    try:
        before = stamp()
        _offer(place).save()
        assert stamp() == before  # no trigger: the write goes through, unstamped
    finally:
        assert changes.install() == len(changes.tables())
    _offer(place).save()
    assert stamp() > before
