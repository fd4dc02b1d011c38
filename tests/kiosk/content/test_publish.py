"""Checking content sources and publishing them as a signed static channel."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kiosk.content.manifest import parse_manifest
from kiosk.content.publish import check_source, publish
from kiosk.content.signing import generate_keys, load_public_key, verify
from kiosk.errors import ContentError
from kiosk.paths import DEMO_CONTENT_DIR
from tests.kiosk.content.channel import PNG, card, sha256, simple_source, svg, write_source


def test_the_bundled_demo_content_is_a_valid_source_and_publishes_as_it_is(
    tmp_path: Path, channel: Path, keys: tuple[Path, Path]
) -> None:
    assert check_source(DEMO_CONTENT_DIR)[1] == []
    report = publish(DEMO_CONTENT_DIR, keys[0], str(channel))
    data = (channel / "manifest.json").read_bytes()
    verify(load_public_key(keys[1]), data, (channel / "manifest.json.sig").read_bytes())
    manifest = parse_manifest(data)
    assert manifest.release == report.release == 1
    for sha, info in manifest.blobs.items():
        blob = (channel / "blobs" / sha).read_bytes()
        assert (sha256(blob), len(blob)) == (sha, info.size)


def test_validate_lists_every_problem_with_file_and_key(tmp_path: Path) -> None:
    bad_text = {"az": "Mətn", "en": "Text"}  # no Russian
    source = write_source(
        tmp_path / "source",
        [
            card("no-russian", title=bad_text),
            card("missing-file", icon="icons/nowhere.svg"),
            card("wrong-type", icon="icons/movie.mp4"),
            card("fake-png", icon="icons/fake.png"),
            card("bad-url", url="not a url"),
            card("escape", icon="../outside.svg"),
        ],
        {
            "icons/no-russian.svg": svg("a"),
            "icons/bad-url.svg": svg("b"),
            "icons/movie.mp4": b"\x00\x00\x00\x18ftypmp42",
            "icons/fake.png": b"not a png at all",
        },
    )
    (tmp_path / "outside.svg").write_bytes(svg("outside"))
    _doc, problems = check_source(source)
    where = str(source / "content.toml")
    assert all(p.startswith(where + ": ") for p in problems)
    expected = [
        "services[0].title.ru: missing or empty text",
        "services[1].icon: file 'icons/nowhere.svg' does not exist",
        "services[2].icon: 'icons/movie.mp4' must be one of",
        "services[3].icon: 'icons/fake.png' does not contain image/png data",
        "services[4].url: 'not a url' is not a well-formed http(s) URL",
        "services[5].icon: '../outside.svg' is not a file name inside the content folder",
    ]
    for fragment in expected:
        assert any(fragment in p for p in problems), (fragment, problems)
    assert len(problems) == len(expected)


def test_publish_uploads_only_missing_blobs_and_numbers_releases(
    tmp_path: Path, channel: Path, keys: tuple[Path, Path]
) -> None:
    source = simple_source(tmp_path / "source", count=3)
    first = publish(source, keys[0], str(channel))
    assert (first.release, first.blobs_uploaded, first.blobs_total) == (1, 3, 3)
    (source / "icons" / "item-1.svg").write_bytes(svg("item 1 v2"))
    second = publish(source, keys[0], str(channel))
    assert (second.release, second.blobs_uploaded, second.bytes_uploaded) == (2, 1, len(svg("item 1 v2")))
    assert publish(source, keys[0], str(channel), release=7).release == 7
    with pytest.raises(ContentError, match="already has release 7"):
        publish(source, keys[0], str(channel), release=6)
    assert not [p for p in channel.rglob("*") if p.name.endswith(".tmp")]


def test_each_release_moves_the_manifest_mtime_forward_for_etag_based_servers(
    tmp_path: Path, channel: Path, keys: tuple[Path, Path]
) -> None:
    # nginx's ETag and Last-Modified are the whole-second mtime plus the size: three releases
    # published within one second must still look different to a conditional GET.
    source = simple_source(tmp_path / "source", count=2)
    stamps = []
    for _ in range(3):
        publish(source, keys[0], str(channel))
        stamps.append(int((channel / "manifest.json").stat().st_mtime))
        assert int((channel / "manifest.json.sig").stat().st_mtime) == stamps[-1]
    assert stamps[0] < stamps[1] < stamps[2]


def test_publish_refuses_an_invalid_source_and_leaves_the_channel_alone(
    tmp_path: Path, channel: Path, keys: tuple[Path, Path]
) -> None:
    source = write_source(tmp_path / "source", [card("one", icon="icons/one.png")], {"icons/one.png": PNG})
    publish(source, keys[0], str(channel))
    before = (channel / "manifest.json").read_bytes()
    (source / "icons" / "one.png").unlink()
    with pytest.raises(ContentError, match="does not exist"):
        publish(source, keys[0], str(channel))
    assert (channel / "manifest.json").read_bytes() == before


def test_publishing_to_a_server_needs_an_admin_token_and_a_channel_url(
    tmp_path: Path,
    keys: tuple[Path, Path],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from kiosk.cli import main

    source = str(simple_source(tmp_path / "source"))
    monkeypatch.delenv("GREEN_KIOSK_ADMIN_TOKEN", raising=False)
    assert (
        main(["publish", source, "--key", str(keys[0]), "--to", "https://central.example.az/channels/main"])
        != 0
    )
    assert "needs an admin token" in capsys.readouterr().err
    monkeypatch.setenv("GREEN_KIOSK_ADMIN_TOKEN", "gka_x")
    assert main(["publish", source, "--key", str(keys[0]), "--to", "https://central.example.az/content"]) != 0
    assert "expected a channel URL like https://server/channels/NAME" in capsys.readouterr().err


def test_keygen_keeps_the_private_key_private_and_never_overwrites(tmp_path: Path) -> None:
    private, public = generate_keys(tmp_path / "keys")
    assert private.stat().st_mode & 0o777 == 0o600
    assert b"PUBLIC KEY" in public.read_bytes()
    with pytest.raises(ContentError, match="already exists"):
        generate_keys(tmp_path / "keys")


def test_the_manifest_is_compact_sorted_json(tmp_path: Path, channel: Path, keys: tuple[Path, Path]) -> None:
    publish(simple_source(tmp_path / "source"), keys[0], str(channel))
    data = (channel / "manifest.json").read_bytes()
    raw = json.loads(data)
    assert list(raw) == sorted(raw)
    assert set(raw) == {"format", "release", "created", "expires", "content", "blobs"}


def test_validate_refuses_subtitles_larger_than_kiosks_accept(tmp_path: Path) -> None:
    """A kiosk refuses a release whose subtitles exceed 2 MiB: the publisher is told first."""
    files = {"clip.mp4": b"\x00\x00\x00\x18ftypmp42", "az.vtt": b"WEBVTT\n\n" + b"x" * (3 << 20)}
    source = write_source(tmp_path / "source", [card("one")], {"icons/one.svg": svg("one"), **files})
    toml = source / "content.toml"
    video = (
        '[[videos]]\nid = "clip"\nfile = "clip.mp4"\ntitle = { az = "a", en = "b", ru = "c" }\n'
        'subtitles = { az = "az.vtt" }\n'
    )
    toml.write_text(toml.read_text(encoding="utf-8") + video, encoding="utf-8")
    _doc, problems = check_source(source)
    assert problems == [
        f"{toml}: videos[0].subtitles.az: 'az.vtt' has 3145736 bytes, more than the 2097152 kiosks accept"
    ]
