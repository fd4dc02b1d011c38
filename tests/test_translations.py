"""Every UI string has a translation in az, en and ru, and the .qm files are built from the sources."""

from __future__ import annotations

import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tests.conftest import REPO_ROOT

LANGUAGES = ("az", "en", "ru")
TS_DIR = REPO_ROOT / "translations"


def ui_sources() -> list[str]:
    return sorted(str(p.relative_to(REPO_ROOT)) for p in (REPO_ROOT / "ui").rglob("*.py"))


def untranslated(ts: Path) -> list[str]:
    problems = []
    for message in ET.parse(ts).iter("message"):
        source = message.findtext("source") or ""
        translation = message.find("translation")
        assert translation is not None
        forms = translation.findall("numerusform") or [translation]
        if translation.get("type") in ("unfinished", "obsolete", "vanished") or any(
            not (f.text or "").strip() for f in forms
        ):
            problems.append(source)
    return problems


@pytest.fixture(scope="module")
def refreshed_ts(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The .ts files after lupdate has scanned today's code (so new tr() strings show up)."""
    out = tmp_path_factory.mktemp("ts")
    copies = {}
    for language in LANGUAGES:
        copies[language] = out / f"green_kiosk_{language}.ts"
        shutil.copy(TS_DIR / copies[language].name, copies[language])
    lupdate = Path(sys.executable).with_name("pyside6-lupdate")
    subprocess.run(
        [
            str(lupdate),
            "-locations",
            "none",
            "-no-obsolete",
            *ui_sources(),
            "-ts",
            *map(str, copies.values()),
        ],
        cwd=REPO_ROOT,
        check=True,
        capture_output=True,
        timeout=120,
    )
    return copies


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_ui_string_is_translated(refreshed_ts: dict[str, Path], language: str) -> None:
    assert untranslated(refreshed_ts[language]) == []


def test_all_languages_translate_the_same_strings(refreshed_ts: dict[str, Path]) -> None:
    sources = {
        language: sorted(m.findtext("source") or "" for m in ET.parse(path).iter("message"))
        for language, path in refreshed_ts.items()
    }
    assert sources["az"] == sources["en"] == sources["ru"]
    assert len(sources["az"]) > 10


def test_untranslated_string_is_detected(tmp_path: Path) -> None:
    ts = tmp_path / "x.ts"
    ts.write_text(
        '<?xml version="1.0"?><TS version="2.1" language="az_AZ"><context><name>C</name>'
        '<message><source>New text</source><translation type="unfinished"></translation></message>'
        "</context></TS>",
        encoding="utf-8",
    )
    assert untranslated(ts) == ["New text"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_qm_is_built_and_current(language: str) -> None:
    ts = TS_DIR / f"green_kiosk_{language}.ts"
    qm = TS_DIR / f"green_kiosk_{language}.qm"
    assert qm.exists(), "the set-up builds .qm files from .ts with pyside6-lrelease"
    assert qm.stat().st_mtime >= ts.stat().st_mtime
