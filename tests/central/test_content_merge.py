"""The three-way merge of content documents: what one side changed survives, clashes are named."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from central.content_merge import merge_content, referenced_blobs
from kiosk.content.manifest import BlobInfo

KEYS = ("services", "videos", "announcements", "settings", "attract")
values = st.one_of(
    st.integers(0, 3), st.booleans(), st.lists(st.integers(0, 2), max_size=2), st.sampled_from(["a", "b"])
)
documents = st.dictionaries(st.sampled_from(KEYS), values, max_size=len(KEYS))


@settings(max_examples=300, deadline=None)
@given(documents, documents, documents)
def test_each_key_takes_the_side_that_changed_it_or_is_named_as_a_conflict(
    base: dict[str, Any], ours: dict[str, Any], theirs: dict[str, Any]
) -> None:
    merged = merge_content(base, ours, theirs)
    swapped = merge_content(base, theirs, ours)
    assert merged == swapped  # neither side is favoured
    absent = object()
    for key in KEYS:
        was, mine, new = (doc.get(key, absent) for doc in (base, ours, theirs))
        changed = [v for v in (mine, new) if repr(v) != repr(was)]
        clash = len(changed) == 2 and repr(mine) != repr(new)
        assert (key in merged.conflicts) == clash
        if merged.content is not None:
            expected = changed[0] if changed else was
            assert repr(merged.content.get(key, absent)) == repr(expected)  # absent stays absent


@given(documents, documents)
def test_a_side_left_as_the_base_gives_the_other_side_whole(
    base: dict[str, Any], other: dict[str, Any]
) -> None:
    assert merge_content(base, base, other).content == other
    assert merge_content(base, other, base).content == other


def test_true_and_one_are_different_changes() -> None:
    assert merge_content({"attract": 1}, {"attract": True}, {"attract": 2}).conflicts == ("attract",)


def test_the_merged_manifest_lists_exactly_the_blobs_its_content_names() -> None:
    icon, video, dropped = "a" * 64, "b" * 64, "c" * 64
    content = {"services": [{"id": "s", "icon": icon}], "videos": [{"id": "v", "file": video}]}
    ours = {icon: BlobInfo(10, "image/svg+xml"), dropped: BlobInfo(5, "image/png")}
    theirs = {video: BlobInfo(99, "video/mp4"), icon: BlobInfo(11, "image/svg+xml")}
    assert referenced_blobs(content, ours, theirs) == {icon: ours[icon], video: theirs[video]}
