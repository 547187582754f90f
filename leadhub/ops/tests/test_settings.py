import pytest

from config.settings import database_config


def test_postgresql_prepares_statements_unless_turned_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LEADHUB_DATABASE_URL", "postgres://leadhub@db.example:5432/leadhub")
    monkeypatch.delenv("LEADHUB_DB_PREPARED_STATEMENTS", raising=False)
    options = database_config()["OPTIONS"]
    assert options == {"server_side_binding": True, "prepare_threshold": 5}
    monkeypatch.setenv("LEADHUB_DB_PREPARED_STATEMENTS", "off")
    assert not database_config().get("OPTIONS")
