"""Reports are data, not trust; bad input is a 4xx with one line: over real HTTP on 127.0.0.1 (issue 11)."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from typing import Any

import requests

from central.fleet import DEFAULT_RATED_POWER_W
from kiosk.wire import MAX_BATCH
from tests.central.conftest import Fleet
from tests.central.test_api import auth, heartbeat
from tests.central.test_console import PASSWORD, csrf_of, log_in

KIOSK = "baku-1-lobby"


def post_reports(fleet: Fleet, body: Any, kiosk: str = KIOSK) -> requests.Response:
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    headers = {**auth(fleet.kiosk_tokens[kiosk]), "Content-Type": "application/json"}
    return requests.post(f"{fleet.server.url}/api/kiosk/reports", data=data, headers=headers, timeout=10)


def totals(fleet: Fleet) -> dict[str, Any]:
    answer = requests.get(f"{fleet.server.url}/api/network", headers=auth(fleet.admin_token), timeout=5)
    answer.raise_for_status()
    result: dict[str, Any] = answer.json()
    return result


def assert_refused(response: requests.Response, *words: str) -> None:
    """A 4xx whose reason is one line naming what was wrong."""
    assert 400 <= response.status_code < 500, (response.status_code, response.text[:300])
    reason = response.json()["error"]
    assert "\n" not in reason and len(reason) < 400, reason
    for word in words:
        assert word in reason, reason


def test_a_kiosk_token_cannot_falsify_the_network_totals(fleet: Fleet) -> None:
    now = datetime.now(UTC)
    honest = heartbeat(
        now, power_w=50_000.0, energy_today_wh=2e5, energy_total_wh=1e8, reading_at=now.isoformat()
    )
    assert post_reports(fleet, {"heartbeats": [honest]}, "ganja-lobby").status_code == 200

    for value in (1e12, -5.0, 10**400):
        forged = heartbeat(now, power_w=value, reading_at=now.isoformat())
        assert_refused(post_reports(fleet, {"heartbeats": [forged]}), "power_w")
    for raw in (b"NaN", b"Infinity", b"-Infinity"):
        body = b'{"heartbeats": [{"id": "abcdefgh12", "at": "%s", "power_w": %s}]}' % (
            now.isoformat().encode(),
            raw,
        )
        assert_refused(post_reports(fleet, body), "power_w")

    over_rated = heartbeat(
        now, power_w=DEFAULT_RATED_POWER_W * 1.5, energy_total_wh=1e14, reading_at=now.isoformat()
    )
    assert post_reports(fleet, {"heartbeats": [over_rated]}).status_code == 200  # kept, not believed
    network = totals(fleet)
    assert network["power_w"] == 50_000.0 and network["energy_total_wh"] == 1e8
    kiosk = fleet.central.kiosk(KIOSK)
    assert kiosk["power_w"] is None and "power_w 3000000 W" in kiosk["doubt"]
    assert "energy_total_wh" in kiosk["doubt"]

    # A reading stamped far ahead would stay "the centre's latest" and fresh for ever: it is dated now.
    ahead = heartbeat(now, power_w=900_000.0, reading_at="8999-01-01T00:00:00+00:00")
    assert post_reports(fleet, {"heartbeats": [ahead]}).status_code == 200
    assert totals(fleet)["power_w"] == 950_000.0 and fleet.central.kiosk(KIOSK)["doubt"] == ""
    fleet.central.clock = lambda: datetime.now(UTC) + timedelta(minutes=16)
    try:
        assert totals(fleet)["power_w"] == 0.0
    finally:
        fleet.central.clock = lambda: datetime.now(UTC)


def test_a_kiosk_with_a_clock_ahead_is_recorded_at_server_time_and_shown_as_wrong(fleet: Fleet) -> None:
    fleet.central.add_user("admin", PASSWORD)
    now = datetime.now(UTC)
    ahead = now + timedelta(hours=3)
    beat = heartbeat(ahead, power_w=1000.0, reading_at=ahead.isoformat())
    event = {"id": "event-ahead-1", "at": ahead.isoformat(), "kind": "section", "section": "video"}
    answer = post_reports(fleet, {"heartbeats": [beat], "events": [event]})  # an old kiosk: no sent_at
    assert answer.status_code == 200, answer.text
    [stored] = fleet.central.history(KIOSK)
    assert abs(stored["at"] - now) < timedelta(minutes=1)  # the server's time, not the kiosk's
    assert 179 * 60 <= fleet.central.kiosk(KIOSK)["clock_skew_s"] <= 181 * 60
    browser = log_in(fleet)
    page = browser.get(f"{fleet.server.url}/console/kiosks/{KIOSK}", timeout=5).text
    assert re.search(r"Saat 1(79|80) dəq səhvdir \(serverdən irəlidədir\)", page)

    right = datetime.now(UTC) + timedelta(seconds=30)  # within the error allowed
    assert (
        post_reports(fleet, {"heartbeats": [heartbeat(right)], "sent_at": right.isoformat()}).status_code
        == 200
    )
    assert fleet.central.kiosk(KIOSK)["clock_skew_s"] is None
    assert "səhvdir" not in browser.get(f"{fleet.server.url}/console/kiosks/{KIOSK}", timeout=5).text


def test_a_kiosk_with_a_clock_behind_is_measured_by_its_send_time(fleet: Fleet) -> None:
    fleet.central.add_user("admin", PASSWORD)
    now = datetime.now(UTC)
    behind = now - timedelta(hours=2)  # its clock says two hours ago for what happens now
    queued = behind - timedelta(minutes=30)  # a record that waited half an hour in its outbox
    body = {
        "heartbeats": [heartbeat(queued, release=1), heartbeat(behind, release=2)],
        "sent_at": behind.isoformat(),
    }
    assert post_reports(fleet, body).status_code == 200
    latest, older = fleet.central.history(KIOSK)
    assert abs(latest["at"] - now) < timedelta(minutes=1) and latest["release"] == 2
    assert abs(older["at"] - (now - timedelta(minutes=30))) < timedelta(minutes=1)
    assert -121 * 60 <= fleet.central.kiosk(KIOSK)["clock_skew_s"] <= -119 * 60
    page = log_in(fleet).get(f"{fleet.server.url}/console/kiosks/{KIOSK}", timeout=5).text
    assert re.search(r"Saat 1(19|20) dəq səhvdir \(serverdən geridədir\)", page)

    wild = {"heartbeats": [heartbeat(now)], "sent_at": "8999-01-01T00:00:00+00:00"}
    assert post_reports(fleet, wild).status_code == 200  # years of error: every time becomes now
    assert fleet.central.history(KIOSK)[0]["at"] <= datetime.now(UTC)


def test_hostile_report_bodies_are_refused_with_one_line(fleet: Fleet) -> None:
    now = datetime.now(UTC)
    cases: list[tuple[Any, str]] = [
        ({"heartbeats": [heartbeat(now, release=2**63)]}, "release"),
        ({"heartbeats": [heartbeat(now, release=True)]}, "release"),
        ({"heartbeats": [heartbeat(now, uptime_s=-1)]}, "uptime_s"),
        ({"heartbeats": [{**heartbeat(now), "at": "9999-12-31T23:59:59+00:00"}]}, "at"),
        ({"heartbeats": [{**heartbeat(now), "at": "0001-01-01T00:00:00+14:00"}]}, "at"),
        ({"heartbeats": [{**heartbeat(now), "at": "2026-11-27T10:00:00"}]}, "at"),
        ({"heartbeats": [heartbeat(now, last_error="x" * 5000)]}, "last_error"),
        ({"heartbeats": [heartbeat(now, energy_state={"nested": [1, 2]})]}, "energy_state"),
        ({"events": [{"id": "abcdefgh1", "at": now.isoformat(), "kind": "x", "seconds": 1e9}]}, "seconds"),
        ({"heartbeats": [heartbeat(now)] * (MAX_BATCH + 1)}, "heartbeats"),
        ({"heartbeats": "many"}, "heartbeats"),
        ([1, 2, 3], ""),
    ]
    for body, word in cases:
        assert_refused(post_reports(fleet, body), word)
    deep = b"[" * 100_000 + b"]" * 100_000
    assert_refused(post_reports(fleet, deep))
    deep_inside = b'{"heartbeats": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    assert_refused(post_reports(fleet, deep_inside))
    huge = b'{"heartbeats": [], "pad": "' + b"x" * (5 * 1024 * 1024) + b'"}'
    assert post_reports(fleet, huge).status_code == 413
    assert fleet.central.history(KIOSK) == []


def test_the_api_answers_huge_numbers_and_dates_with_a_4xx(fleet: Fleet) -> None:
    url, admin = fleet.server.url, auth(fleet.admin_token)
    for path in (
        "/api/channels/main/releases/99999999999999999999999/manifest",
        "/api/channels/main/releases/9223372036854775808/manifest",
        "/api/channels/main/releases/-1/manifest",
        "/api/kiosks/" + "k" * 5000,
    ):
        response = requests.get(url + path, headers=admin, timeout=5)
        assert 400 <= response.status_code < 500, (path, response.status_code)
    for body in ({"release": 10**30}, {"release": 2**31}, {"release": 1.5}, {"release": "1"}):
        assert_refused(
            requests.post(f"{url}/api/channels/main/rollback", json=body, headers=admin, timeout=5)
        )
    signature = requests.post(
        f"{url}/api/channels/main/drafts/99999999999999999999/signature",
        json={"signature": "AAAA"},
        headers=admin,
        timeout=5,
    )
    assert 400 <= signature.status_code < 500
    assert_refused(
        requests.post(
            f"{url}/api/channels/main/missing", json={"blobs": {"a" * 64: 10**30}}, headers=admin, timeout=5
        ),
        "blobs",
    )
    assert_refused(
        requests.post(
            f"{url}/api/channels/main/releases",
            json={"manifest": "not base64!", "signature": "AAAA"},
            headers=admin,
            timeout=5,
        ),
        "manifest",
    )


def test_the_api_schema_is_for_admins_only(fleet: Fleet) -> None:
    url = f"{fleet.server.url}/openapi.json"
    assert requests.get(url, timeout=5).status_code == 401
    assert requests.get(url, headers=auth(fleet.kiosk_tokens[KIOSK]), timeout=5).status_code == 403
    schema = requests.get(url, headers=auth(fleet.admin_token), timeout=5).json()
    beat = schema["components"]["schemas"]["HeartbeatBody"]["properties"]
    assert beat["power_w"]["anyOf"][0]["maximum"] == 1e9 and beat["id"]["maxLength"] == 64


def test_console_forms_answer_huge_numbers_and_dates_with_a_4xx(fleet: Fleet) -> None:
    fleet.central.add_user("admin", PASSWORD)
    browser = log_in(fleet)
    url = fleet.server.url
    page = browser.get(f"{url}/console/channels/main", timeout=5).text
    for release in ("99999999999999999999999", "2147483648", "-1", "1e400", "NaN"):
        rolled = browser.post(
            f"{url}/console/channels/main/rollback",
            data={"csrf": csrf_of(page), "release": release},
            timeout=5,
        )
        assert 400 <= rolled.status_code < 500, (release, rolled.status_code)
    form = browser.get(f"{url}/console/announcements", timeout=5).text
    texts = {"az": "Salam", "en": "Hello", "ru": "Привет"}
    for starts, ends in (
        ("9999-12-31T23:59", "9999-12-31T23:59"),
        ("0001-01-01T00:00", "2026-12-01T10:00"),
        ("2026-12-01T10:00", "99999-01-01T00:00"),
    ):
        data = {
            "csrf": csrf_of(form),
            "channel": "main",
            "level": "info",
            "starts": starts,
            "ends": ends,
            **texts,
        }
        answer = browser.post(f"{url}/console/announcements", data=data, timeout=5)
        assert answer.status_code == 400 and "<html" in answer.text, (starts, ends, answer.status_code)
    long_text = {
        "csrf": csrf_of(form),
        "channel": "main",
        "level": "info",
        "starts": "2026-12-01T10:00",
        "ends": "2030-12-01T10:00",
        **texts,
        "az": "x" * 1999,
    }
    assert 400 <= browser.post(f"{url}/console/announcements", data=long_text, timeout=5).status_code < 500
