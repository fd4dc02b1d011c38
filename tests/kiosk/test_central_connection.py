"""CentralConnection against a real HTTP server on 127.0.0.1: the token it sends, how each failure reads."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest

from kiosk.central_connection import CentralConnection, CentralConnectionError
from kiosk.energy.central import CentralFeedError
from kiosk.errors import SourceError
from tests.kiosk.energy.peers import JsonServer


@pytest.fixture
def server() -> Iterator[JsonServer]:
    peer = JsonServer()
    yield peer
    peer.close()


def test_sends_the_bearer_token_and_decodes_the_json_answer(server: JsonServer) -> None:
    server.body = {"power_w": 12.5}
    connection = CentralConnection(server.url, "gkk_secret")
    assert connection.get_json("/api/network") == {"power_w": 12.5}
    assert server.paths == ["/api/network"]
    assert server.headers[0]["Authorization"] == "Bearer gkk_secret"


@pytest.mark.parametrize("status", [401, 403])
def test_a_refused_token_tells_the_reader_to_check_it(server: JsonServer, status: int) -> None:
    server.status, server.body = status, {"error": "unknown token"}
    with pytest.raises(CentralConnectionError) as caught:
        CentralConnection(server.url, "gkk_wrong").get_json("api/network")
    assert caught.value.status == status and caught.value.refused
    hint = "check the kiosk's token ([central] token_file)"
    assert f"refused access (HTTP {status}): {hint}" in str(caught.value)


def test_a_server_fault_names_the_status_and_the_servers_words(server: JsonServer) -> None:
    server.status, server.body = 503, {"error": "database is locked"}
    with pytest.raises(CentralConnectionError, match="answered HTTP 503: database is locked") as caught:
        CentralConnection(server.url, "t", what="Reports").get("api/kiosk/reports")
    assert caught.value.status == 503 and not caught.value.refused
    assert str(caught.value).startswith(f"Reports at {server.url}/api/kiosk/reports")


def test_an_answer_that_is_not_json_is_named_so(server: JsonServer) -> None:
    server.raw = b"<html>captive portal login</html>"
    with pytest.raises(CentralConnectionError, match="answered something that is not JSON"):
        CentralConnection(server.url, "t").get_json("api/network")


def test_an_answer_larger_than_the_bound_is_refused(server: JsonServer) -> None:
    server.raw = b"[" + b"0," * 500 + b"0]"
    with pytest.raises(CentralConnectionError, match="answered more than 100 bytes"):
        CentralConnection(server.url, "t", max_bytes=100).get_json("api/network")


def test_a_server_that_is_down_cannot_be_reached() -> None:
    peer = JsonServer()
    url = peer.url
    peer.close()
    with pytest.raises(CentralConnectionError, match=r"cannot be reached: .*refused") as caught:
        CentralConnection(url, "t").get_json("api/network")
    assert caught.value.status is None


def test_a_silent_server_times_out_with_the_limit_in_the_message(server: JsonServer) -> None:
    server.hold = threading.Event()  # the answer waits until the server is closed
    with pytest.raises(CentralConnectionError, match=r"no answer within 0\.3 s"):
        CentralConnection(server.url, "t", timeout=(2.0, 0.3)).get_json("api/network")


def test_the_caller_chooses_the_error_class_its_readers_catch(server: JsonServer) -> None:
    server.status = 500
    with pytest.raises(SourceError, match="HTTP 500") as caught:
        CentralConnection(server.url, "t", error=CentralFeedError).get_json("api/network")
    assert isinstance(caught.value, CentralConnectionError)


def test_a_stream_opens_on_2xx_and_maps_other_statuses(server: JsonServer) -> None:
    connection = CentralConnection(server.url, "t")
    server.raw = b"data: 1\n\n"
    with connection.open_stream("channels/main/events") as response:
        assert connection.read_limited(response, 100) == b"data: 1\n\n"
    server.status = 404
    with pytest.raises(CentralConnectionError, match="answered HTTP 404") as caught:
        connection.open_stream("channels/main/events")
    assert caught.value.status == 404
