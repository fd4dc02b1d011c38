"""Console pages that answer questions: proof of play (page and CSV) and what a release changed.

Its own router, included by :func:`central.console.install_console`, behind the same session and CSRF
guard as every console page. Filters come from the query string and are hostile like any input: a
date that is not a date, a year 9999 or a range of decades is a 400 page that says what to change.
"""

from __future__ import annotations

import csv
import io
import logging
from dataclasses import dataclass
from datetime import date, timedelta
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from central.console import PREFIX, SECURITY_HEADERS, Console, Formats, _ConsoleRoute, language_of
from central.console_reports_text import REPORT_TEXTS, summary
from central.draft_notes import add_draft_notes
from central.errors import Invalid, NotFound
from central.play_report import DIMENSIONS, PlayFilter, PlayReport, PlayRow, check_filter

log = logging.getLogger(__name__)

DEFAULT_DAYS = 7
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class ShownRow:
    """A report row as the reader sees it: the item's title in their language, time as h:mm:ss."""

    dimension: str
    type_label: str
    name: str
    item: str
    plays: int
    seconds: int


def reports_router(console: Console) -> APIRouter:
    central = console.central
    report = PlayReport(central.database, central.publishing, lambda: central.clock())
    notes = console.release_notes
    router = APIRouter(prefix=PREFIX, route_class=_ConsoleRoute, include_in_schema=False)

    def read_filter(request: Request) -> PlayFilter:
        texts = REPORT_TEXTS[language_of(request)]
        query = request.query_params
        today = report.today()
        try:
            first = _date(query.get("from"), today - timedelta(days=DEFAULT_DAYS - 1))
            last = _date(query.get("to"), today)
        except ValueError as exc:
            raise Invalid(texts["bad_date"]) from exc
        try:
            return check_filter(first, last, today, query.get("centre", ""), query.get("kiosk", ""))
        except Invalid as exc:
            raise Invalid(texts["bad_filter"].format(reason=exc)) from exc

    def shown_rows(rows: list[PlayRow], lang: str) -> list[ShownRow]:
        texts = REPORT_TEXTS[lang]
        titles = report.titles()
        shown = []
        for row in rows:
            if row.dimension == "section":
                name = texts.get(f"section_{row.item}", row.item)
            else:
                values = titles.get((row.dimension, row.item), {})
                name = values.get(lang) or values.get("az") or row.item
            label = texts[f"type_{row.dimension}"]
            shown.append(ShownRow(row.dimension, label, name, row.item, row.plays, round(row.seconds)))
        return shown

    @router.get("/plays")
    def plays_page(request: Request) -> HTMLResponse:
        lang = language_of(request)
        wanted = read_filter(request)
        rows = shown_rows(report.rows(wanted), lang)
        groups = [(d, [r for r in rows if r.dimension == d]) for d in DIMENSIONS]
        query = urlencode(
            {
                "from": wanted.first.isoformat(),
                "to": wanted.last.isoformat(),
                "centre": wanted.centre,
                "kiosk": wanted.kiosk,
            }
        )
        return console.page(
            request,
            "plays.html",
            r=REPORT_TEXTS[lang],
            wanted=wanted,
            groups=groups,
            centres=report.centres(),
            kiosks=report.kiosk_ids(),
            csv_link=f"{PREFIX}/plays.csv?{query}",
        )

    @router.get("/plays.csv")
    def plays_csv(request: Request) -> Response:
        lang = language_of(request)
        wanted = read_filter(request)
        rows = shown_rows(report.rows(wanted), lang)
        name = f"proof-of-play-{wanted.first.isoformat()}-{wanted.last.isoformat()}.csv"
        headers = {**SECURITY_HEADERS, "Content-Disposition": f'attachment; filename="{name}"'}
        return Response(
            plays_csv_text(rows, wanted, lang).encode("utf-8-sig"),
            media_type="text/csv; charset=utf-8",
            headers=headers,
        )

    @router.get("/channels/{name}/releases/{number}")
    def release_page(name: str, number: int, request: Request) -> HTMLResponse:
        lang = language_of(request)
        releases = central.releases(name)
        numbers = sorted(r["release"] for r in releases)
        found = next((r for r in releases if r["release"] == number), None)
        if found is None:
            raise NotFound(f"channel {name!r} has no release {number}")
        formats = Formats(lang, central.clock())
        add_draft_notes(central.database, name, [found], lang, formats.when)
        index = numbers.index(number)
        change = notes.change(name, number, numbers[index - 1] if index else None)
        return console.page(
            request,
            "release.html",
            r=REPORT_TEXTS[lang],
            name=name,
            release=found,
            change=change,
            summary=summary(change.counts, lang),
        )

    return router


def plays_csv_text(rows: list[ShownRow], wanted: PlayFilter, lang: str) -> str:
    """The figures of the page as CSV: every cell quoted as needed and never read as a formula."""
    texts = REPORT_TEXTS[lang]
    out = io.StringIO()
    writer = csv.writer(out, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerow(
        [
            texts[key]
            for key in (
                "col_type",
                "col_name",
                "col_id",
                "col_plays",
                "col_seconds",
                "col_centre",
                "col_kiosk",
                "col_from",
                "col_to",
            )
        ]
    )
    every = texts["filter_all"]
    for row in rows:
        cells = [
            row.type_label,
            row.name,
            row.item,
            str(row.plays),
            str(row.seconds),
            wanted.centre or every,
            wanted.kiosk or every,
            wanted.first.isoformat(),
            wanted.last.isoformat(),
        ]
        writer.writerow([safe_cell(cell) for cell in cells])
    return out.getvalue()


def safe_cell(value: str) -> str:
    """A spreadsheet must not run a cell as a formula (``=HYPERLINK(…)`` in a title): prefix ``'``."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def _date(value: str | None, default: date) -> date:
    if value is None or value == "":
        return default
    if len(value) != 10:
        raise ValueError(value[:20])
    return date.fromisoformat(value)
