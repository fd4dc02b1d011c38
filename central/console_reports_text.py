"""The console's words for proof of play and release notes, in Azerbaijani and English.

Kept apart from :mod:`central.console_text` so these pages can grow without touching the shared table;
a test checks both languages have the same keys and placeholders.
"""

from __future__ import annotations

AZ: dict[str, str] = {
    "plays_title": "Nümayiş hesabatı",
    "plays_explain": "Kioskların bildirdiyi nümayişlər: neçə dəfə və nə qədər göstərildi. "
    "Tarixlər Bakı vaxtı ilədir, hər iki gün daxil.",
    "filter_centre": "Mərkəz",
    "filter_kiosk": "Kiosk",
    "filter_all": "Hamısı",
    "filter_from": "Başlanğıc tarixi",
    "filter_to": "Son tarix",
    "filter_show": "Göstər",
    "download_csv": "CSV yüklə",
    "period": "{first} – {last}",
    "dimension_service": "Xidmətlər",
    "dimension_video": "Videolar",
    "dimension_section": "Bölmələr",
    "type_service": "Xidmət",
    "type_video": "Video",
    "type_section": "Bölmə",
    "col_type": "Növ",
    "col_name": "Ad",
    "col_id": "İdentifikator",
    "col_plays": "Nümayiş sayı",
    "col_seconds": "Saniyə",
    "col_time": "Göstərilmə müddəti (saat:dəq:san)",
    "col_centre": "Mərkəz",
    "col_kiosk": "Kiosk",
    "col_from": "Başlanğıc",
    "col_to": "Son",
    "none_found": "Bu dövrdə heç nə qeydə alınmayıb.",
    "bad_date": "Tarixi İİİİ-AA-GG şəklində yazın, məsələn 2026-11-27.",
    "bad_filter": "Filtr qəbul olunmadı: {reason}",
    "section_energy": "Enerji",
    "section_video": "Kampaniya videosu",
    "section_services": "Xidmətlər",
    "section_announcement": "Elan",
    "release_change_title": "Buraxılış {n}",
    "release_summary": "Dəyişikliklər",
    "release_first": "Kanalın ilk buraxılışı",
    "release_same": "Məzmun dəyişməyib",
    "release_full_diff": "Tam fərq (imzalanmış manifestlərdən)",
    "release_diff_explain": "Fərq kioskun öz təhlilçisi ilə hesablanır; sahə adları ingiliscədir.",
    "release_compared": "əvvəlki buraxılış ({before}) ilə müqayisədə",
    "release_details": "Ətraflı",
    "release_back": "← Kanala qayıt",
    "release_note_label": "Qeyd",
    "release_author": "Dərc edən",
    "release_when": "Dərc olunub",
    "change_service_added": "{n} xidmət əlavə olundu",
    "change_service_changed": "{n} xidmət dəyişdi",
    "change_service_removed": "{n} xidmət silindi",
    "change_services_changed": "xidmətlərin sırası dəyişdi",
    "change_video_added": "{n} video əlavə olundu",
    "change_video_changed": "{n} video dəyişdi",
    "change_video_removed": "{n} video silindi",
    "change_announcement_added": "{n} elan əlavə olundu",
    "change_announcement_changed": "{n} elan dəyişdi",
    "change_announcement_removed": "{n} elan silindi",
    "change_channel_added": "kanalın adı verildi",
    "change_channel_changed": "kanalın adı dəyişdi",
    "change_attract_added": "gözləmə nümayişi quruldu",
    "change_attract_changed": "gözləmə nümayişi dəyişdi",
    "change_settings_added": "{n} kiosk ayarı qeydi əlavə olundu",
    "change_settings_changed": "{n} kiosk ayarı qeydi dəyişdi",
    "change_settings_removed": "{n} kiosk ayarı qeydi silindi",
}

EN: dict[str, str] = {
    "plays_title": "Proof of play",
    "plays_explain": "What kiosks reported showing: how often and for how long. "
    "Dates are in Baku time, both days included.",
    "filter_centre": "Centre",
    "filter_kiosk": "Kiosk",
    "filter_all": "All",
    "filter_from": "From",
    "filter_to": "To",
    "filter_show": "Show",
    "download_csv": "Download CSV",
    "period": "{first} – {last}",
    "dimension_service": "Services",
    "dimension_video": "Videos",
    "dimension_section": "Sections",
    "type_service": "Service",
    "type_video": "Video",
    "type_section": "Section",
    "col_type": "Type",
    "col_name": "Name",
    "col_id": "Id",
    "col_plays": "Plays",
    "col_seconds": "Seconds",
    "col_time": "Time shown (h:mm:ss)",
    "col_centre": "Centre",
    "col_kiosk": "Kiosk",
    "col_from": "From",
    "col_to": "To",
    "none_found": "Nothing was recorded in this period.",
    "bad_date": "Write dates as YYYY-MM-DD, for example 2026-11-27.",
    "bad_filter": "The filter was not accepted: {reason}",
    "section_energy": "Energy",
    "section_video": "Campaign video",
    "section_services": "Services",
    "section_announcement": "Announcement",
    "release_change_title": "Release {n}",
    "release_summary": "Changes",
    "release_first": "The channel's first release",
    "release_same": "Content unchanged",
    "release_full_diff": "Full difference (from the signed manifests)",
    "release_diff_explain": "Computed with the kiosk's own parser; field names are in English.",
    "release_compared": "compared with release {before}, the one before it",
    "release_details": "Details",
    "release_back": "← Back to the channel",
    "release_note_label": "Note",
    "release_author": "Published by",
    "release_when": "Published",
    "change_service_added": "{n} services added",
    "change_service_changed": "{n} services changed",
    "change_service_removed": "{n} services removed",
    "change_services_changed": "service order changed",
    "change_video_added": "{n} videos added",
    "change_video_changed": "{n} videos changed",
    "change_video_removed": "{n} videos removed",
    "change_announcement_added": "{n} announcements added",
    "change_announcement_changed": "{n} announcements changed",
    "change_announcement_removed": "{n} announcements removed",
    "change_channel_added": "channel name set",
    "change_channel_changed": "channel name changed",
    "change_attract_added": "attract loop set up",
    "change_attract_changed": "attract loop changed",
    "change_settings_added": "{n} kiosk settings entries added",
    "change_settings_changed": "{n} kiosk settings entries changed",
    "change_settings_removed": "{n} kiosk settings entries removed",
}

EN_ONE: dict[str, str] = {
    f"change_{table}_{kind}": f"1 {table} {kind}"
    for table in ("service", "video", "announcement")
    for kind in ("added", "changed", "removed")
} | {f"change_settings_{kind}": f"1 kiosk settings entry {kind}" for kind in ("added", "changed", "removed")}
"""English says "1 service added" but "2 services added"; Azerbaijani keeps the singular after a number."""

REPORT_TEXTS: dict[str, dict[str, str]] = {"az": AZ, "en": EN}


def summary(counts: tuple[tuple[str, str, int], ...], lang: str) -> str:
    """ "2 services changed, 1 announcement added" in ``lang``; tables without a phrase are skipped."""
    texts = REPORT_TEXTS[lang]
    parts = []
    for table, kind, n in counts:
        key = f"change_{table}_{kind}"
        phrase = EN_ONE.get(key) if lang == "en" and n == 1 else None
        phrase = phrase or texts.get(key)
        if phrase is not None:
            parts.append(phrase.format(n=n))
    return ", ".join(parts) if parts else texts["release_same"]
