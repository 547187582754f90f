import pytest

from config.settings import database_config


def test_postgresql_prepares_statements_unless_turned_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LEADHUB_DATABASE_URL", "postgres://leadhub@db.example:5432/leadhub")
    monkeypatch.delenv("LEADHUB_DB_PREPARED_STATEMENTS", raising=False)
    options = database_config()["OPTIONS"]
    assert options == {
        "options": "-c jit=off",
        "server_side_binding": True,
        "prepare_threshold": 5,
    }
    monkeypatch.setenv("LEADHUB_DB_PREPARED_STATEMENTS", "off")
    assert database_config()["OPTIONS"] == {"options": "-c jit=off"}  # JIT stays off


def test_sqlite_takes_no_postgresql_options(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LEADHUB_DATABASE_URL", raising=False)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    options = dict(database_config().get("OPTIONS") or {})  # type: ignore[call-overload]
    assert "prepare_threshold" not in options and "options" not in options
