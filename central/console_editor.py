"""What the content editor's pages share: the working copies, the overview every edit returns to, the
notice for a copy changed meanwhile, and reading forms into fields and problems into messages.

The pages themselves are :mod:`central.console_content` (services, videos, channel name),
:mod:`central.console_content_announcements` and :mod:`central.console_drafts`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse
from starlette.datastructures import FormData

from central.console import PREFIX, Console, Formats, language_of
from central.console_content_text import CONTENT_TEXTS
from central.console_text import TEXTS
from central.content_forms import Problem
from central.working_copy import TABLES, Copy, WorkingCopies
from kiosk.wire import LANGUAGES

MAX_LIST = 500
LANGUAGE_NAMES = {"az": "Azərbaycanca", "en": "English", "ru": "Русский"}


class Editor:
    """What the editor's pages share: the console, the working copies, and the overview they return to."""

    def __init__(self, console: Console) -> None:
        central = console.central
        self.console = console
        self.central = central
        self.copies: WorkingCopies = central.copies

    @staticmethod
    def by(request: Request) -> str:
        return f"console:{request.state.console_session.user_name}"

    @staticmethod
    def to_content(name: str, anchor: str = "") -> RedirectResponse:
        return RedirectResponse(f"{PREFIX}/channels/{quote(name)}/content{anchor}", status_code=303)

    def known_centres(self, copy: Copy) -> list[str]:
        """Centres a kiosk reports, the fleet's centres, and those the copy already names."""
        central = self.central
        found = {k["centre"] for k in central.fleet.kiosks()} | {c["name"] for c in central.fleet.centres()}
        for table in TABLES:
            for item in copy.items(table):
                centres = item.get("centres")
                found.update(c for c in centres if isinstance(c, str)) if isinstance(centres, list) else None
        return sorted(found)

    def form_page(
        self,
        request: Request,
        template: str,
        status: int,
        copy: Copy,
        values: Mapping[str, Any],
        problems: Sequence[Problem],
        stale: Copy | None,
        **extra: Any,
    ) -> HTMLResponse:
        """An editor form page with what every one shows: the editor's texts, the revision the form is built
        on, a colleague's newer save, the problems by field, and the three content languages."""
        lang = language_of(request)
        return self.console.page(
            request,
            template,
            status,
            e=CONTENT_TEXTS[lang],
            values=values,
            revision=form_revision(copy, values, stale),
            stale=stale_notice(stale, "stale_form", lang) if stale else "",
            content_languages=[(code, LANGUAGE_NAMES[code]) for code in LANGUAGES],
            problems=problems_by_field(problems, lang),
            **extra,
        )

    def overview(
        self,
        request: Request,
        name: str,
        *,
        problems: Sequence[Problem] = (),
        note: str = "",
        stale: Copy | None = None,
        status: int = 200,
    ) -> HTMLResponse:
        copy = self.copies.current(name)
        lang = language_of(request)
        return self.console.page(
            request,
            "content.html",
            status,
            e=CONTENT_TEXTS[lang],
            name=name,
            copy=copy,
            announcements=announcement_rows(copy, self.central.clock()),
            problems=shown_problems(problems, lang),
            note=note,
            stale=stale_notice(stale, "stale_action", lang) if stale else "",
        )


def stale_notice(copy: Copy, key: str, lang: str) -> str:
    """Who changed the copy and when, in the reader's language (Baku time)."""
    texts = CONTENT_TEXTS[lang]
    when = Formats(lang, copy.updated or datetime.now(UTC)).when(copy.updated)
    return texts[key].format(who=copy.updated_by or texts["someone"], when=when)


def announcement_rows(copy: Copy, now: datetime) -> list[dict[str, Any]]:
    """The copy's announcements for the overview's table, each with its state now (planned, showing,
    ended); one whose times cannot be read (the parser refuses it anyway) shows without a state."""
    rows = []
    for item in copy.items("announcements"):
        starts, ends = str(item.get("starts", "")), str(item.get("ends", ""))
        try:
            start, end = datetime.fromisoformat(starts), datetime.fromisoformat(ends)
            state = "ended" if end <= now else "planned" if start > now else "showing"
        except (TypeError, ValueError):
            state, starts, ends = "", "", ""
        text = item.get("text")
        centres = item.get("centres")
        rows.append(
            {
                "id": str(item.get("id", "")),
                "level": str(item.get("level", "info")),
                "starts": starts,
                "ends": ends,
                "text": {k: str(v) for k, v in text.items()} if isinstance(text, dict) else {},
                "centres": [str(c) for c in centres] if isinstance(centres, list) else [],
                "state": state,
            }
        )
    return rows


def form_revision(copy: Copy, values: Mapping[str, Any], stale: Copy | None) -> str:
    """The revision a re-rendered form carries: the current one on a fresh form or after a refusal for
    a concurrent change (saving again is then a choice), else the one the user's form was built on."""
    if stale is not None or "revision" not in values:
        return copy.revision
    return str(values["revision"])[:64]


def holds(copy: Copy, table: str, item_id: str) -> bool:
    return any(item.get("id") == item_id for item in copy.items(table))


def form_fields(form: FormData) -> dict[str, str]:
    """The form's single-valued fields as text (files are not expected here and are ignored)."""
    return {
        key: value
        for key, value in form.items()
        if isinstance(value, str) and key not in ("csrf", "centres", "schedule.weekdays")
    }


def form_list(form: FormData, key: str) -> list[str]:
    return [value[:128] for value in form.getlist(key) if isinstance(value, str)][:MAX_LIST]


def problem_message(problem: Problem, lang: str) -> str:
    """A problem in the reader's words: the editor's own texts, or the announcements page's for the
    announcement checks both pages make (``{hours}`` is the long emergency's one number)."""
    template = CONTENT_TEXTS[lang].get(problem.code) or TEXTS[lang][problem.code]
    detail = problem.detail
    if problem.code == "propose_conflict":  # the parts of the content, in the reader's words
        parts = (part.strip() for part in detail.split(","))
        detail = ", ".join(TEXTS[lang].get(f"part_{part}", part) for part in parts)
    return template.format(detail=detail, hours=problem.detail)


def shown_problems(problems: Sequence[Problem], lang: str) -> list[str]:
    return [problem_message(p, lang) for p in problems]


def problems_by_field(problems: Sequence[Problem], lang: str) -> dict[str, list[str]]:
    """Messages per form field; ``""`` holds those for the whole form."""
    placed: dict[str, list[str]] = {}
    for problem in problems:
        placed.setdefault(problem.field, []).append(problem_message(problem, lang))
    return placed
