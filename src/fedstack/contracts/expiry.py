"""When a bridge token expires: the one duration syntax (`30d`, `12h`, `90m`) and expiry rule.

`fedstack token create --expires`, the bridge's `POST /v1/tokens` (`expires_in`) and the
Terraform provider's `fedstack_token.expires_in` read durations here, so they accept the same
text. Pure: no other fedstack package than fedstack.errors.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from fedstack.errors import ConfigError

__all__ = ["EXPIRY_FORMS", "future_expiry", "parse_duration", "parse_expiry"]

_DURATION = re.compile(r"^([1-9][0-9]{0,5})([dhm])$")
_UNITS = {"d": "days", "h": "hours", "m": "minutes"}
EXPIRY_FORMS = "a duration such as 30d, 12h or 90m, or a date such as 2027-01-31 (00:00 UTC)"
"""The forms `--expires` takes, for error messages and help."""


def parse_duration(text: str) -> timedelta:
    """`30d`, `12h` or `90m` as a timedelta; ConfigError for anything else."""
    match = _DURATION.match(text.strip())
    if match is None:
        raise ConfigError(f"{text!r} is not a duration; use a number and d, h or m, e.g. 30d")
    amount, unit = match.groups()
    return timedelta(**{_UNITS[unit]: int(amount)})


def parse_expiry(text: str, *, now: datetime | None = None) -> datetime:
    """When a token given `--expires text` expires: now + a duration, or an ISO date/time (UTC).

    A bare date means 00:00 UTC that day; a time without an offset is UTC. ConfigError for
    anything else and for a moment that is not in the future.
    """
    now = now or datetime.now(UTC)
    text = text.strip()
    if _DURATION.match(text):
        return now + parse_duration(text)
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise ConfigError(f"{text!r} is not an expiry; use {EXPIRY_FORMS}") from None
    return future_expiry(moment, now=now)  # a bare date parses as midnight


def future_expiry(moment: datetime, *, now: datetime | None = None) -> datetime:
    """`moment` in UTC (naive means UTC) when it lies ahead; ConfigError when it is now or past."""
    now = now or datetime.now(UTC)
    moment = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    if moment <= now:
        raise ConfigError(
            f"the expiry {moment.isoformat()} is in the past; "
            "give a later date or a duration such as 30d"
        )
    try:
        return moment.astimezone(UTC)
    except OverflowError:
        raise ConfigError(f"the expiry {moment.isoformat()} is out of range") from None
