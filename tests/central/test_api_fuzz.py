"""No input is a server error: Schemathesis fuzzes every API operation from the server's own OpenAPI schema.

The schema is fetched as an admin would (it needs an admin token), every operation is called over
real HTTP on 127.0.0.1 with generated (valid and invalid) paths, queries and bodies, once with the
admin token and once with a kiosk token, and every answer must be below 500. Bounded: a few examples
per operation and a deadline for the whole file, so it stays a unit-test-sized run.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.strategies import one_of
from schemathesis import GenerationMode
from schemathesis.openapi import from_dict

from tests.central.conftest import Fleet, make_fleet
from tests.central.test_api import auth, published

EXAMPLES = 20  # per operation (valid and invalid data mixed); 17 operations, about 20 s in all
BUDGET_S = 30.0  # the fuzzing itself; the server starts in about a second


@pytest.fixture(scope="module")
def fuzzed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Fleet]:
    """One server for the whole file, with a published release so every room has something to show."""
    folder: Path = tmp_path_factory.mktemp("fuzz")
    made = make_fleet(folder)
    published(made, folder, count=2)
    yield made
    made.server.close()


@pytest.fixture(scope="module")
def api_schema(fuzzed: Fleet) -> schemathesis.BaseSchema:
    answer = requests.get(f"{fuzzed.server.url}/openapi.json", headers=auth(fuzzed.admin_token), timeout=5)
    answer.raise_for_status()
    schema = from_dict(answer.json())
    # The push stream never ends by design; its refusals are tested in test_api.py.
    return schema.exclude(path="/channels/{channel}/events")


def test_no_request_makes_a_server_error(api_schema: schemathesis.BaseSchema, fuzzed: Fleet) -> None:
    started = time.monotonic()
    tokens = (fuzzed.admin_token, fuzzed.kiosk_tokens["baku-1-lobby"])
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 15  # every operation of the API is in the published schema

    for operation in operations:
        cases = one_of(
            operation.as_strategy(GenerationMode.POSITIVE), operation.as_strategy(GenerationMode.NEGATIVE)
        )

        @given(case=cases)
        @settings(
            max_examples=EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck)
        )
        def call(case: schemathesis.Case) -> None:
            if time.monotonic() - started > BUDGET_S:
                return  # the file's time is spent: the remaining examples pass unexamined
            for token in tokens:
                response = case.call(base_url=fuzzed.server.url, headers=auth(token), timeout=10)
                assert response.status_code < 500, (
                    f"{case.method} {case.formatted_path} answered {response.status_code}: "
                    f"{response.text[:300]}\nreproduce with: {case.as_curl_command()}"
                )

        call()
    assert time.monotonic() - started < BUDGET_S + 15
