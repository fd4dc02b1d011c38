"""The console's login brakes under real parallel guessing, against a real server on 127.0.0.1."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import requests

from central.sessions import ACCOUNT_BRAKE, ADDRESS_BRAKE, PAIR_BRAKE, LoginThrottle
from tests.central.conftest import Fleet
from tests.central.server import RunningServer
from tests.central.test_console import PASSWORD, csrf_of, move_clock

GUESSES = 50


def login_form(url: str) -> tuple[requests.Session, str]:
    """A browser holding the login form's CSRF cookie, and the token to send back."""
    browser = requests.Session()
    return browser, csrf_of(browser.get(f"{url}/console/login", timeout=5).text)


def guess_at_once(url: str, tries: list[tuple[str, str, str | None]]) -> Counter[int]:
    """Send every (name, password, X-Forwarded-For) login at the same moment; count the answers."""
    start = threading.Barrier(len(tries))

    def send(index: int) -> int:
        browser, token = login_form(url)
        name, password, forwarded = tries[index]
        headers = {"X-Forwarded-For": forwarded} if forwarded else {}
        start.wait(60)  # every form fetched: now all guesses go out together
        return browser.post(
            f"{url}/console/login",
            data={"csrf": token, "name": name, "password": password},
            headers=headers,
            allow_redirects=False,
            timeout=60,
        ).status_code

    with ThreadPoolExecutor(len(tries)) as pool:
        return Counter(pool.map(send, range(len(tries))))


def try_login(url: str, name: str, password: str, forwarded: str | None = None) -> int:
    browser, token = login_form(url)
    return browser.post(
        f"{url}/console/login",
        data={"csrf": token, "name": name, "password": password},
        headers={"X-Forwarded-For": forwarded} if forwarded else {},
        allow_redirects=False,
        timeout=10,
    ).status_code


@pytest.fixture
def console(fleet: Fleet) -> Iterator[Fleet]:
    fleet.central.accounts.add_user("admin", PASSWORD)
    yield fleet


def test_fifty_parallel_guesses_from_one_address_check_only_five_passwords(console: Fleet) -> None:
    answers = guess_at_once(console.server.url, [("admin", f"guess-{i:04d}", None) for i in range(GUESSES)])
    # 401: the password was checked and wrong; 429: refused before any check.
    assert answers == Counter({401: PAIR_BRAKE.attempts, 429: GUESSES - PAIR_BRAKE.attempts})
    assert try_login(console.server.url, "admin", PASSWORD) == 429  # the owner too, from this address


def test_a_forged_forwarded_for_is_not_believed_from_an_untrusted_peer(tmp_path: Path) -> None:
    server = RunningServer(tmp_path / "central", trusted_proxies=()).start()  # no proxy in front
    try:
        server.central.accounts.add_user("admin", PASSWORD)
        forged = [("admin", f"guess-{i:04d}", f"203.0.113.{i}") for i in range(GUESSES)]
        answers = guess_at_once(server.url, forged)
        assert answers[401] == PAIR_BRAKE.attempts  # fifty "addresses", all one peer
    finally:
        server.close()


def test_guesses_from_many_addresses_lock_the_account_only_for_a_minute(console: Fleet) -> None:
    url = console.server.url
    spread = [("admin", f"guess-{i:04d}", f"198.51.100.{i}") for i in range(GUESSES)]
    answers = guess_at_once(url, spread)  # through the trusted proxy: fifty real addresses
    assert answers == Counter({401: ACCOUNT_BRAKE.attempts, 429: GUESSES - ACCOUNT_BRAKE.attempts})
    assert try_login(url, "admin", PASSWORD, "192.0.2.7") == 429  # the owner, elsewhere, waits ...
    move_clock(console, ACCOUNT_BRAKE.window + timedelta(seconds=1))
    assert try_login(url, "admin", PASSWORD, "192.0.2.7") == 303  # ... a minute, not a quarter hour


def test_one_address_trying_many_names_is_braked() -> None:
    now = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)
    throttle = LoginThrottle(lambda: now)
    answers = [
        throttle.attempt(f"user-{i}", "198.51.100.9").admitted for i in range(ADDRESS_BRAKE.attempts + 5)
    ]
    assert answers == [True] * ADDRESS_BRAKE.attempts + [False] * 5
    assert throttle.attempt("user-1", "198.51.100.10").admitted  # its neighbour is not braked


def test_the_brake_is_counted_before_the_check_in_every_thread() -> None:
    now = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)
    throttle = LoginThrottle(lambda: now)
    start = threading.Barrier(40)

    def attempt(_index: int) -> bool:
        start.wait(10)
        return throttle.attempt("admin", "192.0.2.1").admitted

    with ThreadPoolExecutor(40) as pool:
        admitted = sum(pool.map(attempt, range(40)))
    assert admitted == PAIR_BRAKE.attempts
    refused = throttle.attempt("admin", "192.0.2.1")
    assert not refused.admitted and refused.wait == PAIR_BRAKE.window and refused.wait_minutes == 15


def test_a_success_gives_its_count_back() -> None:
    now = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)
    throttle = LoginThrottle(lambda: now)
    for _ in range(PAIR_BRAKE.attempts - 1):
        throttle.failed(throttle.attempt("admin", "192.0.2.1"), "admin", "192.0.2.1")
    throttle.succeeded(throttle.attempt("admin", "192.0.2.1"))  # the owner, at the last try
    admitted = [throttle.attempt("admin", "192.0.2.1").admitted for _ in range(PAIR_BRAKE.attempts + 1)]
    assert admitted == [True] * PAIR_BRAKE.attempts + [False]  # a clean slate after a success
