"""An administrator's day in headless Chromium, end to end, with a real kiosk process on the same server.

Upload an icon and an H.264 video, edit a service in az/en/ru and the campaign video, preview the draft
with the kiosk's renderer, approve it with ``kioskctl approve``, see it arrive on a running kiosk
(``main.py`` offscreen) by push; discard a second draft; announce and end the announcement early;
then export proof of play as CSV and compare it with the plays that kiosk really reported.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import pytest

from central.preview import Previews, PreviewSettings
from tests.central.conftest import Fleet
from tests.central.kiosk_fixtures import kiosk_settings
from tests.central.test_api import published
from tests.central.test_console_browser import CHROMIUM_ARGS, PASSWORD, chromium_path
from tests.conftest import REPO_ROOT
from tests.media import make_clip

playwright = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed")

KIOSK = "baku-1-lobby"
SERVICE = "solar-roof"
VIDEO = "campaign"
ICON = REPO_ROOT / "resources" / "demo" / "icons" / "solar-panel.svg"
TITLES = {
    "az": "Damda günəş panelləri: ərizə və məsləhət",
    "en": "Solar panels on your roof: apply and get advice",
    "ru": "Солнечные панели на крыше: заявка и консультация",
}
SUMMARIES = {
    "az": "Evinizin damı üçün günəş paneli.",
    "en": "A solar plant for your home's roof.",
    "ru": "Солнечная станция для крыши вашего дома.",
}
VIDEO_TITLES = {"az": "Yaşıl enerji həftəsi", "en": "Green energy week", "ru": "Неделя зелёной энергии"}
NOTICE = {
    "az": "Mərkəz bu gün 17:00-dək işləyir",
    "en": "Open until 17:00 today",
    "ru": "Сегодня до 17:00",
}
BAKU_OFFSET = timedelta(hours=4)  # Asia/Baku keeps +04:00 all year
Event = tuple[str, str, str, float | None]
"""A play event as the server stored it: kind, section, item, seconds."""


@pytest.fixture(scope="session")
def campaign_clip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real 2 s 320x240 H.264 clip, made by ffmpeg once per session."""
    return make_clip(tmp_path_factory.mktemp("e2e-media") / "kampaniya.mp4", seconds=2.0)


@dataclass
class Timings:
    """Seconds per step, printed at the end for the person reading the test's output."""

    started: float = field(default_factory=time.monotonic)
    marks: dict[str, float] = field(default_factory=dict)
    _last: float = field(default_factory=time.monotonic)

    def mark(self, step: str) -> None:
        now = time.monotonic()
        self.marks[step] = round(now - self._last, 2)
        self._last = now

    def report(self) -> str:
        total = round(time.monotonic() - self.started, 2)
        return ", ".join(f"{k} {v} s" for k, v in self.marks.items()) + f"; total {total} s"


def wait_for(
    condition: Callable[[], Any], seconds: float, what: str, details: Callable[[], str] = lambda: ""
) -> Any:
    """Poll ``condition`` until it returns something true, or fail saying ``what`` did not happen."""
    deadline = time.monotonic() + seconds
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} did not happen within {seconds} s\n{details()}")
        time.sleep(0.05)  # a poll interval: the condition is what is waited for


class KioskProcess:
    """``main.py`` run as its service runs it (offscreen), with its own config and data folder."""

    def __init__(self, fleet: Fleet, folder: Path) -> None:
        settings = kiosk_settings(
            fleet, folder / "config", heartbeat_seconds=10, extra="[display]\nidle_seconds = 5\n"
        )  # reports every 10 s (the least allowed); idle, and so the attract loop, after 5 s
        assert settings.path is not None
        self.data = folder / "data"
        env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
        for name in ("NOTIFY_SOCKET", "WATCHDOG_USEC", "INVOCATION_ID", "GREEN_KIOSK_ADMIN_TOKEN"):
            env.pop(name, None)
        command = [sys.executable, str(REPO_ROOT / "main.py"), "--config", str(settings.path)]
        command += ["--data-dir", str(self.data)]
        self.process = subprocess.Popen(
            command, env=env, cwd=folder, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )

    def log(self) -> str:
        path = self.data / "logs" / "kiosk.log"
        return path.read_text(encoding="utf-8") if path.exists() else ""

    def active(self) -> tuple[int, dict[str, Any], datetime] | None:
        """The active release in the kiosk's own store (read-only, as ``kioskctl status`` would)."""
        store = self.data / "kiosk.db"
        if not store.exists():
            return None
        try:
            with sqlite3.connect(f"file:{store}?mode=ro", uri=True, timeout=5) as db:
                row = db.execute(
                    "SELECT release_number, document, installed_at FROM content_release WHERE active"
                ).fetchone()
        except sqlite3.OperationalError:
            return None  # created but not migrated yet
        if row is None:
            return None
        return int(row[0]), json.loads(row[1]), datetime.fromisoformat(row[2]).replace(tzinfo=UTC)

    def alive(self) -> bool:
        return self.process.poll() is None

    def stop(self) -> int:
        """Stop it as systemd does (SIGTERM) and wait for it to end."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                return self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(30)
        return self.process.returncode


@pytest.fixture
def kiosk(fleet: Fleet, tmp_path: Path) -> Iterator[KioskProcess]:
    published(fleet, tmp_path, count=2)  # release 1: the kiosk starts from a signed release
    running = KioskProcess(fleet, tmp_path / "kiosk")
    try:
        yield running
    finally:
        running.stop()


def kioskctl_approve(fleet: Fleet, tmp_path: Path, draft: int) -> subprocess.CompletedProcess[str]:
    """The key holder's command, run as a separate program, as on the key holder's own computer."""
    token = tmp_path / "admin.token"
    token.write_text(fleet.admin_token, encoding="utf-8")
    token.chmod(0o600)
    env = {k: v for k, v in os.environ.items() if k != "GREEN_KIOSK_ADMIN_TOKEN"}
    return subprocess.run(
        [sys.executable, "-m", "kiosk.cli", "approve", fleet.server.channel_url(), "--key", str(fleet.key),
         "--token-file", str(token), "--draft", str(draft), "--yes"],
        capture_output=True, text=True, timeout=60, cwd=REPO_ROOT, env=env, stdin=subprocess.DEVNULL,
    )  # fmt: skip


def choose_media(page: playwright.Page, field: str, file_name: str) -> None:
    """Pick the library file ``file_name`` in a media field (its option reads "name · type · size …")."""
    select = page.locator(f'select[name="{field}"]')
    value = select.locator("option").filter(has_text=file_name).first.get_attribute("value")
    assert value, f"{file_name} is not offered for {field}"
    select.select_option(value)


def test_an_admin_edits_previews_approves_announces_and_reports_with_a_live_kiosk(
    fleet: Fleet, kiosk: KioskProcess, campaign_clip: Path, tmp_path: Path
) -> None:
    executable = chromium_path()
    if executable is None:
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    timings = Timings()
    fleet.central.accounts.add_user("admin", PASSWORD)
    fleet.server.app.state.console.previews = Previews(
        fleet.server.data / "previews", PreviewSettings(python=Path(sys.executable))
    )
    url = fleet.server.url
    expect = playwright.expect
    with playwright.sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1366, "height": 768}, accept_downloads=True)
        context.set_default_timeout(10_000)
        page = context.new_page()

        # 1. Log in, in English.
        page.goto(f"{url}/console/lang/en?next=/console/channels/main")
        page.get_by_label("User name").fill("admin")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Log in").click()
        expect(page.get_by_role("link", name="Media library")).to_be_visible()
        timings.mark("browser+login")

        # 2. Upload an icon and a video through the media library.
        page.get_by_role("link", name="Media library").click()
        for kind, path in (("icon", ICON), ("video", campaign_clip)):
            page.locator('select[name="kind"]').select_option(kind)
            page.locator('input[name="file"]').set_input_files(str(path))
            page.get_by_role("button", name="Upload", exact=True).click()
            expect(page.get_by_role("status")).to_have_text(f"Uploaded: {path.name}")
        expect(page.locator("table.media tbody tr").filter(has_text=campaign_clip.name)).to_contain_text(
            "H.264, 320x240"
        )
        timings.mark("upload")

        # 3. A new featured service in three languages with the icon; the campaign video; a short loop.
        page.goto(f"{url}/console/channels/main/content")
        page.get_by_role("link", name="Add a service card").click()
        page.locator('input[name="id"]').fill(SERVICE)
        page.locator('input[name="featured"]').check()
        page.locator('input[name="url"]').fill("https://www.e-gov.az/solar-roof")
        for lang in TITLES:
            page.locator(f'input[name="title.{lang}"]').fill(TITLES[lang])
            page.locator(f'textarea[name="summary.{lang}"]').fill(SUMMARIES[lang])
            page.locator(f'textarea[name="body.{lang}"]').fill(f"{SUMMARIES[lang]}\n{TITLES[lang]}")
        choose_media(page, "icon", ICON.name)
        page.get_by_role("button", name="Save").click()
        expect(page.locator(f"#service-{SERVICE}")).to_contain_text(TITLES["en"])

        page.get_by_role("link", name="Add a video").click()
        page.locator('input[name="id"]').fill(VIDEO)
        choose_media(page, "file", campaign_clip.name)
        for lang in VIDEO_TITLES:
            page.locator(f'input[name="title.{lang}"]').fill(VIDEO_TITLES[lang])
        page.get_by_role("button", name="Save").click()
        expect(page.locator(f"#video-{VIDEO}")).to_contain_text(VIDEO_TITLES["en"])

        page.get_by_role("link", name="Change the channel name and attract loop").click()
        steps = page.locator('select[name^="sequence."]')
        for i in range(steps.count()):
            steps.nth(i).select_option(["video", "featured"][i] if i < 2 else "")
        page.locator('input[name="video_seconds"]').fill("3")
        page.locator('input[name="featured_seconds"]').fill("3")
        page.get_by_role("button", name="Save").click()

        page.get_by_label("Note", exact=False).fill("Solar roof card and the green energy week video")
        page.get_by_role("button", name="Propose as draft").click()
        expect(page.get_by_role("heading", name="Draft 1 → release 2")).to_be_visible()
        timings.mark("edit+propose")

        # 4. Preview with the kiosk's renderer.
        page.get_by_role("link", name="Preview: as kiosks will show it").click()
        shot = page.locator(f'img[alt="{TITLES["en"]} (featured: shown by the attract loop)"]')
        expect(shot).to_be_visible(timeout=60_000)  # the page reloads itself until the render is done
        # a thumbnail of the kiosk's 1920-px picture, linking to the full picture
        page.wait_for_function("img => img.complete && img.naturalWidth == 480", arg=shot.element_handle())
        full = page.request.get(urljoin(page.url, page.locator("a", has=shot).get_attribute("href") or ""))
        assert (
            full.ok
            and full.headers["content-type"] == "image/png"
            and full.body()[16:20] == (1920).to_bytes(4)
        )
        timings.mark("preview")

        # 5. The key holder approves from the command line; 6. the running kiosk has it within seconds.
        wait_for(lambda: kiosk_release(kiosk) == 1, 30, "the kiosk's first sync (release 1)")
        wait_for(lambda: fleet.server.app.state.hub.connections >= 1, 10, "the kiosk listening for pushes")
        timings.mark("kiosk ready")
        asked = time.monotonic()
        approved = kioskctl_approve(fleet, tmp_path, 1)
        command_seconds = time.monotonic() - asked
        assert approved.returncode == 0, approved.stdout + approved.stderr
        assert "published as release 2" in approved.stdout
        wait_for(lambda: kiosk_release(kiosk) == 2, 5, "release 2 on the kiosk")
        to_kiosk = time.monotonic() - asked
        [release_2] = [r for r in fleet.central.releases("main") if r["release"] == 2]
        push_seconds = (
            kiosk_active(kiosk)[2] - datetime.fromisoformat(release_2["published_at"])
        ).total_seconds()
        assert 0 <= push_seconds < 5, push_seconds
        timings.mark("approve+push")
        check_new_content_on_kiosk(kiosk, campaign_clip)

        # 7. A second draft is discarded in the browser and can no longer be signed.
        page.goto(f"{url}/console/channels/main/content/services/{SERVICE}")
        page.locator('input[name="title.en"]').fill("A title nobody should see")
        page.get_by_role("button", name="Save").click()
        page.get_by_label("Note", exact=False).fill("A mistake")
        page.get_by_role("button", name="Propose as draft").click()
        expect(page.get_by_role("heading", name="Draft 2 → release 3")).to_be_visible()
        page.get_by_role("button", name="Discard the draft").click()
        expect(page.get_by_text("No drafts are waiting for approval.")).to_be_visible()
        refused = kioskctl_approve(fleet, tmp_path, 2)
        assert refused.returncode != 0 and "draft 2 is not waiting for approval" in refused.stderr, (
            refused.stderr
        )
        assert "nothing was signed" in refused.stderr
        assert "published" not in refused.stdout and fleet.central.channel_release("main") == 2
        timings.mark("discard")

        # 8. An announcement, approved, then ended early and approved again.
        page.get_by_role("link", name="Announcements").click()
        now = datetime.now(UTC).replace(second=0, microsecond=0) + BAKU_OFFSET
        page.locator('select[name="channel"]').select_option("main")
        page.locator('input[name="level"][value="info"]').check()
        for lang, text in NOTICE.items():
            page.locator(f'textarea[name="{lang}"]').fill(text)
        page.locator('input[name="starts"]').fill(now.strftime("%Y-%m-%dT%H:%M"))
        page.locator('input[name="ends"]').fill((now + timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M"))
        page.get_by_role("button", name="Prepare the draft").click()
        expect(page.get_by_role("heading", name="Draft 3 → release 3")).to_be_visible()
        approved = kioskctl_approve(fleet, tmp_path, 3)
        assert approved.returncode == 0, approved.stdout + approved.stderr
        wait_for(lambda: kiosk_release(kiosk) == 3, 10, "release 3 (the announcement) on the kiosk")
        [notice] = kiosk_content(kiosk)["announcements"]
        assert notice["text"] == NOTICE and parse_time(notice["ends"]) > datetime.now(UTC)

        page.get_by_role("link", name="Announcements").click()
        before_end = datetime.now(UTC).replace(microsecond=0)
        page.get_by_role("button", name="End now").click()
        expect(page.get_by_role("heading", name="Draft 4 → release 4")).to_be_visible()
        after_end = datetime.now(UTC)
        approved = kioskctl_approve(fleet, tmp_path, 4)
        assert approved.returncode == 0, approved.stdout + approved.stderr
        wait_for(lambda: kiosk_release(kiosk) == 4, 10, "release 4 (the announcement ended) on the kiosk")
        [ended] = kiosk_content(kiosk)["announcements"]
        assert ended["id"] == notice["id"] and before_end <= parse_time(ended["ends"]) <= after_end
        timings.mark("announce+end")

        # 9. The plays this kiosk really reported, against the CSV the console exports.
        def reported() -> list[Event] | None:
            events = reported_events(fleet)
            kinds = {(kind, item) for kind, _section, item, _seconds in events}
            return events if {("video", VIDEO), ("service", SERVICE)} <= kinds else None

        wait_for(
            reported, 30, "the kiosk reporting a play of the new video and of the new card",
            lambda: f"reported: {reported_events(fleet)}\nkiosk log:\n{kiosk.log()[-3000:]}",
        )  # fmt: skip
        assert kiosk.stop() == 0, kiosk.log()[-3000:]
        assert "Dropped a reading" not in kiosk.log()  # the network's totals taken as the server sends them
        events = reported_events(fleet)  # the kiosk has stopped: nothing more arrives
        timings.mark("plays reported")
        page.get_by_role("link", name="Proof of play").click()
        today = (datetime.now(UTC) + BAKU_OFFSET).date()
        page.get_by_label("From").fill((today - timedelta(days=1)).isoformat())  # a run across midnight
        page.get_by_role("button", name="Show").click()
        expect(page.get_by_role("row", name=TITLES["en"])).to_be_visible()
        with page.expect_download() as download:
            page.get_by_role("link", name="Download CSV").click()
        exported = Path(download.value.path()).read_bytes().decode("utf-8-sig")
        rows = list(csv.DictReader(io.StringIO(exported)))
        timings.mark("export")

        context.close()
        browser.close()
    plays = check_csv_against_events(rows, events)
    print(
        f"\nAdmin flow timings: {timings.report()}; kioskctl approve ran {command_seconds:.2f} s, the "
        f"kiosk had release 2 {to_kiosk:.2f} s after it started, {push_seconds:.2f} s after it was published"
        f"; the CSV and the kiosk's reports agree: {plays}"
    )


def kiosk_release(kiosk: KioskProcess) -> int | None:
    assert kiosk.alive(), f"the kiosk process ended:\n{kiosk.log()[-3000:]}"
    active = kiosk.active()
    return None if active is None else active[0]


def kiosk_active(kiosk: KioskProcess) -> tuple[int, dict[str, Any], datetime]:
    active = kiosk.active()
    assert active is not None
    return active


def kiosk_content(kiosk: KioskProcess) -> dict[str, Any]:
    return kiosk_active(kiosk)[1]


def reported_events(fleet: Fleet) -> list[Event]:
    """Every play event the server received from the kiosk, as stored: kind, section, item, seconds."""
    with sqlite3.connect(f"file:{fleet.server.data / 'central.db'}?mode=ro", uri=True, timeout=5) as db:
        rows = db.execute(
            "SELECT kind, section, item, seconds FROM kiosk_events WHERE kiosk_id = ? ORDER BY id", (KIOSK,)
        ).fetchall()
    return [(str(k), str(s), str(i), None if x is None else float(x)) for k, s, i, x in rows]


def check_csv_against_events(rows: list[dict[str, str]], events: list[Event]) -> str:
    """Each CSV row's plays and seconds are the count and the sum of the kiosk's events for that item."""
    expected: dict[tuple[str, str], tuple[int, float]] = {}
    for kind, section, item, seconds in events:
        if kind not in ("service", "video", "section"):
            continue  # language changes are interactions, not plays
        key = (kind, section if kind == "section" else item)
        plays, total = expected.get(key, (0, 0.0))
        expected[key] = (plays + 1, total + (seconds or 0.0))
    types = {"Service": "service", "Video": "video", "Section": "section"}
    found = {(types[r["Type"]], r["Id"]): (int(r["Plays"]), int(r["Seconds"])) for r in rows}
    assert found == {key: (plays, round(total)) for key, (plays, total) in expected.items()}
    names = {(types[r["Type"]], r["Id"]): r["Name"] for r in rows}
    assert names[("service", SERVICE)] == TITLES["en"] and names[("video", VIDEO)] == VIDEO_TITLES["en"]
    assert all(r["Kiosk"] == "All" and r["Centre"] == "All" for r in rows)
    return ", ".join(f"{item} {plays} plays {seconds} s" for (_kind, item), (plays, seconds) in found.items())


def parse_time(text: str) -> datetime:
    return datetime.fromisoformat(text)


def check_new_content_on_kiosk(kiosk: KioskProcess, clip: Path) -> None:
    """The new card's texts in all three languages and the video's bytes are in the kiosk's cache."""
    doc = kiosk_content(kiosk)
    [card] = [s for s in doc["services"] if s["id"] == SERVICE]
    assert card["title"] == TITLES and card["summary"] == SUMMARIES and card["featured"] is True
    [video] = doc["videos"]
    assert video["id"] == VIDEO and video["title"] == VIDEO_TITLES
    assert doc["attract"] == {"sequence": ["video", "featured"], "video_seconds": 3, "featured_seconds": 3}
    for ref, source in ((video["file"], clip), (card["icon"], ICON)):
        data = source.read_bytes()
        assert ref == f"blob:{hashlib.sha256(data).hexdigest()}"
        assert (kiosk.data / "blobs" / ref.removeprefix("blob:")).read_bytes() == data
