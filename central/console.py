"""The admin web console: server-rendered pages under ``/console/`` (fleet, kiosks, channels, announcements).

Every page but the login needs a session cookie; every form carries a CSRF token that is checked
before any POST handler runs (``_ConsoleRoute``). The server never holds the content signing key, so
the console only *proposes* rollbacks and announcements: each becomes a pending draft that an admin
signs with ``kioskctl approve`` on their own machine.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Coroutine, Mapping
from datetime import datetime, timedelta
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote
from zoneinfo import ZoneInfo

import jinja2
from fastapi import APIRouter, FastAPI, Form, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse
from fastapi.routing import APIRoute
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException

from central.api import one_line, status_of
from central.console_text import LANGUAGES, TEXTS
from central.content_forms import LONG_EMERGENCY, local_time
from central.draft_notes import add_draft_notes
from central.drafts import (
    MAX_CENTRES,
    AnnouncementDraft,
    ContentDraft,
    EndAnnouncement,
    Rollback,
    SettingsDraft,
    params_of,
)
from central.errors import CentralError, NotFound
from central.preview import Previews
from central.release_notes import ReleaseNotes
from central.service import Central
from central.sessions import ConsoleSession, ConsoleSessions, LoginThrottle, new_secret, same_secret
from kiosk.wire import LEVELS, MAX_RELEASE

log = logging.getLogger(__name__)

PREFIX = "/console"
SESSION_COOKIE = "gk_session"
LOGIN_CSRF_COOKIE = "gk_login_csrf"
LANGUAGE_COOKIE = "gk_lang"
BAKU = ZoneInfo("Asia/Baku")
SUPERSEDED_SHOWN = 5  # the newest superseded drafts on the channel page, so their work is not lost unseen
HERE = Path(__file__).resolve().parent
STATIC_DIR = HERE / "static"
SECURITY_HEADERS = {
    # No script at all, nothing from elsewhere: a closed network, and less to go wrong.
    "Content-Security-Policy": "default-src 'none'; style-src 'self'; img-src 'self'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}


class Console:
    """What the console's routes share: the service, the sessions, the login brake and the templates."""

    def __init__(self, central: Central, previews: Previews | None = None) -> None:
        self.central = central
        self.sessions = ConsoleSessions(central)
        self.throttle = LoginThrottle(lambda: central.clock())
        self.routers: list[APIRouter] = []
        self.previews = previews or Previews(central.data_dir / "previews")
        self.release_notes = ReleaseNotes(central.publishing)
        self.templates = jinja2.Environment(
            loader=jinja2.FileSystemLoader(HERE / "templates"),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )

    def page(self, request: Request, template: str, status: int = 200, **values: Any) -> HTMLResponse:
        lang = language_of(request)
        session: ConsoleSession | None = getattr(request.state, "console_session", None)
        formats = Formats(lang, self.central.clock())
        html = self.templates.get_template(template).render(
            t=TEXTS[lang],
            lang=lang,
            languages=LANGUAGES,
            user=session.user_name if session else "",
            csrf=session.csrf if session else "",
            channels=self.central.channel_names() if session else [],
            here=_here(request),
            f=formats,
            **values,
        )
        return HTMLResponse(html, status_code=status, headers=SECURITY_HEADERS)

    def error(self, request: Request, status: int, message: str) -> HTMLResponse:
        return self.page(request, "error.html", status, code=status, message=message)


class Formats:
    """Numbers and times as an Azerbaijani or English reader expects them (Baku time, kVt/kW)."""

    def __init__(self, lang: str, now: datetime) -> None:
        self.lang = lang
        self.t = TEXTS[lang]
        self.now = now

    def number(self, value: float, decimals: int = 1) -> str:
        text = f"{value:,.{decimals}f}"
        if self.lang == "az":  # 1.234,5 as in Qt's Azerbaijani locale
            text = text.replace(",", "\u202f").replace(".", ",").replace("\u202f", ".")
        return text

    def power(self, watts: float | None) -> str:
        if watts is None:
            return "—"
        return f"{self.number(watts / 1000.0)} {self.t['unit_kw']}"

    def energy(self, wh: float | None) -> str:
        if wh is None:
            return "—"
        kwh = wh / 1000.0
        return f"{self.number(kwh, 1 if kwh < 10_000 else 0)} {self.t['unit_kwh']}"

    def when(self, moment: datetime | str | None) -> str:
        if moment is None or moment == "":
            return "—"
        if isinstance(moment, str):
            moment = datetime.fromisoformat(moment)
        return moment.astimezone(BAKU).strftime("%Y-%m-%d %H:%M")

    def ago(self, moment: datetime | None) -> str:
        if moment is None:
            return self.t["never"]
        seconds = max(0, int((self.now - moment).total_seconds()))
        if seconds < 60:
            return self.t["ago_now"]
        if seconds < 3600:
            return self.t["ago_minutes"].format(n=seconds // 60)
        if seconds < 2 * 86400:
            return self.t["ago_hours"].format(n=seconds // 3600)
        return self.t["ago_days"].format(n=seconds // 86400)

    def energy_state(self, state: str | None) -> str:
        """A heartbeat's energy state in words: "live", "partial 2/3" or "offline: <the device's error>"."""
        if not state:
            return "—"
        head, colon, detail = state.partition(":")
        word, _, count = head.strip().partition(" ")
        label = self.t.get(f"energy_is_{word}")
        if label is None:
            return state  # a state this server does not know (a newer kiosk): as the kiosk sent it
        return label.format(n=count or "?") + (f":{detail}" if colon else "")

    def duration(self, seconds: float | None) -> str:
        if seconds is None:
            return "—"
        hours, rest = divmod(int(seconds), 3600)
        return f"{hours}:{rest // 60:02d}:{rest % 60:02d}"


def language_of(request: Request) -> str:
    lang = request.cookies.get(LANGUAGE_COOKIE, "")
    return lang if lang in TEXTS else "az"


def _here(request: Request) -> str:
    path = request.url.path
    return path + (f"?{request.url.query}" if request.url.query else "")


def _safe_next(target: str | None) -> str:
    """Only a console path: a login link must not send the admin to another site."""
    if target and target.startswith(PREFIX + "/") and not target.startswith("//") and "\\" not in target:
        return target
    return PREFIX + "/"


def client_address(request: Request) -> str:
    """The browser's address (the proxy's X-Forwarded-For only when ``create_app`` trusts the proxy)."""
    return request.client.host if request.client else "?"


def _secure(request: Request) -> bool:
    return request.url.scheme == "https"


def _to_login(request: Request) -> RedirectResponse:
    target = f"{PREFIX}/login"
    if request.method == "GET" and request.url.path != PREFIX + "/":
        target += "?next=" + quote(_here(request), safe="")
    return RedirectResponse(target, status_code=303, headers={"Cache-Control": "no-store"})


Handler = Callable[[Request], Coroutine[Any, Any, Response]]


class _ConsoleRoute(APIRoute):
    """Runs before every protected console handler: session required, CSRF checked on every POST."""

    public = False
    reads_form = True  # False: the handler streams the form and checks its CSRF field itself

    def get_route_handler(self) -> Handler:
        handler = super().get_route_handler()
        public = self.public
        reads_form = self.reads_form

        async def guarded(request: Request) -> Response:
            console: Console = request.app.state.console
            try:
                if public:
                    expected = request.cookies.get(LOGIN_CSRF_COOKIE)
                else:
                    token = request.cookies.get(SESSION_COOKIE, "")
                    session = await run_in_threadpool(console.sessions.find, token)
                    if session is None:
                        return _to_login(request)
                    request.state.console_session = session
                    expected = session.csrf
                if request.method == "POST" and reads_form:
                    form = await request.form()
                    given = form.get("csrf")
                    if not same_secret(given if isinstance(given, str) else None, expected):
                        log.warning("Console: %s %s refused: CSRF token", request.method, request.url.path)
                        text = TEXTS[language_of(request)]
                        return await run_in_threadpool(console.error, request, 403, text["csrf_refused"])
                return await handler(request)
            except CentralError as exc:
                return await run_in_threadpool(console.error, request, status_of(exc), str(exc))
            except RequestValidationError as exc:  # a field FastAPI checks (length, number): a page, not JSON
                text = TEXTS[language_of(request)]
                message = text["form_invalid"].format(detail=one_line(exc))
                return await run_in_threadpool(console.error, request, 400, message)
            except HTTPException as exc:  # a form that cannot be parsed at all
                if exc.status_code >= 500:
                    raise
                text = TEXTS[language_of(request)]
                message = text["form_invalid"].format(detail=str(exc.detail)[:200])
                return await run_in_threadpool(console.error, request, exc.status_code, message)

        return guarded


class _PublicRoute(_ConsoleRoute):
    """Login, language and stylesheet: no session, but a POST still needs the login form's token."""

    public = True


def install_console(app: FastAPI, central: Central, previews: Previews | None = None) -> None:
    """Add the console's routes to the server's application (and ``/`` → ``/console/``).

    ``previews``: the preview worker (default: one that looks for the kiosk's renderer in this checkout).
    """
    console = Console(central, previews)
    app.state.console = console
    from central.console_accounts import accounts_routes  # it builds on this module's pieces
    from central.console_content import content_routes
    from central.console_media import media_routes
    from central.console_preview import preview_router
    from central.console_reports import reports_router
    from central.console_settings import settings_routes

    console.routers = [
        _public_routes(console),
        _protected_routes(console),
        accounts_routes(console),
        settings_routes(console),
        reports_router(console),
        content_routes(console),
        preview_router(console),
        media_routes(console),
    ]
    for router in console.routers:
        app.include_router(router)

    @app.get("/", include_in_schema=False)
    def root() -> RedirectResponse:
        return RedirectResponse(PREFIX + "/", status_code=303)


def _public_routes(console: Console) -> APIRouter:
    router = APIRouter(prefix=PREFIX, route_class=_PublicRoute, include_in_schema=False)

    @router.get("/static/console.css")
    def stylesheet() -> FileResponse:
        return FileResponse(
            STATIC_DIR / "console.css", media_type="text/css", headers={"Cache-Control": "max-age=300"}
        )

    @router.get("/lang/{lang}")
    def switch_language(lang: str, request: Request, next: str | None = None) -> RedirectResponse:
        response = RedirectResponse(_safe_next(next), status_code=303)
        if lang in TEXTS:
            response.set_cookie(
                LANGUAGE_COOKIE,
                lang,
                max_age=365 * 86400,
                path=PREFIX,
                samesite="lax",
                secure=_secure(request),
            )
        return response

    @router.get("/login")
    def login_form(request: Request, next: str | None = None) -> Response:
        if console.sessions.find(request.cookies.get(SESSION_COOKIE, "")) is not None:
            return RedirectResponse(_safe_next(next), status_code=303)
        return _login_page(request, next, name="", error="", status=200)

    @router.post("/login")
    def login(
        request: Request,
        name: Annotated[str, Form(max_length=128)] = "",
        password: Annotated[str, Form(max_length=1024)] = "",
        next: Annotated[str, Form(max_length=2048)] = "",
    ) -> Response:
        text = TEXTS[language_of(request)]
        address = client_address(request)
        attempt = console.throttle.attempt(name, address)  # counted before the password is checked
        if not attempt.admitted:
            error = text["login_throttled"].format(n=attempt.wait_minutes)
            response = _login_page(request, next, name=name, error=error, status=429)
            response.headers["Retry-After"] = str(attempt.wait_seconds)
            return response
        user_id = console.central.accounts.check_user(name.strip(), password)
        if user_id is None:
            console.throttle.failed(attempt, name, address)
            return _login_page(request, next, name=name, error=text["login_wrong"], status=401)
        console.throttle.succeeded(attempt)
        token, _session = console.sessions.open(user_id)
        response = RedirectResponse(_safe_next(next), status_code=303)
        response.set_cookie(
            SESSION_COOKIE,
            token,
            max_age=int(console.sessions.lifetime.total_seconds()),
            path=PREFIX,
            httponly=True,
            samesite="strict",
            secure=_secure(request),
        )
        response.delete_cookie(LOGIN_CSRF_COOKIE, path=PREFIX + "/login")
        return response

    def _login_page(request: Request, next: str | None, *, name: str, error: str, status: int) -> Response:
        # A pre-session token: the login form must come from this site too (double-submit cookie).
        token = request.cookies.get(LOGIN_CSRF_COOKIE) or new_secret()
        response = console.page(
            request, "login.html", status, login_csrf=token, name=name, error=error, next=_safe_next(next)
        )
        response.set_cookie(
            LOGIN_CSRF_COOKIE,
            token,
            path=PREFIX + "/login",
            httponly=True,
            samesite="strict",
            secure=_secure(request),
        )
        return response

    return router


def _protected_routes(console: Console) -> APIRouter:
    central = console.central
    router = APIRouter(prefix=PREFIX, route_class=_ConsoleRoute, include_in_schema=False)

    def who(request: Request) -> ConsoleSession:
        session: ConsoleSession = request.state.console_session
        return session

    @router.post("/logout")
    def logout(request: Request) -> RedirectResponse:
        console.sessions.close(request.cookies.get(SESSION_COOKIE, ""))
        log.info("Console: %s logged out", who(request).user_name)
        response = RedirectResponse(PREFIX + "/login", status_code=303)
        response.delete_cookie(SESSION_COOKIE, path=PREFIX)
        return response

    @router.get("/")
    def fleet_page(request: Request) -> HTMLResponse:
        kiosks = central.fleet.kiosks()
        active = {name: central.channel_release(name) for name in central.channel_names()}
        return console.page(
            request,
            "fleet.html",
            kiosks=kiosks,
            active=active,
            silent=sum(1 for k in kiosks if k["silent"]),
            totals=central.network(),
        )

    @router.get("/kiosks/{kiosk_id}")
    def kiosk_page(kiosk_id: str, request: Request) -> HTMLResponse:
        kiosk = central.kiosk(kiosk_id)
        channel = kiosk["channel"]
        active = central.channel_release(channel) if channel in central.channel_names() else None
        return console.page(
            request,
            "kiosk.html",
            kiosk=kiosk,
            active=active,
            history=central.history(kiosk_id),
            events=central.event_summary(kiosk_id),
        )

    @router.get("/kiosks/{kiosk_id}/screenshot.png")
    def screenshot(kiosk_id: str) -> Response:
        path = central.screenshot_path(kiosk_id)
        if path is None:
            raise NotFound(f"no screenshot of {kiosk_id!r} yet")
        return FileResponse(path, media_type="image/png", headers={"Cache-Control": "private, no-cache"})

    @router.post("/kiosks/{kiosk_id}/screenshot-request")
    def ask_screenshot(
        kiosk_id: str, request: Request, next: Annotated[str, Form(max_length=2048)] = ""
    ) -> RedirectResponse:
        central.request_screenshot(kiosk_id)
        log.info("Console: %s asked kiosk %s for a screenshot", who(request).user_name, kiosk_id)
        return RedirectResponse(_safe_next(next), status_code=303)

    @router.get("/channels/{name}")
    def channel_page(name: str, request: Request) -> HTMLResponse:
        active = central.channel_release(name)
        drafts = central.drafts(name)
        base = str(request.base_url).rstrip("/")
        formats = Formats(language_of(request), central.clock())
        for draft in drafts:
            draft["command"] = approve_command(base, name, draft["id"])
            draft["shown"] = describe_draft(draft, formats)
        superseded = [d for d in central.drafts(name, pending_only=False) if d["status"] == "superseded"]
        superseded = superseded[::-1][:SUPERSEDED_SHOWN]
        for draft in superseded:
            draft["shown"] = describe_draft(draft, formats)
            draft["reason"] = superseded_reason(draft, formats)
        releases = central.releases(name)
        console.release_notes.summaries(name, releases, formats.lang)
        add_draft_notes(central.database, name, releases, formats.lang, formats.when)
        return console.page(
            request,
            "channel.html",
            name=name,
            active=active,
            releases=releases,
            drafts=drafts,
            superseded=superseded,
            approve_all=approve_command(base, name),
        )

    @router.post("/channels/{name}/rollback")
    def rollback(
        name: str, request: Request, release: Annotated[int, Form(ge=1, le=MAX_RELEASE)]
    ) -> RedirectResponse:
        draft = central.propose_rollback(name, release, by=f"console:{who(request).user_name}")
        log.info(
            "Console: %s proposed rolling %s back to %d (draft %d)",
            who(request).user_name,
            name,
            release,
            draft,
        )
        return RedirectResponse(f"{PREFIX}/channels/{quote(name)}#drafts", status_code=303)

    @router.get("/announcements")
    def announcements_page(request: Request) -> HTMLResponse:
        now = central.clock().astimezone(BAKU).replace(second=0, microsecond=0, tzinfo=None)
        values = {
            "starts": now.isoformat(timespec="minutes"),
            "ends": (now + timedelta(hours=4)).isoformat(timespec="minutes"),
            "level": "info",
        }
        return _announcements(request, values, error="", status=200)

    @router.post("/announcements")
    async def announce(request: Request) -> Response:
        form = await request.form()
        values = {
            key: str(form.get(key, ""))[:2000]
            for key in ("channel", "level", "starts", "ends", "az", "en", "ru", "long_ok")
        }
        centres = [str(c)[:128] for c in form.getlist("centres")][:MAX_CENTRES]
        text = TEXTS[language_of(request)]
        starts, ends = local_time(values["starts"]), local_time(values["ends"])
        error = ""
        if any(not values[lang].strip() for lang in ("az", "en", "ru")):
            error = text["announce_need_texts"]
        elif starts is None or ends is None:
            error = text["announce_bad_time"]
        elif ends <= starts:
            error = text["announce_end_first"]
        elif ends <= central.clock():
            error = text["announce_in_past"]
        elif values["level"] == "emergency" and ends - starts > LONG_EMERGENCY and values["long_ok"] != "yes":
            error = text["announce_long_emergency"].format(hours=round((ends - starts) / timedelta(hours=1)))
        if error or starts is None or ends is None:
            return await run_in_threadpool(_announcements, request, values, error, 400, centres)
        by = f"console:{who(request).user_name}"
        try:
            draft = await run_in_threadpool(
                lambda: central.propose_announcement(
                    values["channel"],
                    {lang: values[lang] for lang in ("az", "en", "ru")},
                    starts=starts,
                    ends=ends,
                    level=values["level"],
                    centres=centres,
                    by=by,
                )
            )
        except CentralError as exc:
            status = status_of(exc)
            return await run_in_threadpool(_announcements, request, values, str(exc), status, centres)
        log.info("Console: %s proposed an announcement on %s (draft %d)", by, values["channel"], draft)
        return RedirectResponse(f"{PREFIX}/channels/{quote(values['channel'])}#drafts", status_code=303)

    @router.post("/announcements/end")
    def end_announcement(
        request: Request,
        channel: Annotated[str, Form(min_length=1, max_length=64)],
        announcement: Annotated[str, Form(min_length=1, max_length=128)],
    ) -> RedirectResponse:
        by = f"console:{who(request).user_name}"
        draft = central.drafting.propose_end(channel, announcement, by=by)
        log.info("Console: %s proposed ending %s on %s (draft %d)", by, announcement, channel, draft)
        return RedirectResponse(f"{PREFIX}/channels/{quote(channel)}#drafts", status_code=303)

    def _announcements(
        request: Request, values: Mapping[str, str], error: str, status: int, centres: list[str] | None = None
    ) -> HTMLResponse:
        names = central.channel_names()
        current = []
        for name in names:
            for item in central.publishing.announcements(name):
                current.append(
                    {
                        "channel": name,
                        "id": item.id,
                        "level": item.level,
                        "starts": item.starts,
                        "ends": item.ends,
                        "text": item.text,
                        "centres": item.centres,
                    }
                )
        return console.page(
            request,
            "announcements.html",
            status,
            values=values,
            chosen_centres=centres or [],
            centres=sorted({k["centre"] for k in central.fleet.kiosks()}),
            current=current,
            levels=LEVELS,
            error=error,
            now=central.clock(),
        )

    return router


def approve_command(base: str, channel: str, draft: int | None = None) -> str:
    """What the admin runs where the content key is: it shows each draft, then signs and publishes it."""
    command = f"kioskctl approve {base}/channels/{channel} --key content.key"
    return command + (f" --draft {draft}" if draft is not None else "")


def superseded_reason(draft: Mapping[str, Any], formats: Formats) -> str:
    """Why a draft can no longer be approved: the release that replaced the content it was made from, and
    when a rebuild on it failed, why (the part changed on both sides, the announcement gone...)."""
    t = TEXTS[formats.lang]
    found = draft.get("superseded_by")
    if not isinstance(found, dict):
        return str(t["draft_superseded_unknown"])
    failed = found.get("reason")
    if isinstance(failed, dict):
        code, detail = str(failed.get("code", "")), str(failed.get("detail", ""))
        if code == "conflict":  # the parts of the content, in the reader's words
            detail = ", ".join(t.get(f"part_{part.strip()}", part.strip()) for part in detail.split(","))
        why = t.get(f"draft_rebuild_{code}", t["draft_rebuild_other"]).format(detail=detail)
        return str(t["draft_rebuild_reason"].format(n=found.get("release"), who=found.get("by", ""), why=why))
    reason = t["draft_superseded_reason"].format(n=found.get("release"), who=found.get("by", ""))
    note = str(found.get("note") or "")
    return f"{reason} {t['draft_superseded_note'].format(note=note)}" if note else reason


def describe_draft(draft: Mapping[str, Any], formats: Formats) -> str:
    """A draft in the reader's language, rendered from its kind and parameters (never from a sentence)."""
    t = formats.t
    params = params_of(str(draft["kind"]), draft.get("params"))
    if isinstance(params, Rollback):
        return t["draft_rollback"].format(n=params.release)
    if isinstance(params, AnnouncementDraft):
        text = params.texts.get(formats.lang) or params.texts["az"]
        return t["draft_announcement"].format(when=formats.when(params.ends), text=text)
    if isinstance(params, EndAnnouncement):
        text = params.texts.get(formats.lang) or params.texts.get("az") or params.announcement
        return t["draft_end_announcement"].format(text=text, when=formats.when(params.at))
    if isinstance(params, SettingsDraft):
        return t["draft_settings"].format(target=params.target, n=len(params.entries))
    if isinstance(params, ContentDraft):
        return t["draft_content"].format(note=params.note)
    return str(draft.get("description", ""))
