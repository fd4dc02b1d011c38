"""Start-up that never leaves the lobby dark: config fallbacks, token problems, the quick-exit count."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from kiosk.cli import main as kioskctl
from kiosk.config import Settings
from kiosk.core import open_core
from kiosk.startup import (
    LAST_GOOD_CONFIG,
    SAFE_MODE_AFTER,
    QuickExits,
    load_startup_settings,
    remember_good_config,
)

BROKEN = """\
[kiosk]
id = "baku-1-lobby"

[display]
idle_seconds = 1
langauge = "en"
language = "ru"

[central]
url = "https://central.example"
"""


def test_broken_config_without_a_saved_one_keeps_every_key_that_parses(tmp_path: Path) -> None:
    config = tmp_path / "kiosk.toml"
    config.write_text(BROKEN, encoding="utf-8")
    startup = load_startup_settings(config, tmp_path / "data")
    assert startup.origin == "defaults"
    settings = startup.settings
    assert settings.kiosk.id == "baku-1-lobby"
    assert settings.display.language == "ru"
    assert settings.display.idle_seconds == Settings().display.idle_seconds
    assert settings.central.url == ""  # needs token_file, which is missing
    text = "\n".join(startup.problems)
    assert f"{config}, line 5: [display] idle_seconds: expected at least 5" in text
    assert f"{config}, line 6: unknown key 'langauge'" in text
    assert f"{config}, line 10: [central] url needs token_file" in text


def test_broken_config_keeps_a_site_of_several_devices(tmp_path: Path) -> None:
    """Dropping [[energy.sources]] would put the simulator's made-up figures on a real kiosk."""
    config = tmp_path / "kiosk.toml"
    config.write_text(
        '[display]\nlangauge = "en"\n[energy]\nrated_power_w = 50000\n'
        '[[energy.sources]]\nsource = "sunspec"\nname = "roof east"\nhost = "10.0.0.5"\n'
        '[[energy.sources]]\nsource = "fronius"\nurl = "http://10.0.0.6/"\n',
        encoding="utf-8",
    )
    startup = load_startup_settings(config, tmp_path / "data")
    assert startup.origin == "defaults"
    energy = startup.settings.energy
    assert [(d.source, d.label) for d in energy.devices()] == [
        ("sunspec", "roof east"),
        ("fronius", "fronius http://10.0.0.6/"),
    ]
    assert energy.rated_power_w == 50000
    assert any("unknown key 'langauge'" in problem for problem in startup.problems)


def test_broken_config_falls_back_to_the_last_one_that_started(tmp_path: Path) -> None:
    config, data = tmp_path / "kiosk.toml", tmp_path / "data"
    data.mkdir()
    config.write_text('[kiosk]\nid = "baku-1-lobby"\n[display]\nlanguage = "en"\n', encoding="utf-8")
    good = load_startup_settings(config, data)
    assert good.origin == "file" and good.problems == ()
    remember_good_config(good, data)
    config.write_text('[kiosk]\nid = "baku-1-lobby"\n[display]\nlanguage = "de"\n', encoding="utf-8")
    fallback = load_startup_settings(config, data)
    assert fallback.origin == "last good"
    assert fallback.settings.display.language == "en"
    assert "expected one of 'az', 'en', 'ru', got 'de'" in fallback.problems[0]
    assert (data / LAST_GOOD_CONFIG).read_text(encoding="utf-8").count('"en"') == 1  # not overwritten


def test_config_that_is_not_toml_or_missing_gives_the_defaults(tmp_path: Path) -> None:
    config = tmp_path / "kiosk.toml"
    config.write_text("[kiosk\nid = 1\n", encoding="utf-8")
    startup = load_startup_settings(config, tmp_path / "data")
    assert (startup.origin, startup.settings.kiosk.id) == ("defaults", "demo-kiosk")
    assert "not valid TOML" in startup.problems[0]
    missing = load_startup_settings(tmp_path / "absent.toml", tmp_path / "data")
    assert missing.origin == "defaults" and "config file not found" in missing.problems[0]


def test_three_quick_exits_in_a_row_start_safe_mode_and_a_healthy_run_clears_them(tmp_path: Path) -> None:
    quick = QuickExits(tmp_path)
    starts = [QuickExits(tmp_path).begin() for _ in range(SAFE_MODE_AFTER + 1)]
    assert starts == [False] * SAFE_MODE_AFTER + [True]
    quick.healthy()
    assert QuickExits(tmp_path).begin() is False
    (tmp_path / quick.path.name).write_text("garbage", encoding="utf-8")
    assert QuickExits(tmp_path).begin() is False  # an unreadable count is no reason for safe mode


def test_unreadable_token_and_bad_energy_source_start_the_kiosk_with_reasons(tmp_path: Path) -> None:
    config = tmp_path / "kiosk.toml"
    config.write_text(
        '[central]\nurl = "http://127.0.0.1:9/"\ntoken_file = "absent.token"\n'
        '[content]\nurl = "http://127.0.0.1:9/channel/"\npublic_key = "absent.pub"\n'
        '[energy]\nsource = "sunspec"\n',
        encoding="utf-8",
    )
    startup = load_startup_settings(config, tmp_path / "data")
    core = open_core(startup.settings, tmp_path / "data", problems=list(startup.problems))
    try:
        assert core.reporter is None and core.sync is None
        problems = "\n".join(core.status().startup_problems)
        assert "absent.token" in problems and "absent.pub" in problems and "needs host" in problems
        snapshot = core.energy.poll_once()
        assert "needs host" in (snapshot.error or "")
    finally:
        core.close()


def test_safe_mode_leaves_sync_and_reports_off(tmp_path: Path) -> None:
    token = tmp_path / "kiosk.token"
    token.write_text("secret-token", encoding="utf-8")
    token.chmod(0o600)
    config = tmp_path / "kiosk.toml"
    config.write_text(
        '[central]\nurl = "http://127.0.0.1:9/"\ntoken_file = "kiosk.token"\n'
        '[content]\nurl = "http://127.0.0.1:9/content/"\n',
        encoding="utf-8",
    )
    settings = load_startup_settings(config, tmp_path / "data").settings
    core = open_core(settings, tmp_path / "data", safe_mode=True)
    try:
        assert (core.sync, core.reporter, core.network) == (None, None, None)
        assert core.status().safe_mode
    finally:
        core.close()


def test_token_the_kiosk_user_cannot_read_fails_check_config_and_doctor(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The README's old advice: root writes the token and chmods it 600; the kiosk's user cannot read it."""
    from kiosk.checks import FAIL, OK
    from kiosk.doctor import token_file_check

    token = tmp_path / "kiosk.token"
    token.write_text("secret-token", encoding="utf-8")
    token.chmod(0o600)
    config = tmp_path / "kiosk.toml"
    config.write_text('[central]\nurl = "https://central.example"\ntoken_file = "kiosk.token"\n')
    argv = ["--config", str(config), "--data-dir", str(tmp_path / "data"), "check-config"]
    assert kioskctl(argv) == 0  # this user owns it
    assert "Config OK" in capsys.readouterr().out
    settings = load_startup_settings(config, tmp_path).settings
    stranger = token_file_check(settings, as_user="nobody")  # not the owner, as the packaged kiosk was
    assert stranger.result == FAIL and "cannot be read by nobody" in stranger.detail
    assert "chown nobody" in stranger.detail
    if os.geteuid() != 0:  # root reads anything: the permission bits were judged above
        token.chmod(0o000)
        assert kioskctl(argv) == 1
        out = capsys.readouterr().out
        assert "Config NOT OK" in out and "cannot be read by" in out
    token.chmod(0o604)
    assert token_file_check(settings, as_user="nobody").result != FAIL
    token.chmod(0o600)
    assert token_file_check(settings).result == OK


def test_check_config_warns_nothing_but_doctor_warns_about_a_token_others_can_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from kiosk.checks import OK, WARN
    from kiosk.doctor import token_file_check

    token = tmp_path / "kiosk.token"
    token.write_text("secret-token", encoding="utf-8")
    token.chmod(0o644)
    config = tmp_path / "kiosk.toml"
    config.write_text('[central]\nurl = "https://central.example"\ntoken_file = "kiosk.token"\n')
    settings = load_startup_settings(config, tmp_path).settings
    result = token_file_check(settings)
    assert (result.name, result.result) == ("central", WARN) and "chmod 600" in result.detail
    token.chmod(0o600)
    assert token_file_check(settings).result == OK


def test_status_without_a_database_says_so_and_creates_none(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    assert kioskctl(["--data-dir", str(data), "status"]) == 0
    assert "no database yet" in capsys.readouterr().out
    assert not (data / "kiosk.db").exists()
