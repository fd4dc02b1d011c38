"""The console's accounts page: tokens and users listed and revoked, and a user's own password changed.

New tokens and users are made only on the server's command line (a token is shown once, and a
browser page is a poor place for it); the console can take them away, which is what an administrator
needs in a hurry when a laptop or a kiosk is lost.
"""

from __future__ import annotations

import logging
from typing import Annotated

from fastapi import APIRouter, Form, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse

from central.accounts import TokenInfo
from central.console import PREFIX, SESSION_COOKIE, Console, _ConsoleRoute, client_address, language_of
from central.console_text import TEXTS
from central.errors import Forbidden, Invalid, NotFound
from central.sessions import ConsoleSession

log = logging.getLogger(__name__)


def accounts_routes(console: Console) -> APIRouter:
    """``/console/accounts`` and its forms, each behind a session and a CSRF token."""
    accounts = console.central.accounts
    router = APIRouter(prefix=PREFIX, route_class=_ConsoleRoute, include_in_schema=False)

    def who(request: Request) -> ConsoleSession:
        session: ConsoleSession = request.state.console_session
        return session

    def page(request: Request, status: int = 200, *, error: str = "", notice: str = "") -> HTMLResponse:
        return console.page(
            request,
            "accounts.html",
            status,
            tokens=accounts.tokens(),
            users=accounts.users(),
            error=error,
            notice=notice,
        )

    @router.get("/accounts")
    def accounts_page(request: Request) -> HTMLResponse:
        return page(request)

    def live_token(kind: str, name: str) -> TokenInfo | None:
        """The token the page names, or None when it is already revoked; NotFound when there is none."""
        for token in accounts.tokens():
            if token.kind == kind and token.name == name:
                return None if token.revoked else token
        raise NotFound(f"no {kind[:20]} token named {name[:70]!r}")

    def confirm_page(request: Request, token: TokenInfo, status: int = 200, error: str = "") -> HTMLResponse:
        return console.page(request, "revoke_token.html", status, token=token, error=error)

    @router.get("/accounts/tokens/{kind}/{name}/revoke", response_model=None)
    def revoke_token_page(kind: str, name: str, request: Request) -> Response:
        """A revocation cannot be undone (the kiosk needs a new token on the server): ask first."""
        token = live_token(kind, name)
        if token is None:
            return RedirectResponse(f"{PREFIX}/accounts#tokens", status_code=303)
        return confirm_page(request, token)

    @router.post("/accounts/tokens/{kind}/{name}/revoke", response_model=None)
    def revoke_token(
        kind: str, name: str, request: Request, confirm: Annotated[str, Form(max_length=1024)] = ""
    ) -> Response:
        token = live_token(kind, name)
        if token is None:
            return RedirectResponse(f"{PREFIX}/accounts#tokens", status_code=303)
        if confirm.strip() != name:
            text = TEXTS[language_of(request)]
            return confirm_page(request, token, 400, text["revoke_name_mismatch"].format(name=name))
        accounts.revoke_token(kind, name)
        log.warning("Console: %s revoked the %s token %s", who(request).user_name, kind, name)
        return RedirectResponse(f"{PREFIX}/accounts#tokens", status_code=303)

    @router.post("/accounts/users/{name}/remove")
    def remove_user(name: str, request: Request) -> RedirectResponse:
        if name == who(request).user_name:
            raise Forbidden(TEXTS[language_of(request)]["accounts_not_yourself"])
        accounts.remove_user(name)
        log.warning("Console: %s removed the console user %s", who(request).user_name, name)
        return RedirectResponse(f"{PREFIX}/accounts#users", status_code=303)

    @router.post("/accounts/password")
    def change_password(
        request: Request,
        current: Annotated[str, Form(max_length=1024)] = "",
        new: Annotated[str, Form(max_length=1024)] = "",
        repeat: Annotated[str, Form(max_length=1024)] = "",
    ) -> Response:
        text = TEXTS[language_of(request)]
        me = who(request)
        address = client_address(request)
        attempt = console.throttle.attempt(me.user_name, address)  # a stolen session must not guess
        if not attempt.admitted:
            return page(request, 429, error=text["login_throttled"].format(n=attempt.wait_minutes))
        if accounts.check_user(me.user_name, current) != me.user_id:
            console.throttle.failed(attempt, me.user_name, address)
            return page(request, 403, error=text["password_wrong"])
        console.throttle.succeeded(attempt)
        if new != repeat:
            return page(request, 400, error=text["password_mismatch"])
        try:
            ended = accounts.set_password(
                me.user_name, new, keep_session=request.cookies.get(SESSION_COOKIE, "")
            )
        except Invalid:
            return page(request, 400, error=text["password_short"])
        return page(request, notice=text["password_changed"].format(n=ended))

    return router
