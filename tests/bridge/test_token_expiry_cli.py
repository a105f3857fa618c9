"""`fedstack token create --expires`: durations and ISO dates parsed, bad or past values refused
with a usage error (exit 64) and no token made; `token list` shows the expiry."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fedstack.bridge.store import parse_expiry

from fedstack.errors import ConfigError

NOW = datetime(2026, 12, 2, 13, 30, tzinfo=UTC)
FEDSTACK = str(Path(sys.executable).with_name("fedstack"))


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


def _fedstack(*args: str, db: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [FEDSTACK, "token", *args, "--db", db],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env=os.environ | {"COLUMNS": "200"},  # a table row on one line, whatever the terminal
    )


def test_token_create_expires_is_a_usage_error_when_bad_and_shown_by_list(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'bridge.sqlite3'}"
    for bad, says in (("5x", "is not an expiry"), ("2020-01-01", "is in the past")):
        done = _fedstack(
            "create", "--project", "shop", "--scope", "state:read", "--expires", bad, db=db
        )
        assert done.returncode == 64, done.stderr
        assert says in done.stderr and "--expires" in done.stderr and "Traceback" not in done.stderr
        assert done.stdout == ""
    before = datetime.now(UTC)
    made = _fedstack(
        "create", "--project", "shop", "--scope", "state:read", "--expires", "30d", "--json", db=db
    )
    assert made.returncode == 0, made.stderr
    expires_at = datetime.fromisoformat(json.loads(made.stdout)["expires_at"])
    assert before + timedelta(days=30) <= expires_at <= datetime.now(UTC) + timedelta(days=30)
    forever = _fedstack("create", "--project", "shop", "--scope", "state:read", "--json", db=db)
    assert json.loads(forever.stdout)["expires_at"] is None
    listed = json.loads(_fedstack("list", "--json", db=db).stdout)
    assert len(listed) == 2  # the refused ones made no token
    assert [t["expires_at"] is None for t in listed] == [False, True]
    table = _fedstack("list", db=db).stdout
    assert f"{expires_at:%Y-%m-%d %H:%M} UTC" in table and "never" in table
