import pytest
from django.db import connection
from django.db.models import F, Q, Value
from django.db.models.lookups import GreaterThan

from leadhub.enquiries.models import Enquiry
from leadhub.lib.sql import (
    LiteralIn,
    Row,
    bitmap_scans_only,
    custom_plans,
    heavy_reads,
    index_reads,
    index_walks_only,
)


def sql_of(q: Q) -> str:
    return str(Enquiry.objects.filter(q).values("id").query)


def test_literal_in_writes_the_values_into_the_sql_as_a_partial_index_condition_is() -> None:
    sql = sql_of(~Q(LiteralIn(F("status"), frozenset({"ordered", "closed"}))))
    assert "\"status\" IN ('closed', 'ordered')" in sql


@pytest.mark.parametrize("values", [[], ["ok", "x' OR 1=1 --"], [1]])
def test_literal_in_takes_plain_code_values_only(values: list[object]) -> None:
    with pytest.raises(ValueError):
        LiteralIn(F("status"), values)


def test_a_row_value_compares_both_columns_at_once() -> None:
    sql = sql_of(Q(GreaterThan(Row(F("number"), F("id")), Row(Value("x"), Value(5)))))
    assert '("enquiries_enquiry"."number", "enquiries_enquiry"."id") > (x, 5)' in sql


@pytest.mark.django_db
def test_a_row_value_comparison_runs_on_the_database() -> None:
    assert not Enquiry.objects.filter(
        GreaterThan(Row(F("number"), F("id")), Row(Value("x"), Value(5)))
    ).exists()


@pytest.mark.django_db(transaction=True)
def test_heavy_read_settings_hold_inside_the_block_only() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("plan_cache_mode is PostgreSQL's")

    def settings() -> tuple[str, str]:
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_setting('plan_cache_mode'), current_setting('work_mem')")
            row = cursor.fetchone()
            return str(row[0]), str(row[1])

    before = settings()
    with heavy_reads():
        assert settings() == ("force_custom_plan", "64MB")
    assert settings() == before


@pytest.mark.django_db(transaction=True)
def test_bitmap_scans_only_switch_the_walks_off_inside_the_block_only() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the planner switches are PostgreSQL's")

    def switches() -> tuple[str, ...]:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT current_setting('enable_indexscan'), current_setting('enable_seqscan')"
            )
            return tuple(str(v) for v in cursor.fetchone() or ())

    with custom_plans():
        with bitmap_scans_only():
            assert switches() == ("off", "off")
        assert switches() == ("on", "on")
    with custom_plans():  # a switch that was off stays off after the block
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
        with bitmap_scans_only():
            assert switches() == ("off", "off")
        assert switches() == ("on", "off")


@pytest.mark.django_db(transaction=True)
def test_index_reads_walk_in_order_inside_the_block_only() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the planner switches are PostgreSQL's")

    def settings() -> tuple[str, ...]:
        names = ("jit", "work_mem", "enable_bitmapscan", "enable_sort", "enable_hashjoin")
        with connection.cursor() as cursor:
            cursor.execute("SELECT " + ", ".join(f"current_setting('{n}')" for n in names))
            return tuple(str(v) for v in cursor.fetchone() or ())

    before = settings()
    with index_reads():
        assert settings()[:3] == ("off", "32MB", "on")
        with index_walks_only():
            assert settings()[2:] == ("off", "off", "off")
        assert settings()[2:] == ("on", "on", "on")
    assert settings() == before
