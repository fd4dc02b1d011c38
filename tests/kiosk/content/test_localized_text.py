"""A content text's language fallback, and when it is worth a warning (which a kiosk reports as its
last problem on the console's fleet page)."""

from __future__ import annotations

import logging

import pytest

from kiosk.content.model import LocalizedText


def test_a_missing_translation_falls_back_to_azerbaijani_with_one_warning(
    caplog: pytest.LogCaptureFixture,
) -> None:
    text = LocalizedText({"az": "Günəş", "en": ""}, key="services.sun.title")
    with caplog.at_level(logging.WARNING, logger="kiosk.content.model"):
        assert text.get("en") == "Günəş" and text.get("en") == "Günəş"
    assert [r.getMessage() for r in caplog.records] == [
        "Content text services.sun.title has no 'en' version; showing Azerbaijani"
    ]


def test_a_text_with_no_versions_at_all_is_empty_without_a_warning(caplog: pytest.LogCaptureFixture) -> None:
    """The screen before any content is loaded has no channel name: not a content problem to report."""
    with caplog.at_level(logging.WARNING, logger="kiosk.content.model"):
        assert LocalizedText({}).get("az") == "" and LocalizedText({}, "channel.name").get("ru") == ""
    assert caplog.records == []
