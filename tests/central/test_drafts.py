"""A draft is rendered from its kind and typed parameters, in the reader's language, never from a sentence."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import update

from central.console import Formats, describe_draft
from central.models import Draft
from tests.central.conftest import Fleet
from tests.central.test_api import published

TEXTS = {"az": "Mərkəz bu gün 17:00-dək işləyir", "en": "Open until 17:00 today", "ru": "Сегодня до 17:00"}


def test_a_draft_is_rendered_from_its_parameters_in_each_language(fleet: Fleet, tmp_path: Path) -> None:
    published(fleet, tmp_path, count=1)
    central = fleet.central
    now = datetime.now(UTC).replace(microsecond=0)
    central.propose_announcement("main", TEXTS, starts=now, ends=now + timedelta(hours=5), by="ops")
    central.propose_rollback("main", 1, by="ops")
    announcement, rollback = central.drafts("main")
    assert announcement["params"]["texts"] == TEXTS and rollback["params"] == {"release": 1}

    az, en = Formats("az", now), Formats("en", now)
    until = en.when(now + timedelta(hours=5))
    assert describe_draft(announcement, en) == f"Announcement until {until}: Open until 17:00 today"
    assert describe_draft(announcement, az).endswith("-dək: Mərkəz bu gün 17:00-dək işləyir")
    assert describe_draft(rollback, en) == "Rollback: the content of release 1 becomes active again"

    with central.database.session() as session:  # the English sentence is not what the console reads
        session.execute(update(Draft).values(description="roll back to the content of release 99"))
    _, rollback = central.drafts("main")
    assert describe_draft(rollback, en) == "Rollback: the content of release 1 becomes active again"

    with central.database.session() as session:  # a draft stored before parameters were kept
        session.execute(update(Draft).values(params="{}"))
    _, rollback = central.drafts("main")
    assert describe_draft(rollback, en) == "roll back to the content of release 99"
