"""Every console form, posted with hostile values by a logged-in user: never a 500, never a traceback,
and a refused form changes nothing.

The JSON API has Schemathesis (``test_api_fuzz.py``); the console's forms are HTML, so Hypothesis
draws the forms here: each route's own fields (and some it does not know), missing, duplicated,
empty, huge, with NUL and control characters, invalid UTF-8, numbers where words belong and words
where numbers belong, urlencoded or multipart, on hostile path parameters too. The session and its
CSRF token are valid, so every example reaches the handler. A real server on 127.0.0.1 answers.
``CONSOLE_FUZZ_EXAMPLES=500`` explores further, with a new random seed each run.
"""

from __future__ import annotations

import html
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from html.parser import HTMLParser
from typing import Any
from urllib.parse import quote, quote_from_bytes

import pytest
import requests
from fastapi.routing import APIRoute
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from central.console import BAKU
from central.console_text import TEXTS
from central.models import Base
from tests.central.conftest import Fleet, make_fleet
from tests.central.server import routes_of
from tests.central.test_api import published
from tests.central.test_console import PASSWORD, csrf_of, log_in

HUGE = "Ə" * 300_000  # 600 kB of UTF-8, 1.8 MB urlencoded
SPECIAL = [
    "", " ", "\x00", "a\x00b", "\r\n", "\x1b[31m", "\u202egnp.exe", "\ufeff", "\U0001f600" * 50,
    "NaN", "nan", "inf", "-inf", "1e309", "-1", "0", "99999999999999999999999999", "1.5", "0x10",
    "2026-02-30T25:61", "9999-12-31T23:59", "0001-01-01T00:00", "../../etc/passwd", "/console/../x",
    "//evil.example/", "https://evil.example", "javascript:alert(1)", "<script>alert(1)</script>",
    "{{ 7*7 }}", "%s%n", "' OR 1=1 --", "on", "yes", "every", "centre:", "kiosk:", "centre:baku-1",
    "energy", "video", "services", "up", "down", "info", "emergency", "main", "baku-1-lobby", "item-0",
    "x" * 129, "x" * 2049, "x" * 70_000, HUGE,
]  # fmt: skip
KNOWN_FIELDS = {
    "/console/login": ["name", "password", "next"],
    "/console/kiosks/{kiosk_id}/screenshot-request": ["next"],
    "/console/channels/{name}/rollback": ["release"],
    "/console/announcements": ["channel", "level", "az", "en", "ru", "starts", "ends", "centres", "long_ok"],
    "/console/announcements/end": ["channel", "announcement"],
    "/console/accounts/password": ["current", "new", "repeat"],
    "/console/accounts/tokens/{kind}/{name}/revoke": ["confirm"],
    "/console/channels/{name}/content/new/{table}": ["id", "url", "title.az", "title.en", "icon", "section"],
    "/console/channels/{name}/content/{table}/{item_id}": ["id", "url", "title.az", "title.en", "icon"],
    "/console/channels/{name}/content/{table}/{item_id}/move": ["step"],
    "/console/channels/{name}/content/general": ["sequence.0", "sequence.1", "attract.seconds", "name.az"],
    "/console/channels/{name}/content/propose": ["note"],
    "/console/channels/{name}/media": ["kind", "file"],
}  # fmt: skip
PATH_FOR = {  # a route's own valid path parameters, where they differ from VALID_PATH
    "/console/accounts/users/{name}/remove": {"name": "operator"},
    "/console/accounts/tokens/{kind}/{name}/revoke": {"name": "baku-1-lobby"},
}
VALID_PATH = {
    "kiosk_id": "baku-1-lobby", "name": "main", "kind": "kiosk", "table": "services", "item_id": "item-0",
    "draft_id": "1", "sha": "0" * 64,
}  # fmt: skip
SKIPPED = {"/console/logout"}  # it ends the session every example needs; its CSRF check: test_console.py
PAGES = [
    "/console/", "/console/kiosks/baku-1-lobby", "/console/channels/main", "/console/channels/main/settings",
    "/console/announcements", "/console/accounts", "/console/accounts/tokens/kiosk/baku-1-lobby/revoke",
    "/console/channels/main/content", "/console/channels/main/content/general",
    "/console/channels/main/content/services/item-0", "/console/channels/main/content/new/services",
    "/console/channels/main/media", "/console/channels/main/drafts/1",
]  # fmt: skip

text_value = st.text(max_size=40)
raw_value = st.binary(max_size=40)  # often not UTF-8 at all
value = st.one_of(
    text_value.map(str.encode),
    st.sampled_from(SPECIAL).map(lambda s: s.encode()),
    raw_value,
    st.sampled_from(["\ud800", "a\udfffb"]).map(lambda s: s.encode("utf-8", "surrogatepass")),
)


def console_posts(fleet: Fleet) -> list[APIRoute]:
    return [
        route
        for route in routes_of(fleet.server.app)
        if "POST" in route.methods and route.path.startswith("/console") and route.path not in SKIPPED
    ]


def snapshot(fleet: Fleet) -> list[tuple[str, list[str]]]:
    """Every table's rows but the sessions' (whose last-used time moves with every request)."""
    tables = [t for t in Base.metadata.sorted_tables if t.name != "web_sessions"]
    with fleet.central.database.session() as session:
        return [(t.name, sorted(repr(tuple(row)) for row in session.execute(select(t)))) for t in tables]


class _Forms(HTMLParser):
    """The POST forms of a page, each as its action and the fields a browser would send unchanged."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[tuple[str, list[tuple[str, str]]]] = []
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form" and a.get("method", "").lower() == "post":
            self.forms.append((html.unescape(a.get("action", "")), []))
        if not self.forms or ("name" not in a and tag != "option"):
            return
        fields = self.forms[-1][1]
        if tag == "input" and a.get("type") not in ("submit", "file", "button"):
            if a.get("type") not in ("checkbox", "radio") or "checked" in a:
                fields.append((a["name"], a.get("value", "")))
        elif tag == "select":
            self._select = a["name"]
            fields.append((a["name"], ""))
        elif tag == "option" and self._select is not None and ("selected" in a or fields[-1][1] == ""):
            fields[-1] = (self._select, a.get("value", ""))
        elif tag == "textarea":
            self._textarea = a["name"]
            fields.append((a["name"], ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._textarea is not None and self.forms:
            name, text = self.forms[-1][1][-1]
            self.forms[-1][1][-1] = (name, text + data)


def page_forms(browser: requests.Session, url: str) -> list[tuple[str, list[tuple[str, str]]]]:
    """Every POST form on the console's pages, as the browser shows it (the valid starting points)."""
    found = []
    for page in PAGES:
        parser = _Forms()
        parser.feed(browser.get(url + page, timeout=5).text)
        found += [(action, [f for f in fields if f[0] != "csrf"]) for action, fields in parser.forms]
    starts = datetime.now(BAKU).replace(second=0, microsecond=0, tzinfo=None) + timedelta(hours=1)
    announcement = [
        ("channel", "main"), ("level", "info"), ("az", "Elan"), ("en", "Notice"), ("ru", "Объявление"),
        ("starts", starts.isoformat()), ("ends", (starts + timedelta(hours=1)).isoformat()),
    ]  # fmt: skip
    item = next(fields for action, fields in found if action.endswith("/content/services/item-0"))
    new_item = [("id", "fuzz-new") if name == "id" else (name, given) for name, given in item]
    return [
        *found,
        ("/console/announcements", announcement),
        ("/console/channels/main/content/new/services", new_item),
    ]


def baselines(route: APIRoute, forms: list[tuple[str, list[tuple[str, str]]]]) -> list[list[tuple[str, str]]]:
    pattern = re.compile("^" + re.sub(r"\\{\w+\\}", "[^/?#]+", re.escape(route.path)) + "$")
    return [fields for action, fields in forms if pattern.match(action.split("?")[0])]


@st.composite
def forms(
    draw: st.DrawFn, route: APIRoute, pool: list[str], valid: list[list[tuple[str, str]]]
) -> tuple[str, list[tuple[bytes, bytes]], bool]:
    """A path (its parameters valid or hostile), a list of fields (names may repeat) and multipart or not.

    Half the examples start from a form as the page offers it and spoil some of its fields, so the
    handlers' deeper checks are reached; the others are drawn from the field names alone.
    """
    params = {}
    for name in re.findall(r"{(\w+)}", route.path):
        if draw(st.integers(0, 5)) == 0:
            params[name] = quote(draw(st.sampled_from(SPECIAL[:-2]) | text_value), safe="")
        else:
            params[name] = PATH_FOR.get(route.path, {}).get(name, VALID_PATH[name])
    path = route.path.format(**params)
    fields: list[tuple[bytes, bytes]] = []
    if valid and draw(st.booleans()):
        chosen = draw(st.sampled_from(valid))
        places = st.integers(0, max(0, len(chosen) - 1))
        spoilt = set(draw(st.lists(places, min_size=1, max_size=2)))  # one or two bad fields, the rest good
        dropped, doubled = set(draw(st.lists(places, max_size=1))), set(draw(st.lists(places, max_size=1)))
        for index, (name, given) in enumerate(chosen):
            if index in dropped:
                continue
            if index not in spoilt or index in doubled:
                fields.append((name.encode(), given.encode()))
            if index in spoilt:
                fields.append((name.encode(), draw(value)))
        fields += draw(st.lists(st.tuples(raw_value | text_value.map(str.encode), value), max_size=1))
        return path, fields, draw(st.booleans())
    known = [*{p.name for p in route.dependant.body_params}, *KNOWN_FIELDS.get(route.path, [])]
    known += draw(st.lists(st.sampled_from(pool), max_size=6, unique=True))
    for name in known:
        for _copy in range(draw(st.sampled_from([0, 1, 1, 1, 2]))):  # missing, once, duplicated
            fields.append((name.encode(), draw(value)))
    fields += draw(st.lists(st.tuples(raw_value | text_value.map(str.encode), value), max_size=2))
    return path, draw(st.permutations(fields)), draw(st.booleans())


def post(
    browser: requests.Session, url: str, fields: list[tuple[bytes, bytes]], multipart: bool
) -> requests.Response:
    if multipart:
        parts = [(name.decode("utf-8", "replace"), (None, data)) for name, data in fields]
        return browser.post(
            url, files=parts or None, data=None if parts else {}, allow_redirects=False, timeout=30
        )
    body = "&".join(f"{quote_from_bytes(n, safe='')}={quote_from_bytes(v, safe='')}" for n, v in fields)
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    return browser.post(url, data=body.encode(), headers=headers, allow_redirects=False, timeout=30)


def check(response: requests.Response, before: list[Any], after: list[Any], what: str) -> None:
    assert response.status_code < 500, f"{what}: {response.status_code} {response.text[:300]}"
    assert "Traceback" not in response.text and 'File "' not in response.text, what
    unrouted = response.status_code == 404 and response.text == '{"error":"Not Found"}'  # e.g. "//" in it
    redirected = 300 <= response.status_code < 400  # 303 after a form; 307 for a "//" path (Starlette)
    if not redirected and not unrouted:  # the console answers a person: a page, never JSON
        assert response.headers["content-type"].startswith("text/html"), f"{what}: {response.text[:200]}"
    if response.status_code >= 400:
        assert after == before, f"{what}: refused with {response.status_code} but changed the database"


@dataclass(frozen=True)
class Fuzzed:
    fleet: Fleet
    browser: requests.Session
    csrf: str
    offered: list[tuple[str, list[tuple[str, str]]]]  # the forms as the pages offered them at the start


@pytest.fixture(scope="module")
def fuzzed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Fuzzed]:
    """Two releases, a pending draft (number 1), an operator to remove, and a logged-in admin.

    One server for the module (its set-up is most of a group's time); each example checks its own
    before and after, so what one group leaves behind is only more varied ground for the next.
    """
    tmp_path = tmp_path_factory.mktemp("console-fuzz")
    fleet = make_fleet(tmp_path)
    published(fleet, tmp_path, count=2, tag="v1")
    published(fleet, tmp_path, count=3, tag="v2")
    fleet.central.accounts.add_user("admin", PASSWORD)
    fleet.central.accounts.add_user("operator", "another-long-password")
    browser = log_in(fleet)
    csrf = csrf_of(browser.get(f"{fleet.server.url}/console/", timeout=5).text)
    draft = browser.post(
        f"{fleet.server.url}/console/channels/main/rollback",
        data={"csrf": csrf, "release": "1"},
        allow_redirects=False,
        timeout=5,
    )
    assert draft.status_code == 303
    yield Fuzzed(fleet, browser, csrf, page_forms(browser, fleet.server.url))
    fleet.server.close()


GROUPS = {
    "accounts": r"^/console/(accounts|login)",
    "announcements": r"^/console/announcements",
    "channel": r"^/console/(kiosks|channels/\{name\}/(rollback|settings|drafts))",
    "content": r"^/console/channels/\{name\}/content",
    "media": r"^/console/channels/\{name\}/media",
}


def test_every_console_post_route_is_in_a_fuzzed_group(fuzzed: Fuzzed) -> None:
    fleet = fuzzed.fleet
    paths = sorted({route.path for route in console_posts(fleet)})
    ungrouped = [p for p in paths if not any(re.match(g, p) for g in GROUPS.values())]
    assert paths and ungrouped == []  # a new console form joins a group here


@pytest.mark.parametrize("group", sorted(GROUPS))
def test_hostile_console_forms_are_refused_in_words_and_change_nothing(group: str, fuzzed: Fuzzed) -> None:
    fleet, browser, csrf, offered = fuzzed.fleet, fuzzed.browser, fuzzed.csrf, fuzzed.offered
    routes = [r for r in console_posts(fleet) if re.match(GROUPS[group], r.path)]
    assert routes, group
    login_browser = requests.Session()
    login_browser.get(f"{fleet.server.url}/console/login", timeout=5)
    login_csrf = login_browser.cookies.get("gk_login_csrf", path="/console/login")
    pool = sorted({name for _action, fields in offered for name, _value in fields})

    @settings(
        max_examples=int(os.environ.get("CONSOLE_FUZZ_EXAMPLES", "40")),
        deadline=None,
        derandomize="CONSOLE_FUZZ_EXAMPLES" not in os.environ,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(data=st.data())
    def examples(data: st.DataObject) -> None:
        route = data.draw(st.sampled_from(routes))
        path, fields, multipart = data.draw(forms(route, pool, baselines(route, offered)))
        public = route.path == "/console/login"
        token = login_csrf if public else csrf
        fields = [*fields, (b"csrf", token.encode())]
        before = snapshot(fleet)
        try:
            response = post(login_browser if public else browser, fleet.server.url + path, fields, multipart)
        except requests.ConnectionError:
            # The upload refuses a wrong form at its first bytes and closes the connection rather
            # than read the rest of a large body: the client may see the reset before the answer.
            assert getattr(route, "reads_form", True) is False, path
            assert snapshot(fleet) == before, path
            return
        check(response, before, snapshot(fleet), f"{route.path} {path[:80]} {fields!r:.300}")
        if not public:  # still logged in: no example may end the session
            assert response.headers.get("location", "").startswith("/console/login") is False, path

    examples()


def test_a_form_value_fastapi_refuses_is_answered_with_a_console_page_not_json(fuzzed: Fuzzed) -> None:
    url, browser = fuzzed.fleet.server.url, fuzzed.browser
    refused = [
        browser.post(f"{url}/console/channels/main/rollback", data={"csrf": fuzzed.csrf, "release": "1e309"}),
        browser.post(f"{url}/console/accounts/password", data={"csrf": fuzzed.csrf, "current": "x" * 1025}),
        browser.post(
            f"{url}/console/channels/main/rollback",
            data=b"--x\r\nContent-Type: text/plain\r\n\r\nabc\r\n--x--\r\n",
            headers={"Content-Type": "multipart/form-data; boundary=x"},
        ),
    ]
    lead = TEXTS["az"]["form_invalid"].split("(")[0]
    for response in refused:
        assert response.status_code == 400 and response.headers["content-type"].startswith("text/html")
        assert lead in response.text and "Traceback" not in response.text
