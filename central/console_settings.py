"""The console's settings page: per-centre and per-kiosk overrides, proposed as a draft to be signed.

The server only proposes: the edited ``[[settings]]`` list becomes a draft of the active content, which
the admin signs offline with ``kioskctl approve`` after reading the difference. A compromised server can
therefore propose settings but never make a kiosk take them, and the keys it may propose are the
kiosk's own whitelist (``kiosk.content.overrides.REMOTE_KEYS``).
"""

from __future__ import annotations

import logging
import typing
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse

from central.api import status_of
from central.console import PREFIX, Console, _ConsoleRoute, language_of
from central.console_settings_text import SETTING_LABELS
from central.console_text import TEXTS
from central.draft_builds import EVERY, target_of
from central.errors import CentralError
from kiosk.config import Settings
from kiosk.content.overrides import REMOTE_KEYS

log = logging.getLogger(__name__)

MAX_FIELD_CHARS = 300


def editable_fields() -> list[tuple[str, str, Any]]:
    """``(table, key, type)`` of every key the form offers: the whitelist minus lists of tables."""
    hints = typing.get_type_hints(Settings)
    fields = []
    for table, keys in REMOTE_KEYS.items():
        table_hints = typing.get_type_hints(hints[table])
        for key in keys:
            kind = table_hints[key]
            if typing.get_origin(kind) is tuple and typing.get_args(kind)[0] is not int:
                continue  # [[energy.sources]]: written in content.toml, not in a form
            fields.append((table, key, kind))
    return fields


def entry_for(target: str, values: Mapping[str, Mapping[str, Any]]) -> dict[str, Any]:
    entry: dict[str, Any] = {}
    kind, _, name = target.partition(":")
    if kind == "centre":
        entry["centres"] = [name]
    elif kind == "kiosk":
        entry["kiosks"] = [name]
    entry.update({table: dict(keys) for table, keys in values.items() if keys})
    return entry


def form_value(kind: Any, raw: str) -> Any:
    """A form field as the type the config file would hold; ValueError when it cannot be one."""
    if kind is bool:
        if raw not in ("true", "false"):
            raise ValueError
        return raw == "true"
    if kind is int:
        return int(raw)
    if kind is float:
        return float(raw)
    if typing.get_origin(kind) is tuple:
        return [int(part) for part in raw.replace(" ", "").split(",") if part]
    return raw


def shown_value(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def settings_routes(console: Console) -> APIRouter:
    """``/console/channels/{name}/settings``: the current entries and a form for one target."""
    central = console.central
    router = APIRouter(prefix=PREFIX, route_class=_ConsoleRoute, include_in_schema=False)
    fields = editable_fields()

    def current(name: str) -> list[dict[str, Any]]:
        manifest = central.publishing.active_manifest(name)
        entries = manifest.content.get("settings", []) if manifest is not None else []
        return [dict(entry) for entry in entries if isinstance(entry, Mapping)]

    def page(
        request: Request,
        name: str,
        target: str,
        values: Mapping[str, str] | None = None,
        *,
        error: str = "",
        status: int = 200,
    ) -> HTMLResponse:
        entries = current(name)
        if values is None:
            chosen = next((e for e in entries if target_of(e) == target), {})
            values = {
                f"{table}.{key}": shown_value(chosen[table][key])
                for table, key, _kind in fields
                if isinstance(chosen.get(table), Mapping) and key in chosen[table]
            }
        kiosks = central.fleet.kiosks()
        return console.page(
            request,
            "settings.html",
            status,
            name=name,
            target=target,
            entries=[
                {
                    "target": target_of(e),
                    "centres": e.get("centres") or [],
                    "kiosks": e.get("kiosks") or [],
                    "values": [
                        f"{table}.{key} = {shown_value(value)}"
                        for table, keys in e.items()
                        if isinstance(keys, Mapping)
                        for key, value in keys.items()
                    ],
                }
                for e in entries
            ],
            fields=[f"{table}.{key}" for table, key, _kind in fields],
            labels=SETTING_LABELS[language_of(request)],
            values=values,
            centres=sorted({k["centre"] for k in kiosks}),
            kiosk_ids=sorted(k["id"] for k in kiosks),
            error=error,
        )

    @router.get("/channels/{name}/settings")
    def settings_page(name: str, request: Request, target: str = EVERY) -> HTMLResponse:
        central.channel_release(name)  # an unknown channel is a 404, like its own page
        return page(request, name, _target(target))

    @router.post("/channels/{name}/settings")
    async def propose(name: str, request: Request) -> Response:
        form = await request.form()
        text = TEXTS[language_of(request)]
        target = _target(str(form.get("target", EVERY)))
        raw = {
            f"{table}.{key}": str(form.get(f"{table}.{key}", ""))[:MAX_FIELD_CHARS].strip()
            for table, key, _kind in fields
        }
        values: dict[str, dict[str, Any]] = {}
        for table, key, kind in fields:
            given = raw[f"{table}.{key}"]
            if not given:
                continue
            try:
                values.setdefault(table, {})[key] = form_value(kind, given)
            except ValueError:
                error = text["settings_bad_value"].format(key=f"{table}.{key}", value=given)
                return await run_in_threadpool(page, request, name, target, raw, error=error, status=400)
        entries = [e for e in await run_in_threadpool(current, name) if target_of(e) != target]
        if values:
            entries.append(entry_for(target, values))
        by = f"console:{request.state.console_session.user_name}"
        try:
            draft = await run_in_threadpool(
                lambda: central.propose_settings(name, entries, target=target, by=by)
            )
        except CentralError as exc:
            return await run_in_threadpool(
                page, request, name, target, raw, error=str(exc), status=status_of(exc)
            )
        log.info("Console: %s proposed settings for %s on %s (draft %d)", by, target, name, draft)
        return RedirectResponse(f"{PREFIX}/channels/{quote(name)}#drafts", status_code=303)

    return router


def _target(value: str) -> str:
    """A target from a query or form, bounded: ``every``, ``centre:<id>`` or ``kiosk:<id>``."""
    kind, _, name = value[:200].partition(":")
    if kind in ("centre", "kiosk") and 0 < len(name) <= 64 and name.strip() == name:
        return f"{kind}:{name}"
    return EVERY
