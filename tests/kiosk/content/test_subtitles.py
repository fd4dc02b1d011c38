from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.content.subtitles import (
    Cue,
    cue_at,
    load_subtitles,
    parse_subtitles,
    render_srt,
    render_vtt,
)
from kiosk.errors import ContentError

SRT = """\ufeff1\r
00:00:01,000 --> 00:00:03,500\r
Günəş enerjisi\r
<i>ASAN xidmət</i>\r
\r
2\r
00:00:04,000 --> 00:00:06,000 X1:40 X2:600 Y1:20 Y2:50\r
{\\an8}Чистая энергия\r
\r
"""

VTT = """WEBVTT - campaign subtitles
Kind: captions

STYLE
::cue { color: yellow }

NOTE this block is a comment
spread over two lines

intro
00:01.000 --> 00:03.500 line:90% align:center
<v Narrator>Clean <b>solar</b> energy</v>
for every centre &amp; every visitor

01:00:04.250 --> 01:00:06.000
<c.yellow>Bərpa olunan</c> enerji
"""


def _line_text() -> st.SearchStrategy[str]:
    characters = st.characters(
        blacklist_categories=("Cc", "Cs", "Zl", "Zp", "Zs"), blacklist_characters="<>{}&"
    )
    words = st.text(characters, min_size=1, max_size=12)
    return st.lists(words, min_size=1, max_size=4).map(" ".join).filter(lambda line: "-->" not in line)


@st.composite
def _cues(draw: st.DrawFn) -> tuple[Cue, ...]:
    count = draw(st.integers(min_value=0, max_value=8))
    cues = []
    for _ in range(count):
        start = draw(st.integers(min_value=0, max_value=99 * 3_600_000))
        length = draw(st.integers(min_value=0, max_value=60_000))
        text = "\n".join(draw(st.lists(_line_text(), min_size=1, max_size=3)))
        cues.append(Cue(start, start + length, text))
    return tuple(sorted(cues, key=lambda cue: (cue.start_ms, cue.end_ms)))


@given(_cues())
def test_srt_round_trips(cues: tuple[Cue, ...]) -> None:
    assert parse_subtitles(render_srt(cues)) == cues


@given(_cues())
def test_vtt_round_trips(cues: tuple[Cue, ...]) -> None:
    assert parse_subtitles(render_vtt(cues)) == cues


@given(_cues(), st.text(alphabet="<>&", max_size=5))
def test_vtt_escapes_markup_characters(cues: tuple[Cue, ...], markup: str) -> None:
    marked = tuple(Cue(cue.start_ms, cue.end_ms, f"{markup} {cue.text}".strip()) for cue in cues)
    assert parse_subtitles(render_vtt(marked)) == marked


def test_srt_with_bom_crlf_tags_and_position_codes() -> None:
    assert parse_subtitles(SRT) == (
        Cue(1000, 3500, "Günəş enerjisi\nASAN xidmət"),
        Cue(4000, 6000, "Чистая энергия"),
    )


def test_vtt_skips_header_style_and_note_blocks_and_cue_settings() -> None:
    assert parse_subtitles(VTT) == (
        Cue(1000, 3500, "Clean solar energy\nfor every centre & every visitor"),
        Cue(3_604_250, 3_606_000, "Bərpa olunan enerji"),
    )


def test_cues_are_sorted_by_start() -> None:
    text = "2\n00:00:05,000 --> 00:00:06,000\nlater\n\n1\n00:00:01,000 --> 00:00:02,000\nearlier\n"
    assert [cue.text for cue in parse_subtitles(text)] == ["earlier", "later"]


def test_srt_without_cue_numbers_and_with_extra_blank_lines() -> None:
    text = "\n\n00:00:01,000 --> 00:00:02,000\none\n\n\n\n00:00:03,000 --> 00:00:04,000\ntwo"
    assert parse_subtitles(text) == (Cue(1000, 2000, "one"), Cue(3000, 4000, "two"))


@pytest.mark.parametrize(
    ("position", "text"),
    [
        (0, ""),
        (999, ""),
        (1000, "Günəş enerjisi\nASAN xidmət"),
        (3499, "Günəş enerjisi\nASAN xidmət"),
        (3500, ""),
        (4000, "Чистая энергия"),
        (5999, "Чистая энергия"),
        (6000, ""),
        (10**9, ""),
    ],
)
def test_cue_at_shows_a_cue_from_its_start_until_its_end(position: int, text: str) -> None:
    assert cue_at(parse_subtitles(SRT), position) == text


def test_cue_at_with_no_cues_is_empty() -> None:
    assert cue_at((), 1234) == ""


def test_overlapping_cues_show_the_one_that_started_last() -> None:
    cues = (Cue(0, 5000, "first"), Cue(1000, 2000, "second"))
    assert [cue_at(cues, ms) for ms in (500, 1500, 2500)] == ["first", "second", ""]


@given(_cues(), st.integers(min_value=0, max_value=100 * 3_600_000))
def test_cue_at_agrees_with_a_linear_scan_for_non_overlapping_cues(
    cues: tuple[Cue, ...], position: int
) -> None:
    separate: list[Cue] = []
    for cue in cues:
        if not separate or cue.start_ms >= separate[-1].end_ms:
            separate.append(cue)
    expected = next((c.text for c in separate if c.start_ms <= position < c.end_ms), "")
    assert cue_at(separate, position) == expected


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("1\n00:00:01,000 -> 00:00:02,000\nhello\n", 1, "timing line"),
        ("1\n00:00:01,000 --> 00:00:02\nhello\n", 2, "cannot read the cue timing"),
        ("1\n00:00:03,000 --> 00:00:02,000\nhello\n", 2, "ends before it starts"),
        ("1\n00:00:01,000 --> 00:00:02,000\nhi\n\njust some text\n", 5, "timing line"),
        ("1\n00:00:01,000 --> 00:00:02,000\nhi\n00:00:03,000 --> 00:00:04,000\nho\n", 4, "blank line"),
        ("1\n00:00:01,000 --> 00:01:75,000\nhi\n", 2, "below 60"),
        ("WEBVTT\n\n00:01.000 --> 00:02.000\nok\n\nstray text\n", 6, "timing line"),
        ("WEBVTT\n00:01.000 --> 00:02.000\nno blank line\n", 2, "blank line"),
    ],
)
def test_broken_file_names_the_file_and_line(text: str, line: int, words: str) -> None:
    with pytest.raises(ContentError) as error:
        parse_subtitles(text, source="video-az.srt")
    assert f"video-az.srt, line {line}:" in str(error.value)
    assert words in str(error.value)


def test_load_subtitles_reads_utf8_with_bom(tmp_path: Path) -> None:
    path = tmp_path / "az.vtt"
    path.write_bytes(b"\xef\xbb\xbf" + VTT.replace("\n", "\r\n").encode())
    assert load_subtitles(path) == parse_subtitles(VTT)


def test_load_subtitles_rejects_a_file_that_is_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "ru.srt"
    path.write_bytes(b"1\n00:00:01,000 --> 00:00:02,000\n\xcf\xf0\xe8\xe2\xe5\xf2\n")
    with pytest.raises(ContentError, match=r"ru\.srt, line 3: .*UTF-8"):
        load_subtitles(path)


def test_load_subtitles_names_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ContentError, match=r"missing\.srt"):
        load_subtitles(tmp_path / "missing.srt")
