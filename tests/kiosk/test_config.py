from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.config import Settings, load_settings, resolve_config_path
from kiosk.errors import ConfigError
from tests.conftest import REPO_ROOT


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "kiosk.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_missing_optional_file_gives_defaults(tmp_path: Path) -> None:
    settings = load_settings(tmp_path / "absent.toml", required=False)
    assert settings == Settings()
    assert settings.display.language == "az"
    assert settings.energy.source == "simulator"


def test_missing_explicit_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"absent\.toml: config file not found"):
        load_settings(tmp_path / "absent.toml", required=True)


def test_example_config_in_resources_is_valid() -> None:
    settings = load_settings(REPO_ROOT / "resources" / "kiosk.example.toml")
    assert settings.kiosk.timezone == "Asia/Baku"


def test_values_are_read_and_ints_accepted_for_floats(tmp_path: Path) -> None:
    path = write(
        tmp_path, '[kiosk]\nid = "baku-1-lobby"\n[energy]\nrated_power_w = 50000\npoll_seconds = 2\n'
    )
    settings = load_settings(path)
    assert settings.kiosk.id == "baku-1-lobby"
    assert settings.energy.rated_power_w == 50000.0
    assert isinstance(settings.energy.poll_seconds, float)
    assert settings.path == path


def test_unknown_key_names_file_line_and_key(tmp_path: Path) -> None:
    path = write(tmp_path, '[kiosk]\nid = "x"\n\n[display]\nlangauge = "en"\n')
    with pytest.raises(ConfigError) as err:
        load_settings(path)
    message = str(err.value)
    assert f"{path}, line 5" in message
    assert "unknown key 'langauge' in [display]" in message
    assert "language" in message  # lists the known keys


def test_wrong_type_names_line_key_and_expectation(tmp_path: Path) -> None:
    path = write(tmp_path, '[energy]\nsource = "simulator"\nrated_power_w = "thirty"\n')
    with pytest.raises(ConfigError) as err:
        load_settings(path)
    assert str(err.value) == f"{path}, line 3: [energy] rated_power_w: expected a number, got 'thirty'"


def test_choice_and_range_are_checked(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="expected one of 'az', 'en', 'ru', got 'de'"):
        load_settings(write(tmp_path, '[display]\nlanguage = "de"\n'))
    with pytest.raises(ConfigError, match="port: expected at most 65535"):
        load_settings(write(tmp_path, "[energy]\nport = 70000\n"))
    with pytest.raises(ConfigError, match="time zone"):
        load_settings(write(tmp_path, '[kiosk]\ntimezone = "Mars/Olympus"\n'))


def test_unknown_table_and_bad_toml(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"line 1: unknown table \[network\]"):
        load_settings(write(tmp_path, '[network]\nurl = "x"\n'))
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_settings(write(tmp_path, "[kiosk\nid = 1\n"))


def test_config_path_precedence(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GREEN_KIOSK_CONFIG", str(tmp_path / "env.toml"))
    assert resolve_config_path("cli.toml") == (Path("cli.toml"), True)
    assert resolve_config_path(None) == (tmp_path / "env.toml", True)
    monkeypatch.delenv("GREEN_KIOSK_CONFIG")
    path, explicit = resolve_config_path(None)
    assert path.name == "kiosk.toml" and "green-kiosk" in str(path) and not explicit


def test_bad_config_fails_check_config_without_traceback(tmp_path: Path) -> None:
    """The kiosk itself starts anyway (tests/packaging/test_never_dark.py); check-config names the line."""
    path = write(tmp_path, "[display]\nidle_seconds = true\n")
    command = [sys.executable, "-m", "kiosk.cli", "check-config"]
    result = subprocess.run(
        [*command, "--config", str(path), "--data-dir", str(tmp_path / "data")],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=REPO_ROOT,
    )
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert f"{path}, line 2: [display] idle_seconds: expected a whole number, got True" in result.stderr


def test_central_table_is_read_and_needs_a_token_file(tmp_path: Path) -> None:
    path = tmp_path / "kiosk.toml"
    (tmp_path / "kiosk.token").write_text("gkk_token\n", encoding="utf-8")
    path.write_text(
        '[central]\nurl = "https://central.example/"\ntoken_file = "kiosk.token"\nheartbeat_seconds = 30\n'
        "push = false\n",
        encoding="utf-8",
    )
    central = load_settings(path).central
    assert (central.url, central.token_file, central.heartbeat_seconds, central.push) == (
        "https://central.example/",
        str(tmp_path / "kiosk.token"),
        30,
        False,
    )  # a name relative to the config file is made absolute once, when it loads
    assert central.network_url == "https://central.example/api/network"
    assert central.serves("https://central.example/channels/main") and not central.serves("https://other/x")
    path.write_text('[kiosk]\nid = "k"\n[central]\nurl = "https://central.example"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"kiosk.toml, line 4: \[central\] url needs token_file"):
        load_settings(path)
    path.write_text("[central]\nheartbeat_seconds = 5\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"line 2: \[central\] heartbeat_seconds: expected at least 10"):
        load_settings(path)
    path.write_text('[central]\nurl = "central.example"\ntoken_file = "t"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"line 2: \[central\] url: expected a server address"):
        load_settings(path)


TOKEN = '[central]\nurl = "https://central.example/"\ntoken_file = "{}"\n'
BAD_VALUES = [
    (
        "[content]\npoll_seconds = 1_000_000_000_000\n",
        "line 2: [content] poll_seconds: expected at most 2147483",
    ),
    ("[energy]\npoll_seconds = 1e12\n", "line 2: [energy] poll_seconds: expected at most 2147483"),
    ("[display]\nidle_seconds = 9999999\n", "line 2: [display] idle_seconds: expected at most 2147483"),
    ("[energy]\nrated_power_w = inf\n", "line 2: [energy] rated_power_w: expected a finite number, got inf"),
    (
        "[energy]\nemission_kg_per_kwh = nan\n",
        "line 2: [energy] emission_kg_per_kwh: expected a finite number",
    ),
    ("[energy]\nstale_seconds = -inf\n", "line 2: [energy] stale_seconds: expected a finite number"),
    (
        '[display]\nopen_hours = "25:00-26:00"\n',
        "line 2: [display] open_hours: '25:00-26:00' is not a time of day",
    ),
    (
        '[display]\nopen_hours = "08:75-19:00"\n',
        "line 2: [display] open_hours: '08:75-19:00' is not a time of day",
    ),
    (
        '[display]\nopen_hours = "08:00-08:00"\n',
        "line 2: [display] open_hours: '08:00-08:00' starts and ends",
    ),
    (
        '[display]\nopen_hours = "00:00-24:00"\n',
        "line 2: [display] open_hours: '00:00-24:00' starts and ends",
    ),
    (
        '[content]\nurl = "ftp://files.example/"\npublic_key = "k.pub"\n',
        "line 2: [content] url: expected an http:// or https:// address, got 'ftp://files.example/'",
    ),
    ('[energy]\nurl = "file:///etc/passwd"\n', "line 2: [energy] url: expected an http:// or https://"),
    ('[energy]\nnetwork_url = "javascript:alert(1)"\n', "line 2: [energy] network_url: expected an http://"),
    ('[content]\nurl = "https://cdn.example/main/"\n', "line 2: [content] url needs public_key"),
    (TOKEN.format("missing.token"), "line 3: [central] token_file: cannot read"),
    (TOKEN.format("/dev/zero"), "line 3: [central] token_file: /dev/zero is not a regular file"),
    (TOKEN.format("huge.token"), "line 3: [central] token_file: "),
    (TOKEN.format("empty.token"), "line 3: [central] token_file: the file is empty"),
]


@pytest.mark.parametrize(("text", "expected"), BAD_VALUES, ids=[e.split(": ")[1] for _t, e in BAD_VALUES])
def test_values_that_would_fail_later_are_refused_with_file_line_and_key(
    tmp_path: Path, text: str, expected: str
) -> None:
    (tmp_path / "huge.token").write_bytes(b"x" * (65 * 1024))
    (tmp_path / "empty.token").write_text("\n", encoding="utf-8")
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as raised:
        load_settings(path)
    assert f"{path}, {expected}" in str(raised.value)
    if "huge" in text:
        assert "larger than 64 KiB" in str(raised.value)


def test_overnight_and_single_digit_opening_hours_are_accepted(tmp_path: Path) -> None:
    for hours in ("19:00-08:30", "8:00-18:00", "08:00-24:00"):
        assert (
            load_settings(write(tmp_path, f'[display]\nopen_hours = "{hours}"\n')).display.open_hours == hours
        )


def test_a_config_file_that_is_a_device_is_refused_without_reading_it(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="/dev/zero is not a regular file"):
        load_settings(Path("/dev/zero"))


def test_a_timer_beyond_qt_is_refused_by_check_config_with_one_line(tmp_path: Path) -> None:
    path = write(tmp_path, "[content]\npoll_seconds = 1_000_000_000_000\n")
    result = subprocess.run(
        [sys.executable, "-m", "kiosk.cli", "check-config", "--config", str(path)],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=REPO_ROOT,
    )
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert f"{path}, line 2: [content] poll_seconds: expected at most 2147483" in result.stderr


def test_a_timer_beyond_qt_is_left_out_and_named_while_the_kiosk_starts(tmp_path: Path) -> None:
    """The kiosk never stays dark over a config mistake (kiosk/startup.py): the key goes, not the kiosk."""
    path = write(tmp_path, "[content]\npoll_seconds = 1_000_000_000_000\n")
    shots = tmp_path / "shots"
    options = ["--languages", "az", "--sizes", "1080x1920", "--config", str(path)]
    result = subprocess.run(
        [
            sys.executable,
            str(REPO_ROOT / "main.py"),
            "--screenshot",
            str(shots),
            *options,
            "--data-dir",
            str(tmp_path / "data"),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=REPO_ROOT,
    )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert f"{path}, line 2: [content] poll_seconds: expected at most 2147483" in result.stderr
    assert any(shots.glob("energy_az_1080x1920*.png"))


def test_a_public_key_that_is_a_device_or_huge_is_refused_without_reading_it(tmp_path: Path) -> None:
    from kiosk.content.signing import load_public_key

    with pytest.raises(ConfigError, match=r"\[content\] public_key: /dev/zero is not a regular file"):
        load_public_key(Path("/dev/zero"))
    huge = tmp_path / "content.pub"
    huge.write_bytes(b"-" * (1 << 20))
    with pytest.raises(ConfigError, match="larger than 64 KiB"):
        load_public_key(huge)


def test_files_named_relative_to_the_config_are_absolute_once_loaded(tmp_path: Path) -> None:
    folder = tmp_path / "etc"
    folder.mkdir()
    (folder / "kiosk.token").write_text("gkk_token\n", encoding="utf-8")
    path = folder / "kiosk.toml"
    path.write_text(
        '[content]\nurl = "https://cdn.example/main/"\npublic_key = "keys/content.pub"\n'
        '[central]\nurl = "https://central.example/"\ntoken_file = "kiosk.token"\n',
        encoding="utf-8",
    )
    settings = load_settings(path)
    assert settings.content.public_key == str(folder / "keys" / "content.pub")
    assert settings.central.token_file == str(folder / "kiosk.token")
    path.write_text(
        '[content]\nurl = "https://cdn.example/main/"\npublic_key = "/srv/content.pub"\n', encoding="utf-8"
    )
    assert load_settings(path).content.public_key == "/srv/content.pub"
