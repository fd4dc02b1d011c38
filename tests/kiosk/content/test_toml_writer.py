"""The content.toml writer behind ``kioskctl pull``: whatever it writes, tomllib reads back unchanged."""

from __future__ import annotations

import tomllib
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kiosk.content.model import ID_PATTERN, parse_content
from kiosk.content.source import load_source_document
from kiosk.content.toml_writer import dumps_toml
from kiosk.errors import ContentError
from tests.conftest import REPO_ROOT
from tests.content_docs import document, service

BOUNDED = settings(max_examples=100, deadline=2000, suppress_health_check=[HealthCheck.too_slow])
texts = st.text(max_size=40)  # every code point a str can hold except lone surrogates, which UTF-8 cannot
ids = st.from_regex(ID_PATTERN, fullmatch=True)
filled = texts.filter(lambda t: bool(t.strip()))
localized = st.fixed_dictionaries({"az": filled, "en": filled, "ru": filled})
scalars = (
    st.booleans()
    | st.integers(min_value=-(2**63), max_value=2**63 - 1)
    | st.floats(allow_nan=False, allow_infinity=False)
    | texts
)
trees = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(texts, inner, max_size=3),
    max_leaves=10,
)


@st.composite
def content_documents(draw: st.DrawFn) -> dict[str, Any]:
    """Documents the kiosk's parser accepts: cards with any texts, announcements, settings, a video."""
    names = draw(st.lists(ids, min_size=1, max_size=4, unique=True))
    services = [
        service(
            name,
            title=draw(localized),
            body=draw(localized),
            featured=draw(st.booleans()),
            centres=draw(st.lists(ids, max_size=2)),
        )
        for name in names
    ]
    doc = document(services=services)
    if draw(st.booleans()):
        doc["announcements"] = [
            {
                "id": draw(ids),
                "level": draw(st.sampled_from(["info", "warning", "emergency"])),
                "starts": "2026-06-21T09:00:00+04:00",
                "ends": "2026-06-22T09:00:00+04:00",
                "text": {"az": "Elan", "en": "Notice", "ru": "Объявление"},
            }
        ]
    if draw(st.booleans()):
        doc["settings"] = [{"centres": draw(st.lists(ids, min_size=1, max_size=2))}]
    return doc


@BOUNDED
@given(content_documents())
def test_any_valid_content_document_reads_back_as_the_same_document(doc: dict[str, Any]) -> None:
    parse_content(doc, release=0, origin="source", where="generated")  # the kiosk accepts it
    assert tomllib.loads(dumps_toml(doc)) == doc


@BOUNDED
@given(st.dictionaries(texts, trees, max_size=5))
def test_any_json_like_tree_reads_back_unchanged(doc: dict[str, Any]) -> None:
    assert tomllib.loads(dumps_toml(doc, header="pulled\nfrom release 3")) == doc


def test_the_demo_content_reads_back_unchanged() -> None:
    doc = load_source_document(REPO_ROOT / "resources" / "demo")
    written = dumps_toml(doc)
    assert tomllib.loads(written) == doc
    assert "[[services]]" in written  # tables stay tables, so an administrator can edit the file


@pytest.mark.parametrize("value", [None, float("inf"), 2**64])
def test_what_toml_cannot_hold_is_refused_with_the_key_named(value: Any) -> None:
    with pytest.raises(ContentError, match="services"):
        dumps_toml({"services": [{"id": "x", "weight": value}]})
