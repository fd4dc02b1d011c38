"""The console's preview over real HTTP: a draft drawn by the kiosk's own renderer in a child process.

One real render (one language, one orientation) is the only Qt child of this file; the queue, the
deadline and failures are driven by a stand-in renderer (a shell script the test releases), and the
cache bound by folders of bytes.
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import socket
import string
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
import requests
from PySide6.QtGui import QImage

from central.cli import load_settings
from central.console import BAKU
from central.console_preview_text import PREVIEW_TEXTS
from central.console_text import TEXTS
from central.preview import Previews, PreviewSettings, Variant
from tests.central.conftest import Fleet
from tests.central.test_api import published
from tests.central.test_console import PASSWORD, csrf_of, log_in

ANNOUNCEMENT = {
    "az": "Mərkəz bu gün 17:00-dək işləyir",
    "en": "Open until 17:00 today",
    "ru": "Сегодня до 17:00",
}


@pytest.fixture
def console(fleet: Fleet) -> Iterator[Fleet]:
    fleet.central.accounts.add_user("admin", PASSWORD)
    yield fleet
    fleet.server.app.state.console.previews.wait_idle(30)


def use_previews(fleet: Fleet, settings: PreviewSettings) -> Previews:
    previews = Previews(fleet.server.data / "previews", settings)
    fleet.server.app.state.console.previews = previews
    return previews


def announcement_draft(fleet: Fleet, tmp_path: Path, browser: requests.Session) -> int:
    """Release 1 with two cards, then an info announcement proposed through the console's form."""
    published(fleet, tmp_path, count=2)
    url = fleet.server.url
    form = browser.get(f"{url}/console/announcements", timeout=5).text
    now = datetime.now(BAKU).replace(second=0, microsecond=0, tzinfo=None)
    data = {
        "csrf": csrf_of(form), "channel": "main", "level": "info", **ANNOUNCEMENT,
        "starts": now.isoformat(), "ends": (now + timedelta(hours=3)).isoformat(),
    }  # fmt: skip
    browser.post(f"{url}/console/announcements", data=data, timeout=5).raise_for_status()
    [draft] = fleet.central.drafts("main")
    return int(draft["id"])


def distinct_colours(image: QImage, step: int = 16) -> int:
    return len(
        {image.pixel(x, y) for x in range(0, image.width(), step) for y in range(0, image.height(), step)}
    )


def test_a_draft_is_drawn_by_the_kiosk_renderer_served_and_then_kept(console: Fleet, tmp_path: Path) -> None:
    previews = use_previews(console, PreviewSettings(python=Path(sys.executable)))
    browser = log_in(console)
    draft = announcement_draft(console, tmp_path, browser)
    channel = browser.get(f"{console.server.url}/console/channels/main", timeout=5).text
    link = f"/console/channels/main/drafts/{draft}/preview"
    assert f'href="{link}"' in channel and TEXTS["az"]["preview_link"] in channel

    page_url = f"{console.server.url}{link}?lang=en&screen=landscape"
    asked = browser.get(page_url, timeout=10)
    assert asked.status_code == 200
    assert '<meta http-equiv="refresh"' in asked.text  # "rendering…" until the pictures are there
    assert previews.wait_idle(120)
    page = browser.get(page_url, timeout=10)
    assert page.status_code == 200 and '<meta http-equiv="refresh"' not in page.text
    pictures = re.findall(r'<a href="(/console/previews/[0-9a-f]{64}/en-landscape/[^"]+)"', page.text)
    names = [p.rsplit("/", 1)[1] for p in pictures]
    assert names[:3] == ["energy_en_1920x1080.png", "video_en_1920x1080.png", "services_en_1920x1080.png"]
    assert {"service-item-0_en_1920x1080.png", "service-item-1_en_1920x1080.png"} <= set(names)
    [notice] = [n for n in names if n.startswith("announcement-console-")]  # the draft's announcement
    assert "Open until 17:00 today" in page.text and "Title item-1" in page.text
    images = {}
    for path in pictures:
        served = browser.get(f"{console.server.url}{path}", timeout=5)
        assert served.status_code == 200 and served.headers["content-type"] == "image/png"
        image = QImage.fromData(served.content, "PNG")
        assert (image.width(), image.height()) == (1920, 1080), path
        assert distinct_colours(image) > 20, f"{path} looks blank"
        images[path.rsplit("/", 1)[1]] = served.content
    assert images[notice] != images["energy_en_1920x1080.png"]  # the band is drawn over the section
    assert len(set(images.values())) == len(images), "every view is its own picture"
    assert previews.renders == 1

    # The page shows small JPEGs, each linking to its full picture: a phone loads kilobytes, not 40 MB.
    shown = re.findall(r'<a href="([^"]+)"[^>]*><img src="([^"]+)"[^>]*width="480" height="270"', page.text)
    assert [full for full, _ in shown] == pictures
    thumbnail_bytes = 0
    for full, small in shown:
        assert small == full.removesuffix(".png") + ".jpg"
        served = browser.get(f"{console.server.url}{small}", timeout=5)
        assert served.status_code == 200 and served.headers["content-type"] == "image/jpeg"
        assert len(served.content) < 100_000, small
        image = QImage.fromData(served.content, "JPG")
        assert (image.width(), image.height()) == (480, 270) and distinct_colours(image, 8) > 20, small
        thumbnail_bytes += len(served.content)
    assert thumbnail_bytes * 4 < sum(len(png) for png in images.values())

    again = browser.get(page_url, timeout=10)
    assert again.status_code == 200 and again.text.count("/console/previews/") == page.text.count(
        "/console/previews/"
    )
    assert previews.renders == 1, "the second request was served from the cache, with no child run"
    assert not any(previews.cache_dir.glob("render-*")), "the child's working folder is removed"

    other = requests.get(f"{console.server.url}{pictures[0]}", timeout=5, allow_redirects=False)
    assert other.status_code == 303 and "/console/login" in other.headers["location"]
    page_anonymous = requests.get(page_url, timeout=5, allow_redirects=False)
    assert page_anonymous.status_code == 303


def test_a_server_without_a_renderer_says_how_to_enable_it(console: Fleet, tmp_path: Path) -> None:
    use_previews(console, PreviewSettings(search=False))
    browser = log_in(console)
    browser.get(f"{console.server.url}/console/lang/en", timeout=5)
    draft = announcement_draft(console, tmp_path, browser)
    for link in (f"drafts/{draft}/preview", "releases/1/preview?screen=portrait"):
        page = browser.get(f"{console.server.url}/console/channels/main/{link}", timeout=5)
        assert page.status_code == 503
        assert "Preview is not installed on this server" in page.text
        assert "./central.sh --data DIR serve --preview" in page.text
    missing = tmp_path / "no-such-python"
    use_previews(console, PreviewSettings(python=missing))
    page = browser.get(f"{console.server.url}/console/channels/main/drafts/{draft}/preview", timeout=5)
    assert page.status_code == 503 and f"[preview] python = {missing}: no such file" in page.text


def test_hostile_ids_languages_and_picture_names_are_refused_plainly(console: Fleet, tmp_path: Path) -> None:
    use_previews(console, PreviewSettings(search=False))
    browser = log_in(console)
    draft = announcement_draft(console, tmp_path, browser)
    base = f"{console.server.url}/console"
    sha = "a" * 64
    expected = {
        f"/channels/main/drafts/{draft}/preview?lang=de": 400,
        f"/channels/main/drafts/{draft}/preview?screen=sideways": 400,
        f"/channels/main/drafts/{draft}/preview?lang=%3Cscript%3E": 400,
        "/channels/main/drafts/abc/preview": 404,
        "/channels/main/drafts/-1/preview": 404,
        "/channels/main/drafts/0/preview": 404,
        "/channels/main/drafts/99/preview": 404,
        "/channels/main/drafts/１/preview": 404,  # a full-width digit
        "/channels/main/drafts/99999999999999999999/preview": 404,
        f"/channels/nope/drafts/{draft}/preview": 404,
        "/channels/main/releases/7/preview": 404,
        "/channels/main/releases/1e3/preview": 404,
        "/previews/zz/en-landscape/energy_en_1920x1080.png": 404,
        f"/previews/{sha}/en-landscape/energy_en_1920x1080.png": 404,
        f"/previews/{sha}/de-landscape/energy_en_1920x1080.png": 404,
        f"/previews/{sha}/en-landscape/preview.json": 404,
    }
    for path, status in expected.items():
        answer = browser.get(base + path, timeout=5)
        assert answer.status_code == status, (path, answer.status_code)
        assert "<h1>" in answer.text, path  # the console's own page, never a traceback
    # A path that climbs out matches no route at all: the application's plain 404.
    climbing = browser.get(f"{base}/previews/{sha}/en-landscape/..%2F..%2F..%2Fcentral.db", timeout=5)
    assert climbing.status_code == 404 and climbing.json() == {"error": "Not Found"}
    assert use_previews(console, PreviewSettings(search=False)).renders == 0


def stand_in_renderer(tmp_path: Path) -> tuple[Path, Path]:
    """A "python" that passes the probe, then holds every render until the test creates ``release``."""
    release = tmp_path / "release"
    script = tmp_path / "renderer.sh"
    script.write_text(
        "#!/bin/sh\n"
        '[ "$1" = -c ] && exit 0\n'
        f'while [ ! -e "{release}" ]; do sleep 0.02; done\n'
        'echo "the stand-in renderer draws nothing" >&2\n'
        "exit 3\n",
        encoding="utf-8",
    )
    script.chmod(0o755)
    return script, release


def test_one_render_at_a_time_a_short_queue_then_busy_and_failures_said(
    console: Fleet, tmp_path: Path
) -> None:
    script, release = stand_in_renderer(tmp_path)
    previews = use_previews(console, PreviewSettings(python=script))
    browser = log_in(console)
    browser.get(f"{console.server.url}/console/lang/en", timeout=5)
    draft = announcement_draft(console, tmp_path, browser)
    base = f"{console.server.url}/console/channels/main/drafts/{draft}/preview"
    texts = PREVIEW_TEXTS["en"]
    answers = []
    for lang in ("az", "en", "ru"):
        for screen in ("landscape", "portrait"):
            answers.append(browser.get(f"{base}?lang={lang}&screen={screen}", timeout=5))
    assert [a.status_code for a in answers] == [200] * 5 + [503]  # one rendering, four waiting, then busy
    assert texts["preview_busy"] in answers[-1].text and answers[-1].headers["Retry-After"] == "30"
    assert texts["preview_rendering"] in answers[0].text  # nothing ahead of it
    assert texts["preview_queued"] in answers[2].text and '<meta http-equiv="refresh"' in answers[2].text
    release.touch()
    assert previews.wait_idle(30)
    failed = browser.get(f"{base}?lang=az", timeout=5)
    assert failed.status_code == 200 and "the stand-in renderer draws nothing" in failed.text
    assert '<meta http-equiv="refresh"' not in failed.text
    assert previews.renders == 5  # a failure is not tried again at once: the reload started no child
    assert not any(previews.cache_dir.glob("*/az-landscape"))


def test_a_render_past_its_deadline_is_stopped(console: Fleet, tmp_path: Path) -> None:
    script, _never = stand_in_renderer(tmp_path)
    previews = use_previews(console, PreviewSettings(python=script, timeout_seconds=1))
    browser = log_in(console)
    browser.get(f"{console.server.url}/console/lang/en", timeout=5)
    draft = announcement_draft(console, tmp_path, browser)
    page = f"{console.server.url}/console/channels/main/drafts/{draft}/preview"
    browser.get(page, timeout=5)
    assert previews.wait_idle(30)
    assert "was not rendered within 1 seconds" in browser.get(page, timeout=5).text


def process_gone(pid: int) -> bool:
    """No such process, or only its exit status left (a zombie nobody in this container reaps)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
    except FileNotFoundError:
        return True


def wait_for_file(path: Path, server: subprocess.Popen[str], timeout: float = 30) -> str:
    deadline = time.monotonic() + timeout
    while not path.exists():
        assert time.monotonic() < deadline and server.poll() is None, f"{path.name} never came"
        time.sleep(0.05)  # another process writes it: nothing to wait on but the file
    return path.read_text(encoding="utf-8").strip()


def test_stopping_the_server_ends_a_render_under_way_with_what_it_started(
    fleet: Fleet, tmp_path: Path
) -> None:
    published(fleet, tmp_path, count=2)
    fleet.central.accounts.add_user("admin", PASSWORD)
    fleet.server.stop()  # the same data, served by `python -m central serve` as IT runs it
    pids = tmp_path / "pids"
    pids.mkdir()
    script = tmp_path / "renderer.sh"
    script.write_text(
        "#!/bin/sh\n"
        '[ "$1" = -c ] && exit 0\n'  # the probe: "has the kiosk's packages"
        f'echo $$ > "{pids}/child.tmp" && mv "{pids}/child.tmp" "{pids}/child"\n'
        "sleep 300 &\n"  # something the renderer started, as Qt's helpers would be
        f'echo $! > "{pids}/grandchild.tmp" && mv "{pids}/grandchild.tmp" "{pids}/grandchild"\n'
        "wait\n",
        encoding="utf-8",
    )
    script.chmod(0o755)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config = tmp_path / "central.toml"
    config.write_text(
        f'[server]\ndata = "{fleet.server.data}"\nport = {port}\n[preview]\npython = "{script}"\n',
        encoding="utf-8",
    )
    server = subprocess.Popen(
        [sys.executable, "-m", "central", "--config", str(config), "serve"],
        cwd=Path(__file__).resolve().parents[2],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    started: list[int] = []
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        browser = requests.Session()
        while True:
            try:
                form = browser.get(f"{url}/console/login", timeout=2)
                break
            except requests.ConnectionError:
                assert time.monotonic() < deadline and server.poll() is None, "the server did not start"
                time.sleep(0.1)  # the process is starting: nothing to wait on but the port
        login = {"csrf": csrf_of(form.text), "name": "admin", "password": PASSWORD}
        assert browser.post(f"{url}/console/login", data=login, timeout=10).status_code == 200
        asked = browser.get(f"{url}/console/channels/main/releases/1/preview", timeout=10)
        assert asked.status_code == 200 and '<meta http-equiv="refresh"' in asked.text
        started.append(int(wait_for_file(pids / "child", server)))
        started.append(int(wait_for_file(pids / "grandchild", server)))
        assert not any(process_gone(pid) for pid in started)
        server.terminate()
        server.wait(20)
        assert server.stderr is not None
        log = server.stderr.read()
        child, grandchild = started
        assert process_gone(child), f"the renderer outlived the server:\n{log[-2000:]}"
        assert process_gone(grandchild), "what the renderer started outlived the server"
    finally:
        if server.poll() is None:
            server.kill()
            server.wait(10)
        for pid in started:  # a failed run leaves nothing behind
            if not process_gone(pid):
                os.kill(pid, signal.SIGKILL)


def test_a_preview_kept_from_before_thumbnails_is_drawn_again(tmp_path: Path) -> None:
    previews = Previews(tmp_path / "previews", PreviewSettings(search=False))
    variant = Variant("en", "portrait")
    folder = previews.folder("d" * 64, variant)
    folder.mkdir(parents=True)
    (folder / "energy_en_1080x1920.png").write_bytes(b"\0" * 100)
    (folder / "preview.json").write_text('{"files": ["energy_en_1080x1920.png"], "seconds": 1}')
    assert previews.image("d" * 64, variant, "energy_en_1080x1920.png") is None
    (folder / "preview.json").write_text(
        '{"files": ["energy_en_1080x1920.png"], "thumbnails": [], "seconds": 1}'
    )
    assert previews.image("d" * 64, variant, "energy_en_1080x1920.png") == folder / "energy_en_1080x1920.png"
    assert previews.image("d" * 64, variant, "energy_en_1080x1920.jpg") is None  # not in its list


def test_the_cache_keeps_the_most_recently_seen_previews_within_its_bound(tmp_path: Path) -> None:
    previews = Previews(tmp_path / "previews", PreviewSettings(search=False, cache_mb=10))
    variant = Variant("az", "landscape")
    for age, sha in enumerate(("c" * 64, "b" * 64, "a" * 64)):  # c the oldest
        folder = previews.folder(sha, variant)
        folder.mkdir(parents=True)
        (folder / "energy_az_1920x1080.png").write_bytes(b"\0" * (4 << 20))
        (folder / "preview.json").write_text(
            '{"files": ["energy_az_1920x1080.png"], "thumbnails": [], "seconds": 1}'
        )
        os.utime(folder, (1_000_000 + age, 1_000_000 + age))
    assert previews.image("c" * 64, variant, "energy_az_1920x1080.png") is not None
    os.utime(previews.folder("c" * 64, variant))  # seen now
    left = previews.cache_dir / "render-left-by-a-stopped-server"
    (left / "out").mkdir(parents=True)
    os.utime(left, (1_000_000, 1_000_000))
    busy = previews.cache_dir / "render-now"
    busy.mkdir()
    previews.trim()
    assert not left.exists() and busy.exists()
    kept = sorted(p.parent.name[:1] for p in previews.cache_dir.glob("*/az-landscape"))
    assert kept == ["a", "c"]  # b, the least recently seen, went; 8 MB are within 10 MB
    assert not (previews.cache_dir / ("b" * 64)).exists()


def test_preview_words_exist_in_both_languages_with_the_same_placeholders() -> None:
    az, en = PREVIEW_TEXTS["az"], PREVIEW_TEXTS["en"]
    assert sorted(az) == sorted(en)
    fields = string.Formatter()
    for key in az:
        assert az[key].strip() and en[key].strip(), key
        assert {f for _, f, _, _ in fields.parse(az[key]) if f} == {
            f for _, f, _, _ in fields.parse(en[key]) if f
        }, key


def test_the_config_names_the_preview_python_and_refuses_nonsense(tmp_path: Path) -> None:
    config = tmp_path / "central.toml"
    config.write_text(
        '[server]\ndata = "data"\n[preview]\npython = "kiosk-venv/bin/python"\ntimeout_seconds = 60\n',
        encoding="utf-8",
    )
    settings = load_settings(argparse.Namespace(config=str(config), command="serve"))
    assert settings.preview == PreviewSettings(python=tmp_path / "kiosk-venv/bin/python", timeout_seconds=60)
    for table, message in (
        ("pyhton = 'x'", "[preview] pyhton: unknown key"),
        ("timeout_seconds = 0", "[preview] timeout_seconds: expected 10 to 3600, not 0"),
        ("cache_mb = true", "[preview] cache_mb: expected int"),
        ("python = 3", "[preview] python: expected str"),
    ):
        config.write_text(f'[server]\ndata = "data"\n[preview]\n{table}\n', encoding="utf-8")
        with pytest.raises(SystemExit, match=re.escape(message)):
            load_settings(argparse.Namespace(config=str(config), command="serve"))


def test_a_preview_without_a_language_opens_in_the_readers_console_language(
    console: Fleet, tmp_path: Path
) -> None:
    use_previews(console, PreviewSettings(search=False))
    browser = log_in(console)
    draft = announcement_draft(console, tmp_path, browser)
    url = f"{console.server.url}/console/channels/main/drafts/{draft}/preview"

    def chosen(page: str) -> str:
        nav = page.split('<nav class="preview-choices"')[1].split("</nav>")[0]
        [lang] = re.findall(r'class="choice" aria-current="page">([A-Z]{2})</a>', nav)
        return lang

    assert chosen(browser.get(url, timeout=5).text) == "AZ"  # az, the console's default
    browser.get(f"{console.server.url}/console/lang/en", timeout=5)
    assert chosen(browser.get(url, timeout=5).text) == "EN"
    release = f"{console.server.url}/console/channels/main/releases/1/preview"
    assert chosen(browser.get(release, timeout=5).text) == "EN"
    assert chosen(browser.get(f"{url}?lang=ru", timeout=5).text) == "RU"  # the kiosk's third language
