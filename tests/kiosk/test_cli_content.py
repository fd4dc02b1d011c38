"""kioskctl's content commands: exit 0 on success, otherwise 1 and a one-line reason on stderr."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kiosk.cli import main
from tests.kiosk.content.channel import card, simple_source, write_source


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_status_json_reports_sync_and_cache_keys_before_any_sync(
    tmp_path: Path, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "kiosk.toml"
    config.write_text("", encoding="utf-8")
    code, out, _ = run(capsys, "status", "--json", "--config", str(config), "--data-dir", str(data_dir))
    status = json.loads(out)
    assert code == 0
    assert (status["active_release"], status["last_sync"], status["last_result"], status["cache_bytes"]) == (
        0,
        None,
        None,
        0,
    )


def test_validate_prints_each_problem_then_fails_with_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = write_source(tmp_path / "source", [card("one"), card("two", url="ftp://x")], {})
    code, out, err = run(capsys, "validate", str(source))
    assert code == 1
    assert len(out.strip().splitlines()) == 3  # two missing icons and the URL
    assert err.strip() == f"kioskctl: {source}: 3 problem(s), listed above"


def test_publish_with_a_missing_key_fails_with_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = simple_source(tmp_path / "source")
    code, _out, err = run(
        capsys, "publish", str(source), "--key", str(tmp_path / "no.key"), "--to", str(tmp_path / "c")
    )
    assert code == 1
    assert err.count("\n") == 1 and "cannot read the private key" in err


def test_keygen_refuses_to_replace_a_key(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "keygen", "--out", str(tmp_path))[0] == 0
    code, _out, err = run(capsys, "keygen", "--out", str(tmp_path))
    assert code == 1 and "already exists" in err


def test_a_kiosk_with_an_unreadable_public_key_names_the_key(
    tmp_path: Path, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "kiosk.toml"
    config.write_text(
        '[content]\nurl = "http://127.0.0.1:9/"\npublic_key = "missing.pub"\n', encoding="utf-8"
    )
    code, _out, err = run(capsys, "sync", "--once", "--config", str(config), "--data-dir", str(data_dir))
    assert code == 1
    assert err.strip().splitlines()[-1].startswith("kioskctl: [content] public_key: cannot read")
