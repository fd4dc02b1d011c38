"""Take the admin console screenshots of the README's walkthrough ("For administrators: the console").

Runs the real thing, as an administrator would, on a temporary data folder: ``kioskctl keygen``, the
server's set-up commands (``python -m central add-channel``, ``add-admin-token``, ``add-kiosk``,
``add-user``), ``serve`` on 127.0.0.1 (with ``--preview`` when this venv has the kiosk's renderer),
``kioskctl publish`` of the bundled demo content and of a changed copy, a kiosk core that installs the
release and reports plays, and ``kioskctl approve`` of an announcement made in the console. Then headless
Chromium (Playwright) signs in, uploads media, edits a service in three languages, picks the campaign
video, proposes a draft with a note, compares and previews it, and keeps each page as a PNG.

Usage (the dev venv: ``scripts/bootstrap.sh dev``; needs Debian's chromium and ffmpeg):

    .venv/bin/python scripts/console_screenshots.py                     # the README's set, into docs/console/
    .venv/bin/python scripts/console_screenshots.py --out /tmp/look --all   # every page in az and en

Files are ``NN-page[-phone]-LANG.png``; ``--keep DIR`` leaves the server's data folder there.
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from playwright.sync_api import Page, ViewportSize, expect, sync_playwright  # noqa: E402

from kiosk.config import load_settings  # noqa: E402
from kiosk.content.sync import ContentSync  # noqa: E402
from kiosk.core import open_core  # noqa: E402

BAKU = ZoneInfo("Asia/Baku")  # the console reads and shows Baku time
PYTHON = sys.executable
KIOSKCTL = str(Path(PYTHON).parent / "kioskctl")
USER, PASSWORD = "leyla", "gunes-enerjisi-2026"
LAPTOP = ViewportSize(width=1366, height=768)
PHONE = ViewportSize(width=390, height=844)
LOCALES = {"az": "az-AZ", "en": "en-GB"}
README_LANGUAGES: dict[str, tuple[str, ...]] = {
    "01-login": ("az",),
    "04-service": ("en", "az"),
    "09-channel-phone": ("az",),
    **{page: () for page in ("16-kiosk", "17-settings", "18-accounts", "16-kiosk-phone")},  # --all only
}
"""The pages the README shows in Azerbaijani; every other page it shows in English (``--all``: both)."""
MAX_PNG_BYTES = 250_000
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]
NEW_TITLE = {
    "az": "Damdakı günəş panelləri: 2026-cı ilin yenilikləri",
    "en": "Solar panels on the roof: what is new in 2026",
    "ru": "Солнечные панели на крыше: что нового в 2026 году",
}
ANNOUNCEMENT = {
    "az": "Təkrar emal həftəsi: köhnə batareyaları girişdəki qutuya atın.",
    "en": "Recycling week: drop old batteries in the box by the entrance.",
    "ru": "Неделя переработки: старые батарейки бросайте в ящик у входа.",
}
WARNING = {
    "az": "Bu gün 14:00-dan 15:00-dək elektrik kəsiləcək; növbə sistemi işləməyəcək.",
    "en": "Power cut today from 14:00 to 15:00; the queue system will be down.",
    "ru": "Сегодня с 14:00 до 15:00 отключат электричество; электронная очередь не будет работать.",
}
TAX_SERVICE = """
[[services]]
id = "tax-return"
category = "e-service"
icon = "icons/e-gov.svg"
url = "https://www.e-taxes.gov.az"
[services.title]
az = "Vergi bəyannaməsi onlayn"
en = "Tax return online"
ru = "Налоговая декларация онлайн"
[services.summary]
az = "Bəyannaməni evdən, e-taxes.gov.az saytında verin."
en = "File your return from home on e-taxes.gov.az."
ru = "Подайте декларацию из дома на e-taxes.gov.az."
[services.body]
az = "Gəlir vergisi bəyannaməsini e-taxes.gov.az saytında ASAN İmza ilə verin. Kodu skan edin."
en = "File your income tax return on e-taxes.gov.az with ASAN İmza. Scan the code."
ru = "Подайте декларацию о доходах на e-taxes.gov.az с ASAN İmza. Отсканируйте код."
"""


@dataclass
class Setup:
    """The temporary world: folders, the server's address and the tokens the commands wrote."""

    work: Path
    data: Path
    url: str
    keys: Path
    admin_token: Path

    @property
    def channel(self) -> str:
        return f"{self.url}/channels/main"


def run(*command: str, env: dict[str, str] | None = None, stdin: str | None = None) -> str:
    """One command as an administrator types it; its output (a failure stops the script with it)."""
    shown = " ".join(command).replace(PYTHON, "python").replace(KIOSKCTL, "kioskctl")
    print(f"$ {shown}", flush=True)
    done = subprocess.run(
        command, capture_output=True, text=True, env={**os.environ, **(env or {})}, input=stdin, timeout=300
    )
    if done.returncode != 0:
        raise SystemExit(f"{shown}: exit {done.returncode}\n{done.stdout}\n{done.stderr}")
    return done.stdout


def central(setup_data: Path, *args: str, env: dict[str, str] | None = None) -> str:
    return run(PYTHON, "-m", "central", "--data", str(setup_data), *args, env=env)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def has_renderer() -> bool:
    """The console's previews need the kiosk's packages (Qt) in this Python, as ``serve --preview`` does."""
    probe = subprocess.run([PYTHON, "-c", "import PySide6.QtWidgets"], capture_output=True, timeout=60)
    return probe.returncode == 0


@contextmanager
def server(work: Path, preview: bool) -> Iterator[Setup]:
    """The set-up commands in the README's order, then ``serve`` in a child process until the end."""
    data, keys = work / "central", work / "keys"
    run(KIOSKCTL, "keygen", "--out", str(keys))
    central(data, "add-channel", "main", "--public-key", str(keys / "content.pub"))
    central(data, "add-admin-token", "alice", "--out", str(work / "alice.token"))
    for kiosk, centre in (("baku-1-lobby", "baku-1"), ("baku-1-hall", "baku-1"), ("ganja-lobby", "ganja")):
        central(data, "add-kiosk", kiosk, "--centre", centre, "--channel", "main", "--out",
                str(work / f"{kiosk}.token"))  # fmt: skip
    central(data, "set-centre", "baku-1", "--rated-power-kw", "30")
    central(data, "add-user", USER, env={"GREEN_CENTRAL_PASSWORD": PASSWORD})
    port = free_port()
    command = [PYTHON, "-m", "central", "--data", str(data), "serve", "--port", str(port)]
    log = (work / "serve.log").open("w")
    child = subprocess.Popen([*command, *(["--preview"] if preview else [])], stdout=log, stderr=log)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if child.poll() is not None or time.monotonic() > deadline:
                    logged = (work / "serve.log").read_text()
                    raise SystemExit(f"the server did not start:\n{logged}") from None
                time.sleep(0.2)
        yield Setup(work, data, f"http://127.0.0.1:{port}", keys, work / "alice.token")
    finally:
        child.terminate()
        child.wait(20)
        log.close()


def publish_releases(setup: Setup) -> None:
    """Release 1: the demo content as it is; release 2: a copy with a tax service added."""
    demo = shutil.copytree(ROOT / "resources" / "demo", setup.work / "content")  # publish notes its base here
    key = str(setup.keys / "content.key")
    publish = [KIOSKCTL, "publish", str(demo), "--to", setup.channel, "--key", key, "--token-file",
               str(setup.admin_token)]  # fmt: skip
    run(*publish, "--note", "First release: the demo content")
    with (demo / "content.toml").open("a", encoding="utf-8") as toml:
        toml.write(TAX_SERVICE)
    run(*publish, "--note", "Tax return service added")


def approve(setup: Setup) -> str:
    """What the key holder runs and reads: every pending draft's difference, then signed (``--yes``)."""
    return run(KIOSKCTL, "approve", setup.channel, "--key", str(setup.keys / "content.key"),
               "--token-file", str(setup.admin_token), "--yes")  # fmt: skip


def kiosk_reports(setup: Setup, *, plays_too: bool = True) -> None:
    """Two kiosks' real cores install the active release and report a heartbeat (and a week of plays)."""
    now = datetime.now(UTC)

    def service(item: str, seconds: float) -> tuple[str, str, str, float]:
        return ("service", "services", item, seconds)

    plays = {
        "baku-1-lobby": [service("solar-rooftop", 48.0), service("tax-return", 95.5),
                         service("utility-bills", 31.0), ("video", "video", "campaign", 40.0),
                         ("section", "energy", "", 20.0), ("section", "video", "", 40.0)],
        "ganja-lobby": [service("solar-rooftop", 22.0), service("mygov", 64.0),
                        ("video", "video", "campaign", 38.5), ("section", "energy", "", 20.0)],
    }  # fmt: skip
    for kiosk, items in plays.items():
        folder = setup.work / kiosk
        folder.mkdir(exist_ok=True)
        shutil.copy(setup.work / f"{kiosk}.token", folder / "kiosk.token")
        (folder / "kiosk.toml").write_text(
            f'[kiosk]\nid = "{kiosk}"\ncentre = "{"ganja" if kiosk.startswith("ganja") else "baku-1"}"\n'
            f'[content]\nurl = "{setup.channel}"\npublic_key = "{setup.keys / "content.pub"}"\n'
            f'[central]\nurl = "{setup.url}"\ntoken_file = "kiosk.token"\n',
            encoding="utf-8",
        )
        settings = load_settings(folder / "kiosk.toml")
        core = open_core(settings, folder / "data")
        try:
            engine = ContentSync.from_settings(settings, core.store, folder / "data")
            if not engine.sync_once().ok:
                raise SystemExit(f"{kiosk} could not install the release")
            engine.close()
            core.energy.poll_once()  # the heartbeat carries a reading, as a running kiosk's does
            reporter = core.reporter
            assert reporter is not None
            for day in range(7 if plays_too else 0):
                for n, (kind, section, item, seconds) in enumerate(items):
                    for visit in range(1 + (day + n) % 4):
                        at = now - timedelta(days=day, hours=1 + visit, minutes=7 * n)
                        reporter.record_event(kind, section=section, item=item, seconds=seconds + 3 * visit,
                                              language="az" if visit % 3 else "en", at=at)  # fmt: skip
            reporter.record_heartbeat()
            if not reporter.send_pending().ok:
                raise SystemExit(f"{kiosk} could not report")
        finally:
            core.close()
    import requests

    token = (setup.work / "baku-1-lobby.token").read_text().strip()
    requests.put(
        f"{setup.url}/api/kiosk/screenshot",
        data=(ROOT / "docs" / "screenshot-energy.png").read_bytes(),  # a real render of the kiosk
        headers={"Authorization": f"Bearer {token}"},
        timeout=10,
    ).raise_for_status()


def make_media(video: Path, poster: Path) -> None:
    """A short H.264 clip, as a communications team would export it (1280x720, 25 frames a second),
    and its poster: a frame of it."""
    run("ffmpeg", "-loglevel", "error", "-f", "lavfi", "-i", "testsrc2=size=1280x720:rate=25:duration=4",
        "-c:v", "libx264", "-pix_fmt", "yuv420p", "-movflags", "+faststart", str(video))  # fmt: skip
    run("ffmpeg", "-loglevel", "error", "-ss", "1", "-i", str(video), "-frames:v", "1", str(poster))


class Camera:
    """Keeps pages as small PNGs under ``out``: the viewport, or the page cut at ``height`` pixels."""

    def __init__(self, page: Page, out: Path, lang: str, every: bool) -> None:
        self.page, self.out, self.lang, self.every = page, out, lang, every

    def shoot(self, name: str, *, height: int | None = None, at: str | None = None) -> None:
        if not self.every and self.lang not in README_LANGUAGES.get(name, ("en",)):
            return
        page = self.page
        if at is not None:
            page.locator(at).first.scroll_into_view_if_needed()
            page.evaluate(
                "selector => window.scrollTo(0, document.querySelector(selector).getBoundingClientRect().top"
                " + window.scrollY - 16)",
                at,
            )
        page.wait_for_function("() => [...document.images].every(i => i.complete)")
        path = self.out / f"{name}-{self.lang}.png"
        size = page.viewport_size or LAPTOP
        options: dict[str, Any] = {"path": str(path)}
        if height is not None and at is None:
            full = int(page.evaluate("document.documentElement.scrollHeight"))
            options.update(full_page=True, clip={"x": 0, "y": 0, "width": size["width"],
                                                 "height": min(full, height)})  # fmt: skip
        page.screenshot(**options)
        shrink(path)
        print(f"  {path.name}: {path.stat().st_size // 1024} KB", flush=True)


def shrink(path: Path) -> None:
    """Over the budget, re-encode with at most 256 colours (Qt, in the dev venv).

    Without dithering (measured on these pages: about a quarter of the size; dithering doubles it),
    at the cost of the faintest tints, such as the before/after colours of a difference.
    """
    if path.stat().st_size <= MAX_PNG_BYTES:
        return
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QImage

    flags = Qt.ImageConversionFlag.ThresholdDither | Qt.ImageConversionFlag.AvoidDither
    indexed = QImage(str(path)).convertToFormat(QImage.Format.Format_Indexed8, flags)
    if not indexed.save(str(path), None, 0):  # the format from the name; 0: the smallest file
        raise SystemExit(f"{path}: could not write the smaller PNG")


def sign_in(page: Page, url: str) -> None:
    page.goto(f"{url}/console/login")
    page.locator('input[name="name"]').fill(USER)
    page.locator('input[name="password"]').fill(PASSWORD)
    page.locator("form button[type=submit]").click()
    expect(page.locator("header nav")).to_be_visible()


def option_value(page: Page, select: str, text: str) -> str:
    value = page.locator(f'select[name="{select}"] option', has_text=text).first.get_attribute("value")
    assert value, f"no {text!r} in {select}"
    return value


def build_state(page: Page, setup: Setup, out: Path) -> tuple[int, str]:
    """The day's work through the browser (in Azerbaijani); the content draft's id and approve's output."""
    url = setup.url
    page.goto(f"{url}/console/channels/main/media")
    for kind, file in (("poster", out / "kampaniya-afisasi.png"), ("video", out / "kampaniya-2026.mp4")):
        page.locator('select[name="kind"]').select_option(kind)
        page.locator('input[name="file"]').set_input_files(str(file))
        page.locator("form.upload button[type=submit], form[enctype] button[type=submit]").first.click()
        expect(page.get_by_role("status")).to_contain_text(file.name)

    page.goto(f"{url}/console/announcements")
    page.locator('input[name="level"][value="info"]').check()
    for lang, text in ANNOUNCEMENT.items():
        page.locator(f'textarea[name="{lang}"]').fill(text)
    ends = (datetime.now(BAKU) + timedelta(days=6)).strftime("%Y-%m-%dT18:00")
    page.locator('input[name="ends"]').fill(ends)
    page.locator("form.announce button.primary").click()
    expect(page.locator("#drafts article.draft")).to_have_count(1)
    approved = approve(setup)
    kiosk_reports(setup, plays_too=False)  # the kiosks take the new release up

    page.goto(f"{url}/console/channels/main/content/services/solar-rooftop")
    for lang, text in NEW_TITLE.items():
        page.locator(f'input[name="title.{lang}"]').fill(text)
    page.locator("form.editor button.primary").click()
    page.goto(f"{url}/console/channels/main/content/videos/campaign")
    page.locator('select[name="file"]').select_option(option_value(page, "file", "kampaniya-2026.mp4"))
    page.locator('select[name="poster"]').select_option(option_value(page, "poster", "kampaniya-afisasi.png"))
    page.locator("form.editor button.primary").click()
    page.goto(f"{url}/console/channels/main/content")
    page.locator('textarea[name="note"]').fill("New campaign video; the solar card's new title")
    page.locator("#propose ~ form button.primary").click()
    expect(page.locator("h1")).to_contain_text("→")
    draft = int(page.url.rstrip("/").rsplit("/", 1)[-1])
    return draft, approved


def wait_for_preview(page: Page, path: str, deadline_s: float = 240) -> bool:
    """The preview page reloads itself while it renders: load it until the pictures are there."""
    deadline = time.monotonic() + deadline_s
    while time.monotonic() < deadline:
        page.goto(path)
        if page.locator("main img").count() > 0:
            page.wait_for_function("() => [...document.querySelectorAll('main img')].every(i => i.complete)")
            return True
        if page.locator("main .alert").count() > 0:
            return False
        page.wait_for_timeout(2000)
    return False


def take(page: Page, setup: Setup, camera: Camera, draft: int, preview: bool) -> None:
    """The pages of the walkthrough, in the order the README shows them."""
    url, shoot = setup.url, camera.shoot
    page.set_viewport_size(LAPTOP)
    page.goto(f"{url}/console/channels/main/content")
    shoot("03-content")
    page.goto(f"{url}/console/channels/main/content/services/solar-rooftop")
    shoot("04-service", height=1120)
    page.goto(f"{url}/console/channels/main/content/videos/campaign")
    shoot("05-video", at="form.editor")
    page.goto(f"{url}/console/channels/main/content/general")
    shoot("06-attract", at="main h1")
    page.goto(f"{url}/console/channels/main/media")
    shoot("02-media", height=900)
    page.goto(f"{url}/console/announcements")
    page.locator('input[name="level"][value="warning"]').check()
    for lang, text in WARNING.items():
        page.locator(f'textarea[name="{lang}"]').fill(text)
    page.locator('input[name="centres"][value="baku-1"]').check()
    shoot("07-announcement-form", height=1000)
    shoot("08-announcements-current", at="main h2")
    page.goto(f"{url}/console/channels/main")
    shoot("09-channel", height=1100)
    page.goto(f"{url}/console/channels/main/drafts/{draft}")
    shoot("10-draft-compare", height=1000)
    if preview:
        if wait_for_preview(page, f"{url}/console/channels/main/drafts/{draft}/preview"):
            shoot("11-draft-preview", height=1000)
        else:
            print("  the preview did not render: 11-draft-preview skipped", flush=True)
    page.goto(f"{url}/console/channels/main")
    shoot("12-releases", at="table.releases")
    page.goto(f"{url}/console/channels/main/releases/2")
    shoot("13-release", height=900)
    first = (datetime.now(BAKU) - timedelta(days=6)).date().isoformat()
    page.goto(f"{url}/console/plays?from={first}")
    shoot("14-plays", height=1000)
    page.goto(f"{url}/console/")
    shoot("15-fleet")
    page.goto(f"{url}/console/kiosks/baku-1-lobby")
    shoot("16-kiosk", height=1100)
    page.goto(f"{url}/console/channels/main/settings")
    shoot("17-settings", height=1100)
    page.goto(f"{url}/console/accounts")
    shoot("18-accounts", height=1100)
    page.set_viewport_size(PHONE)
    page.goto(f"{url}/console/kiosks/baku-1-lobby")
    shoot("16-kiosk-phone")
    page.goto(f"{url}/console/channels/main")
    shoot("09-channel-phone")
    page.goto(f"{url}/console/plays?from={first}")
    shoot("14-plays-phone")
    page.set_viewport_size(LAPTOP)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "console")
    parser.add_argument(
        "--all", action="store_true", help="every page in az and en (to look at), not the README's set"
    )
    parser.add_argument("--keep", type=Path, help="copy the server's data folder here at the end")
    parser.add_argument("--no-preview", action="store_true", help="skip the draft preview (no Qt here)")
    args = parser.parse_args(argv)
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(chromium).is_file():
        raise SystemExit("Debian's chromium is needed: apt-get install chromium")
    preview = not args.no_preview and has_renderer()
    if not preview:
        print("no preview renderer in this Python (PySide6): the draft preview is skipped", flush=True)
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="console-shots-") as tmp, server(Path(tmp), preview) as setup:
        publish_releases(setup)
        kiosk_reports(setup)
        make_media(setup.work / "kampaniya-2026.mp4", setup.work / "kampaniya-afisasi.png")
        with sync_playwright() as driver:
            browser = driver.chromium.launch(executable_path=chromium, headless=True, args=CHROMIUM_ARGS)
            draft = 0
            for lang in ("en", "az"):
                # the browser's own words (a file field's button) follow its language, as at a desk in Baku
                context = browser.new_context(viewport=LAPTOP, locale=LOCALES.get(lang, lang))
                context.set_default_timeout(30_000)
                page = context.new_page()
                page.goto(f"{setup.url}/console/lang/{lang}?next=/console/login")
                Camera(page, args.out, lang, args.all).shoot("01-login")
                sign_in(page, setup.url)
                if not draft:
                    draft, approved = build_state(page, setup, setup.work)
                    print("What kioskctl approve showed and did:\n" + approved, flush=True)
                page.goto(f"{setup.url}/console/lang/{lang}?next=/console/")
                take(page, setup, Camera(page, args.out, lang, args.all), draft, preview)
                context.close()
            browser.close()
        if args.keep:
            shutil.copytree(setup.work, args.keep, dirs_exist_ok=True)
    total = sum(p.stat().st_size for p in args.out.glob("*.png"))
    print(f"{len(list(args.out.glob('*.png')))} PNGs in {args.out}, {total / 1e6:.2f} MB in all")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
