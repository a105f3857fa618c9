"""The OpenAPI document fuzzed with schemathesis (bounded), on SQLite and PostgreSQL: never a 5xx."""

from __future__ import annotations

import schemathesis
from bridge_helpers import BridgeProcess, make_tokens, unique
from hypothesis import HealthCheck, given, settings


def test_no_generated_request_makes_the_bridge_answer_5xx(bridge: BridgeProcess) -> None:
    tokens = make_tokens(bridge.db_url, unique("fuzz"))
    schema = schemathesis.openapi.from_url(f"{bridge.url}/openapi.json")
    headers = {"Authorization": f"Bearer {tokens.root}"}
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 12  # the document lists the routes (LOCK/UNLOCK are outside OpenAPI)
    failures: list[str] = []
    statuses: list[int] = []
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=15,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            derandomize=True,
            database=None,
        )
        def exercise(case: schemathesis.Case) -> None:
            response = case.call(headers=headers, timeout=30)
            statuses.append(response.status_code)
            if response.status_code >= 500:
                failures.append(
                    f"{case.method} {case.formatted_path}: {response.status_code} {response.text[:200]}"
                )

        exercise()
    assert failures == []
    # Not a vacuous run: authenticated requests got through and were both served and refused.
    assert statuses.count(200) >= 10 and any(400 <= s < 500 for s in statuses), sorted(
        set(statuses)
    )
