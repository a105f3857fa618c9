"""`fedstack token create --expires`: durations and ISO dates parsed, bad or past values refused
with a usage error (exit 64) and no token made; `token list` shows the expiry.

The CLI runs in this process through `fedstack.cli.main`, the console script's entry point
(its exit-code mapping included), on a real SQLite database."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fedstack.contracts import parse_expiry
from fedstack.cli import main

from fedstack.errors import ConfigError

NOW = datetime(2026, 12, 2, 13, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("30d", NOW + timedelta(days=30)),
        ("12h", NOW + timedelta(hours=12)),
        ("90m", NOW + timedelta(minutes=90)),
        ("2027-01-31", datetime(2027, 1, 31, tzinfo=UTC)),
        ("2027-01-31T18:00Z", datetime(2027, 1, 31, 18, tzinfo=UTC)),
        ("2027-01-31T18:00+02:00", datetime(2027, 1, 31, 16, tzinfo=UTC)),
    ],
)
def test_expiry_parses_durations_and_iso_dates_as_utc(text: str, expected: datetime) -> None:
    parsed = parse_expiry(text, now=NOW)
    assert parsed == expected and parsed.utcoffset() == timedelta(0)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("30x", "is not an expiry"),
        ("0d", "is not an expiry"),
        ("-5d", "is not an expiry"),
        ("tomorrow", "is not an expiry"),
        ("2026-12-01", "is in the past"),
        ("2026-12-02T13:30Z", "is in the past"),
    ],
)
def test_expiry_refuses_bad_values_and_the_past(text: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        parse_expiry(text, now=NOW)


def _fedstack(capsys: pytest.CaptureFixture[str], *args: str, db: str) -> tuple[int, str, str]:
    """The console script's entry point in this process (exit code, stdout, stderr)."""
    capsys.readouterr()
    try:
        main(["token", *args, "--db", db])
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def test_token_create_expires_is_a_usage_error_when_bad_and_shown_by_list(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "200")  # a table row on one line, whatever the terminal
    db = f"sqlite:///{tmp_path / 'bridge.sqlite3'}"
    create = ("create", "--project", "shop", "--scope", "state:read")
    for bad, says in (("5x", "is not an expiry"), ("2020-01-01", "is in the past")):
        code, out, err = _fedstack(capsys, *create, "--expires", bad, db=db)
        assert code == 64, err
        assert says in err and "--expires" in err and "Traceback" not in err
        assert out == ""
    before = datetime.now(UTC)
    code, out, err = _fedstack(capsys, *create, "--expires", "30d", "--json", db=db)
    assert code == 0, err
    expires_at = datetime.fromisoformat(json.loads(out)["expires_at"])
    assert before + timedelta(days=30) <= expires_at <= datetime.now(UTC) + timedelta(days=30)
    assert json.loads(_fedstack(capsys, *create, "--json", db=db)[1])["expires_at"] is None
    listed = json.loads(_fedstack(capsys, "list", "--json", db=db)[1])
    assert len(listed) == 2  # the refused ones made no token
    assert [t["expires_at"] is None for t in listed] == [False, True]
    table = _fedstack(capsys, "list", db=db)[1]
    assert f"{expires_at:%Y-%m-%d %H:%M} UTC" in table and "never" in table
