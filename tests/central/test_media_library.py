"""The console's media library over real HTTP: uploads checked as kiosks need them, stored as blobs.

Videos are made by ffmpeg (H.264 that kiosks play, HEVC that they do not) and read back by the
server's real ffprobe; the hostile-JSON tests feed the probe's parser directly.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import re
import shutil
import socket
import string
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests
from hypothesis import given, settings
from hypothesis import strategies as st

from central import console_media
from central.console_media_text import MEDIA_TEXTS
from central.media import MediaItem, MediaLibrary, MediaUnplayable, clean_name
from central.media_probe import ProbeFailed, VideoFacts, parse_image, parse_video, video_problems
from central.service import Central
from kiosk.content.manifest import MAX_SUBTITLE_BYTES
from kiosk.content.remote import CentralClient, publish_remote
from tests.central.conftest import Fleet, make_fleet
from tests.central.test_console import PASSWORD, csrf_of, log_in
from tests.kiosk.content.channel import sha256, simple_source, svg
from tests.media import make_clip

SCREENSHOT = Path(__file__).resolve().parents[2] / "docs" / "screenshot-energy.png"
EN = MEDIA_TEXTS["en"]
AZ = MEDIA_TEXTS["az"]


@pytest.fixture(scope="module")
def videos(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """An H.264 clip kiosks play and an HEVC clip they do not (made once for this module)."""
    if shutil.which("ffmpeg") is None or shutil.which("ffprobe") is None:
        pytest.skip("ffmpeg is not installed (scripts/bootstrap.sh dev)")
    folder = tmp_path_factory.mktemp("media-videos")
    hevc = folder / "hevc.mp4"
    subprocess.run(
        ["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25", "-t", "0.2",
         "-c:v", "libx265", "-preset", "ultrafast", "-x265-params", "log-level=error", "-pix_fmt", "yuv420p",
         str(hevc)],
        check=True, timeout=60,
    )  # fmt: skip
    return {"h264": make_clip(folder / "clip.mp4", seconds=0.4), "hevc": hevc}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Fleet, str]]:
    """One server and one login for the module (a password hash costs a second): each test has a channel."""
    fleet = make_fleet(tmp_path_factory.mktemp("media-server"))
    fleet.central.accounts.add_user("admin", PASSWORD)
    browser = log_in(fleet)
    yield fleet, browser.cookies["gk_session"]
    browser.close()
    fleet.server.close()


@dataclass
class Library:
    """A test's own channel on the module's server, and a logged-in browser (Azerbaijani first)."""

    fleet: Fleet
    channel: str
    browser: requests.Session

    @property
    def central(self) -> Central:
        return self.fleet.central

    @property
    def url(self) -> str:
        return f"{self.fleet.server.url}/console/channels/{self.channel}/media"

    def items(self, kind: str | None = None) -> list[MediaItem]:
        return self.central.media.items(self.channel, kind)

    def blob(self, sha: str) -> Path:
        return self.central.channels_dir / self.channel / "blobs" / sha


@pytest.fixture
def library(server: tuple[Fleet, str], request: pytest.FixtureRequest) -> Iterator[Library]:
    fleet, token = server
    channel = "m" + hashlib.sha256(request.node.name.encode()).hexdigest()[:12]
    fleet.central.add_channel(channel, fleet.public_key.read_bytes())
    browser = requests.Session()
    browser.cookies.set("gk_session", token)
    yield Library(fleet, channel, browser)
    browser.close()


def upload(
    library: Library, name: str, data: bytes, kind: str, *, csrf: str | None = None
) -> requests.Response:
    if csrf is None:
        csrf = csrf_of(library.browser.get(library.url, timeout=5).text)
    return library.browser.post(
        library.url,
        data={"csrf": csrf, "kind": kind},
        files={"file": (name, data, "application/octet-stream")},
        allow_redirects=False,
        timeout=30,
    )


def alert_of(html: str) -> str:
    found = re.search(r'<p class="alert[^"]*" role="alert">(.*?)</p>', html, re.S)
    assert found is not None, "no error on the page"
    return found.group(1).replace("&#34;", '"').replace("&#39;", "'")


def test_an_h264_video_is_stored_as_the_channels_blob_with_the_figures_ffprobe_read(
    library: Library, videos: dict[str, Path]
) -> None:
    data = videos["h264"].read_bytes()
    response = upload(library, "Kampaniya 2026.mp4", data, "video")
    assert response.status_code == 303, response.text
    sha = sha256(data)
    assert response.headers["location"].startswith(f"/console/channels/{library.channel}/media?added={sha}")
    blob = requests.get(f"{library.fleet.server.channel_url(library.channel)}/blobs/{sha}", timeout=5)
    assert blob.status_code == 200 and blob.content == data
    [item] = library.items("video")
    assert (item.sha256, item.size, item.kind, item.media_type) == (sha, len(data), "video", "video/mp4")
    assert (item.codec, item.width, item.height, item.frame_rate) == ("h264", 320, 240, 25.0)
    assert item.duration_s == pytest.approx(0.4, abs=0.05)
    assert (item.name, item.uploaded_by) == ("Kampaniya 2026.mp4", "console:admin")
    assert library.items("icon") == []
    page = library.browser.get(library.fleet.server.url + response.headers["location"], timeout=5).text
    assert AZ["media_added"].format(name="Kampaniya 2026.mp4") in page
    assert "H.264, 320x240, 0,4 san, saniyədə 25 kadr" in page


def test_a_video_kiosks_cannot_play_is_refused_with_what_to_export_instead(
    library: Library, videos: dict[str, Path]
) -> None:
    data = videos["hevc"].read_bytes()
    refused = upload(library, "film.mp4", data, "video")
    assert refused.status_code == 422
    assert alert_of(refused.text).startswith("Bu video HEVC (H.265), 320x240, saniyədə 25 kadr")
    library.browser.cookies.set("gk_lang", "en")
    refused = upload(library, "film.mp4", data, "video")
    sentence = alert_of(refused.text)
    assert sentence.startswith("This video is HEVC (H.265), 320x240, 25 frames a second, 0:00 long;")
    assert "Export it again as H.264 MP4" in sentence
    assert library.items() == []
    assert not library.blob(sha256(data)).exists()
    assert list((library.fleet.server.data / "uploads").iterdir()) == []  # the temporary file is gone


def test_a_file_that_is_not_a_video_is_refused_whatever_its_name_says(library: Library) -> None:
    library.browser.cookies.set("gk_lang", "en")
    text = upload(library, "video.mp4", b"Dear colleagues, the video is attached.\n" * 50, "video")
    assert text.status_code == 415
    assert alert_of(text.text) == EN["media_not_what_it_says"].format(name="video.mp4", type="video/mp4")
    # An mp4's first bytes and nothing playable after them: only ffprobe can tell.
    fake = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + bytes(range(256)) * 40
    unreadable = upload(library, "fake.mp4", fake, "video")
    assert unreadable.status_code == 422
    assert alert_of(unreadable.text) == EN["media_unreadable_video"].format(name="fake.mp4")
    wrong_kind = upload(library, "notes.txt", b"hello", "icon")
    assert wrong_kind.status_code == 415
    assert "notes.txt" in alert_of(wrong_kind.text) and ".svg" in alert_of(wrong_kind.text)
    assert library.items() == []


def _send(library: Library, head: bytes, body: bytes) -> tuple[int, bytes]:
    """A raw POST that stops sending after ``body``: what the server answers without the rest."""
    cookie = "; ".join(f"{k}={v}" for k, v in library.browser.cookies.items())
    with socket.create_connection(("127.0.0.1", library.fleet.server.port), timeout=10) as connection:
        connection.sendall(head.replace(b"COOKIE", cookie.encode()) + body)
        answer = b""
        while chunk := connection.recv(65536):
            answer += chunk
    status = int(answer.split(b" ", 2)[1])
    return status, answer


def test_an_oversize_upload_is_refused_before_it_is_all_read(library: Library) -> None:
    csrf = csrf_of(library.browser.get(library.url, timeout=5).text)
    boundary = b"xyzzy"
    fields = (
        b'--xyzzy\r\nContent-Disposition: form-data; name="csrf"\r\n\r\n' + csrf.encode() + b"\r\n"
        b'--xyzzy\r\nContent-Disposition: form-data; name="kind"\r\n\r\nsubtitles\r\n'
        b'--xyzzy\r\nContent-Disposition: form-data; name="file"; filename="long.vtt"\r\n\r\nWEBVTT\n\n'
    )
    declared = len(fields) + 3 * MAX_SUBTITLE_BYTES  # 6 MiB announced, within the server's 8 MiB blobs
    head = (
        f"POST /console/channels/{library.channel}/media HTTP/1.1\r\n".encode()
        + b"Host: 127.0.0.1\r\nCookie: COOKIE\r\n"
        b"Content-Type: multipart/form-data; boundary=" + boundary + b"\r\n"
        b"Content-Length: " + str(declared).encode() + b"\r\n\r\n"
    )
    # Only a little over the subtitles' 2 MiB is sent: the answer comes without the other 4 MiB.
    status, answer = _send(library, head, fields + b"0" * (MAX_SUBTITLE_BYTES + 300_000))
    assert status == 413
    assert AZ["media_too_large"].format(limit="2").encode() in answer
    # Announced over every kind's limit: refused from the headers alone, no byte of the body read.
    head = head.replace(str(declared).encode(), str(64 << 20).encode())
    status, answer = _send(library, head, b"")
    assert status == 413 and AZ["media_too_large"].format(limit="8").encode() in answer
    assert library.items() == []
    assert list((library.fleet.server.data / "uploads").iterdir()) == []


@pytest.mark.parametrize(
    "body",
    [
        b"",  # no parts at all
        b'--xyzzy\r\nContent-Disposition: form-data; name="csrf"\r\n\r\nCSRF\r\n--xyzzy--\r\n',  # no file
        b'--xyzzy\r\nContent-Disposition: form-data; name="csrf"\r\n\r\nCSRF\r\n'
        b'--xyzzy\r\nContent-Disposition: form-data; name="file"; filename="a.svg"\r\n\r\n<svg',  # cut
        b"--other\r\n\x00\x01garbage",
        b"--xyzzy\r\n" + b"X-Long: " + b"a" * 10_000 + b"\r\n\r\n",  # a part header beyond bounds
        b'--xyzzy\r\nContent-Disposition: form-data; name="csrf"\r\n\r\n' + b"c" * 5000 + b"\r\n--xyzzy--",
    ],
)
def test_a_malformed_or_cut_form_is_refused_with_a_page_not_a_crash(library: Library, body: bytes) -> None:
    csrf = csrf_of(library.browser.get(library.url, timeout=5).text)
    response = library.browser.post(
        library.url,
        data=body.replace(b"CSRF", csrf.encode()),
        headers={"Content-Type": "multipart/form-data; boundary=xyzzy"},
        allow_redirects=False,
        timeout=10,
    )
    assert response.status_code == 400
    assert alert_of(response.text) in (AZ["media_bad_form"], AZ["media_no_file"])
    assert library.items() == []


def test_an_upload_that_stalls_is_given_up_with_a_page(
    library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(console_media, "STALL_SECONDS", 0.3)  # the server runs in this process
    csrf = csrf_of(library.browser.get(library.url, timeout=5).text)
    head = (
        f"POST /console/channels/{library.channel}/media HTTP/1.1\r\n".encode()
        + b"Host: 127.0.0.1\r\nCookie: COOKIE\r\nContent-Type: multipart/form-data; boundary=xyzzy\r\n"
        + b"Content-Length: 100000\r\n\r\n"
    )
    part = b'--xyzzy\r\nContent-Disposition: form-data; name="csrf"\r\n\r\n' + csrf.encode() + b"\r\n"
    status, answer = _send(library, head, part)  # and then nothing more: the answer comes anyway
    assert status == 408 and AZ["media_too_slow"].encode() in answer
    assert library.items() == []


def test_svg_and_png_pictures_are_accepted_and_previewed_from_their_blob(library: Library) -> None:
    icon = svg("tax office")
    assert upload(library, "vergi.svg", icon, "icon").status_code == 303
    png = SCREENSHOT.read_bytes()
    assert upload(library, "C:\\Users\\Aynur\\Desktop\\enerji.png", png, "poster").status_code == 303
    items = {item.name: item for item in library.items()}
    assert set(items) == {"vergi.svg", "enerji.png"}  # the folder of the uploader's PC is not kept
    assert (items["enerji.png"].width, items["enerji.png"].height) == (1920, 1080)
    assert (items["vergi.svg"].media_type, items["vergi.svg"].width) == ("image/svg+xml", None)
    assert {i.name for i in library.items("icon")} == {"vergi.svg", "enerji.png"}
    preview = library.browser.get(f"{library.url}/{sha256(png)}", timeout=5)
    assert preview.status_code == 200 and preview.content == png
    assert preview.headers["content-type"] == "image/png"
    assert "default-src 'none'" in preview.headers["content-security-policy"]  # an SVG runs no script
    page = library.browser.get(library.url, timeout=5).text
    assert f'src="/console/channels/{library.channel}/media/{sha256(icon)}"' in page and "1920x1080" in page


def test_the_same_file_uploaded_twice_is_one_item(library: Library) -> None:
    icon = svg("water")
    first = upload(library, "water.svg", icon, "icon")
    second = upload(library, "water-copy.svg", icon, "image")
    assert first.status_code == second.status_code == 303
    assert first.headers["location"] == second.headers["location"]
    [item] = library.items()
    assert (item.name, item.kind) == ("water.svg", "icon")


def test_a_file_a_release_uses_is_not_removed_and_an_unused_one_is(library: Library, tmp_path: Path) -> None:
    used, unused = svg("item 0 v1"), svg("not in any release")
    assert upload(library, "item-0.svg", used, "icon").status_code == 303
    assert upload(library, "spare.svg", unused, "icon").status_code == 303
    client = CentralClient(library.fleet.server.channel_url(library.channel), library.fleet.admin_token)
    publish_remote(simple_source(tmp_path / "source", count=1), library.fleet.key, client)  # names item-0.svg
    listed = library.browser.get(library.url, timeout=5).text
    shas = (sha256(used), sha256(unused))
    rows = {sha: listed.split(f'id="media-{sha}"')[1].split("</tr>")[0] for sha in shas}
    assert AZ["media_used"] in rows[sha256(used)] and "/remove" not in rows[sha256(used)]  # no button to fail
    assert AZ["media_used"] not in rows[sha256(unused)] and "/remove" in rows[sha256(unused)]
    csrf = csrf_of(listed)
    refused = library.browser.post(f"{library.url}/{sha256(used)}/remove", data={"csrf": csrf}, timeout=5)
    assert refused.status_code == 409
    assert alert_of(refused.text) == AZ["media_in_use"].format(name="item-0.svg", releases="1", drafts="—")
    assert library.blob(sha256(used)).is_file()
    removed = library.browser.post(
        f"{library.url}/{sha256(unused)}/remove", data={"csrf": csrf}, allow_redirects=False, timeout=5
    )
    assert removed.status_code == 303
    assert [i.name for i in library.items()] == ["item-0.svg"]
    assert not library.blob(sha256(unused)).exists()


def test_the_media_pages_need_a_login_and_their_forms_a_csrf_token(library: Library) -> None:
    anonymous = requests.get(library.url, allow_redirects=False, timeout=5)
    assert anonymous.status_code == 303 and anonymous.headers["location"].startswith("/console/login")
    stranger = requests.post(
        library.url, files={"file": ("a.svg", svg("a"))}, data={"kind": "icon"}, allow_redirects=False,
        timeout=5,
    )  # fmt: skip
    assert stranger.status_code == 303 and stranger.headers["location"] == "/console/login"
    forged = upload(library, "a.svg", svg("a"), "icon", csrf="not-the-token")
    assert forged.status_code == 403
    assert upload(library, "b.svg", svg("b"), "icon").status_code == 303
    sha = sha256(svg("b"))
    no_token = library.browser.post(f"{library.url}/{sha}/remove", data={}, timeout=5)
    assert no_token.status_code == 403
    assert [i.name for i in library.items()] == ["b.svg"]
    assert library.browser.get(library.url.removesuffix("/media"), timeout=5).text.count("/media") == 1


def test_a_probe_that_overruns_its_deadline_is_a_clean_refusal(
    library: Library, videos: dict[str, Path]
) -> None:
    central, work = library.central, library.fleet.server.data / "up"
    hurried = MediaLibrary(
        central.publishing, central.database, central.clock, work_dir=work, probe_seconds=1e-4
    )
    with pytest.raises(MediaUnplayable) as refused:
        hurried.add(library.channel, "clip.mp4", [videos["h264"].read_bytes()], kind="video", by="test")
    assert refused.value.reason == "unreadable_video"
    assert hurried.items(library.channel) == []


# --- the probe's parser, fed hostile answers ------------------------------------------------------
def answer(**stream: object) -> bytes:
    base: dict[str, object] = {
        "codec_name": "h264", "profile": "High", "pix_fmt": "yuv420p", "width": 1920, "height": 1080,
        "avg_frame_rate": "25/1", "r_frame_rate": "25/1", "duration": "12.5",
    }  # fmt: skip
    base.update(stream)
    return json.dumps({"streams": [{k: v for k, v in base.items() if v is not None}], "format": {}}).encode()


def test_the_probe_reads_a_playable_answer() -> None:
    facts = parse_video(answer(avg_frame_rate="30000/1001"))
    assert (facts.codec, facts.width, facts.height, facts.duration_s) == ("h264", 1920, 1080, 12.5)
    assert facts.frame_rate == pytest.approx(29.97, abs=0.01)
    assert video_problems(facts) == []
    assert video_problems(parse_video(answer(width=1080, height=1920))) == []  # upright screens


@pytest.mark.parametrize(
    "hostile",
    [
        b"",
        b"[]",
        b'{"streams": []}',
        b'{"streams": [42]}',
        answer(width=None),
        answer(width="1920"),
        answer(width=True),
        answer(width=10**400),
        answer(height=-1),
        answer(avg_frame_rate="0/0", r_frame_rate=None),
        answer(avg_frame_rate="1e400/1", r_frame_rate="nan"),
        answer(duration="NaN"),
        answer(duration="inf"),
        answer(duration="1e308"),
        answer(codec_name=None),
        answer(codec_name="h264\u001b[2J"),
        b'{"streams": [{"width": NaN}]}',
        b"[" * 100_000,
        b" " * 70_000,
    ],
)
def test_a_hostile_probe_answer_is_a_clean_probe_failure(hostile: bytes) -> None:
    with pytest.raises(ProbeFailed):
        parse_video(hostile)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=6),
    max_leaves=30,
)
stream_fields = st.fixed_dictionaries(
    {},
    optional={
        key: json_values | st.text(string.digits + "/.-e", max_size=12)
        for key in ("codec_name", "pix_fmt", "width", "height", "avg_frame_rate", "r_frame_rate", "duration")
    },
)


@settings(max_examples=60, deadline=None)
@given(stream=stream_fields, container=json_values)
def test_any_probe_answer_gives_facts_or_a_probe_failure(
    stream: dict[str, object], container: object
) -> None:
    raw = json.dumps({"streams": [stream], "format": container}).encode()
    try:
        facts = parse_video(raw)
    except ProbeFailed:
        return
    assert isinstance(facts, VideoFacts) and 0 < facts.frame_rate <= 1000 and 0 < facts.duration_s < 1e7
    assert isinstance(video_problems(facts), list)
    with contextlib.suppress(ProbeFailed):
        parse_image(raw)


@pytest.mark.parametrize(
    ("changes", "problems"),
    [
        ({"codec_name": "hevc", "width": 3840, "height": 2160}, ["codec", "size"]),
        ({"codec_name": "vp9"}, ["codec"]),
        ({"pix_fmt": "yuv420p10le", "profile": "High 10"}, ["pixels"]),
        ({"width": 2560, "height": 1440}, ["size"]),
        ({"width": 1440, "height": 1440}, ["size"]),
        ({"avg_frame_rate": "60/1"}, ["rate"]),
        ({"duration": "1801"}, ["length"]),
    ],
)
def test_what_kiosks_cannot_play_is_named(changes: dict[str, object], problems: list[str]) -> None:
    assert video_problems(parse_video(answer(**changes))) == problems


@pytest.mark.parametrize(
    ("given_name", "kept"),
    [
        ("../../etc/passwd.png", "passwd.png"),
        ("C:\\Users\\Aynur\\şəkil.png", "şəkil.png"),
        ("evil\u202egnp.svg", "evilgnp.svg"),
        ("", "file"),
        ("...", "file"),
        ("a\x00b\nc.vtt", "abc.vtt"),
        ("x" * 500 + ".mp4", "x" * 116 + ".mp4"),
    ],
)
def test_an_uploaded_name_is_a_label_never_a_path(given_name: str, kept: str) -> None:
    assert clean_name(given_name) == kept


def test_the_media_texts_have_the_same_keys_and_placeholders_in_both_languages() -> None:
    assert AZ.keys() == EN.keys()

    def fields(text: str) -> set[str]:
        return {name for _text, name, _spec, _conv in string.Formatter().parse(text) if name}

    for key in AZ:
        assert fields(AZ[key]) == fields(EN[key]), key


def test_an_uploaded_svg_served_as_a_channel_file_is_sandboxed(library: Library) -> None:
    """Channel files share the console's origin: opened in a browser, a scripted SVG must stay inert."""
    scripted = svg("icon").replace(b"</svg>", b"<script>fetch('/console/accounts')</script></svg>")
    assert upload(library, "scripted.svg", scripted, "icon").status_code == 303
    url = f"{library.fleet.server.channel_url(library.channel)}/blobs/{sha256(scripted)}"
    served = requests.get(url, timeout=5)
    assert served.status_code == 200 and served.content == scripted
    assert "sandbox" in served.headers["content-security-policy"]
    assert served.headers["x-content-type-options"] == "nosniff"
