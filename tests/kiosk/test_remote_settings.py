"""Remote settings: the ``[[settings]]`` a signed release carries, which keys it may set, and precedence."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from kiosk.admin_pin import hash_pin
from kiosk.config import Settings, parse_settings
from kiosk.content.model import Content, parse_content
from kiosk.errors import ConfigError, ContentError
from kiosk.remote_settings import effective_settings
from tests.content_docs import document

PIN_HASH = hash_pin("2468", iterations=10_000)


def content_with(*entries: dict[str, Any], release: int = 7) -> Content:
    return parse_content(document(settings=list(entries)), release=release, origin="sync")


def problems_of(*entries: dict[str, Any]) -> str:
    with pytest.raises(ContentError) as caught:
        content_with(*entries)
    return str(caught.value)


def local(text: str = "") -> Settings:
    return parse_settings('[kiosk]\nid = "k-1"\ncentre = "baku-1"\n' + text, Path("kiosk.toml"))


@pytest.mark.parametrize(
    ("table", "key", "value"),
    [
        ("content", "url", "https://elsewhere.example/channel"),
        ("content", "public_key", "other.pub"),
        ("central", "url", "https://elsewhere.example"),
        ("central", "token_file", "/tmp/token"),
        ("kiosk", "id", "someone-else"),
        ("kiosk", "centre", "ganja-2"),
        ("logging", "level", "DEBUG"),
    ],
)
def test_keys_that_decide_trust_or_identity_are_refused_by_name(table: str, key: str, value: str) -> None:
    message = problems_of({"display": {"language": "en"}}, {"kiosks": ["k-1"], table: {key: value}})
    assert f"settings[1].{table}" in message
    assert f"[{table}] cannot be set by a release" in message


def test_an_unlisted_key_of_an_allowed_table_is_refused_with_its_name() -> None:
    message = problems_of({"display": {"language": "en", "fontsize": 3}})
    assert "settings[0].display.fontsize" in message and "[display] fontsize cannot be set" in message


@pytest.mark.parametrize(
    ("table", "key", "value"),
    [
        ("display", "open_hours", "25:00-18:00"),
        ("display", "idle_seconds", 2),
        ("display", "language", "de"),
        ("display", "open_weekdays", [0, 8]),
        ("energy", "port", 70000),
        ("energy", "source", "solar-magic"),
        ("energy", "url", "ftp://inverter.local/"),
    ],
)
def test_a_bad_value_gets_the_same_message_as_in_the_local_file(table: str, key: str, value: Any) -> None:
    with pytest.raises(ConfigError) as local_error:
        parse_settings(f"[{table}]\n{key} = {value!r}\n".replace("'", '"'), Path("kiosk.toml"))
    expected = str(local_error.value).split(f"[{table}] {key}: ", 1)[1]
    message = problems_of({"centres": ["baku-1"], table: {key: value}})
    assert f"settings[0].{table}: [{table}] {key}: {expected}" in message


def test_a_pin_hash_must_be_one_the_kiosk_can_check() -> None:
    assert "settings[0].admin.pin_hash" in problems_of({"admin": {"pin_hash": "1234"}})
    too_slow = hash_pin("2468", iterations=10_000).replace("$10000$", "$99000000$")
    assert "settings[0].admin.pin_hash" in problems_of({"admin": {"pin_hash": too_slow}})
    assert content_with({"admin": {"pin_hash": PIN_HASH}}).settings[0].values["admin"]["pin_hash"] == PIN_HASH


def test_targets_must_be_lists_of_ids() -> None:
    assert "settings[0].centres" in problems_of({"centres": "baku-1", "display": {"language": "en"}})
    assert "settings[0].kiosks" in problems_of({"kiosks": [""], "display": {"language": "en"}})


def test_kiosk_entry_beats_centre_entry_which_beats_every_kiosk_and_the_local_file() -> None:
    content = content_with(
        {"kiosks": ["k-1"], "display": {"open_hours": "10:00-17:00"}},
        {"centres": ["baku-1"], "display": {"open_hours": "09:00-18:00", "language": "en"}},
        {"display": {"language": "ru", "idle_seconds": 90}},
        {"centres": ["ganja-2"], "display": {"idle_seconds": 300}},
    )
    settings, remote = effective_settings(
        local('[display]\nopen_hours = "08:00-20:00"\nunmute_seconds = 45\n'), content
    )
    assert settings.display.open_hours == "10:00-17:00"
    assert settings.display.language == "en"
    assert settings.display.idle_seconds == 90
    assert settings.display.unmute_seconds == 45
    assert remote.keys == ("display.language", "display.idle_seconds", "display.open_hours")
    assert (
        remote.describe()
        == "settings from release 7: display.language, display.idle_seconds, display.open_hours"
    )


def test_entries_for_other_kiosks_and_centres_change_nothing() -> None:
    content = content_with({"kiosks": ["k-2"], "centres": ["ganja-2"], "display": {"language": "en"}})
    before = local()
    settings, remote = effective_settings(before, content)
    assert settings == before and remote.keys == ()
    assert remote.describe() == "none in release 7: the local file only"


def test_remote_settings_false_in_the_local_file_keeps_its_values() -> None:
    content = content_with({"display": {"language": "en"}, "admin": {"pin_hash": PIN_HASH}})
    before = local('remote_settings = false\n[admin]\npin_hash = ""\n')
    settings, remote = effective_settings(before, content)
    assert settings == before and remote.disabled
    assert "remote_settings = false" in remote.describe()


def test_energy_source_and_site_keys_can_move_a_kiosk_to_another_device() -> None:
    content = content_with(
        {"centres": ["baku-1"], "energy": {"source": "sunspec", "host": "10.0.0.9", "rated_power_w": 12000}}
    )
    settings, _remote = effective_settings(local(), content)
    device = settings.energy.devices()[0]
    assert (device.source, device.host, device.port) == ("sunspec", "10.0.0.9", 502)
    assert settings.energy.rated_power_w == 12000.0


def test_a_site_of_several_devices_can_be_set_and_each_device_is_checked() -> None:
    devices = [{"source": "sunspec", "host": "10.0.0.1"}, {"source": "fronius", "url": "http://10.0.0.2/"}]
    settings, remote = effective_settings(
        local(), content_with({"kiosks": ["k-1"], "energy": {"sources": devices}})
    )
    assert [d.label for d in settings.energy.devices()] == [
        "sunspec 10.0.0.1:502 unit 1",
        "fronius http://10.0.0.2/",
    ]
    assert remote.keys == ("energy.sources",)
    message = problems_of({"energy": {"sources": [{"source": "sunspec", "port": 0}]}})
    assert "settings[0].energy" in message and "port: expected at least 1" in message
