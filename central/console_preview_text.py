"""The console's words for previews, in Azerbaijani and English.

Kept apart from :mod:`central.console_text` so this page can grow without touching the shared table;
a test checks both languages have the same keys and placeholders.
"""

from __future__ import annotations

AZ: dict[str, str] = {
    "preview_title_draft": "Qaralama {id} önizləməsi (buraxılış {n})",
    "preview_title_release": "Buraxılış {n} önizləməsi",
    "preview_explain": (
        "Kioskun öz proqramı bu məzmunu ekransız çəkir: kiosklar onu məhz belə göstərəcək. "
        "Hər xidmət elementi bütün mərkəzlər üçün göstərilir; elanlar öz vaxtından asılı olmayaraq "
        "ayrıca şəkildə göstərilir. Enerji rəqəmləri nümayiş üçün simulyasiya edilmiş stansiyadandır."
    ),
    "preview_back": "← Kanala qayıt",
    "preview_language": "Məzmunun dili",
    "preview_orientation": "Ekran",
    "orientation_landscape": "Üfüqi 1920×1080",
    "orientation_portrait": "Şaquli 1080×1920",
    "preview_sections": "Bölmələr",
    "preview_services": "Xidmət səhifələri",
    "preview_announcements": "Elanlar",
    "preview_none_announcements": "Bu məzmunda elan yoxdur.",
    "view_energy": "Enerji",
    "view_video": "Kampaniya videosu (1,5 saniyədən kadr)",
    "view_services": "Xidmətlər",
    "view_services_page": "Xidmətlər, ekran {n}",
    "view_service": "{title}",
    "view_featured": "{title} (seçilmiş: gözləmə rejimində göstərilir)",
    "view_announcement": "{text}",
    "preview_open": "tam ölçüdə aç",
    "preview_rendered": "{n} şəkil, {seconds} saniyəyə çəkilib.",
    "preview_rendering": "Çəkilir… Bu səhifə özü yenilənəcək (adətən 5–20 saniyə).",
    "preview_queued": "Növbədədir: önizləmələr bir-bir çəkilir. Bu səhifə özü yenilənəcək.",
    "preview_busy": "Server indi başqa önizləmələri çəkir. Bir dəqiqədən sonra yenidən cəhd edin.",
    "preview_failed": "Önizləmə çəkilə bilmədi: {reason}. Bir dəqiqədən sonra yenidən cəhd ediləcək.",
    "preview_unavailable_title": "Önizləmə bu serverdə quraşdırılmayıb",
    "preview_unavailable": (
        "Önizləməni kioskun proqramı çəkir, o isə Qt (PySide6) tələb edir; serverin öz mühitində Qt yoxdur. "
        "Qoşmaq üçün serveri bir dəfə belə başladın: ./central.sh --data QOVLUQ serve --preview "
        "(kioskun paketlərini ayrıca .venv-preview qovluğuna qurur, təxminən 740 MB), və ya "
        'konfiqurasiyada [preview] python = "…/bin/python" göstərin. Səbəb: {reason}'
    ),
}

EN: dict[str, str] = {
    "preview_title_draft": "Preview of draft {id} (release {n})",
    "preview_title_release": "Preview of release {n}",
    "preview_explain": (
        "The kiosk's own program draws this content offscreen: kiosks will show it exactly like this. "
        "Every item is shown as if for every centre; each announcement has its own picture, whatever "
        "its times. The energy figures come from the simulated demo plant."
    ),
    "preview_back": "← Back to the channel",
    "preview_language": "Content language",
    "preview_orientation": "Screen",
    "orientation_landscape": "Landscape 1920×1080",
    "orientation_portrait": "Portrait 1080×1920",
    "preview_sections": "Sections",
    "preview_services": "Service pages",
    "preview_announcements": "Announcements",
    "preview_none_announcements": "This content has no announcement.",
    "view_energy": "Energy",
    "view_video": "Campaign video (the frame 1.5 seconds in)",
    "view_services": "Services",
    "view_services_page": "Services, screen {n}",
    "view_service": "{title}",
    "view_featured": "{title} (featured: shown by the attract loop)",
    "view_announcement": "{text}",
    "preview_open": "open full size",
    "preview_rendered": "{n} pictures, drawn in {seconds} seconds.",
    "preview_rendering": "Rendering… This page reloads by itself (usually 5 to 20 seconds).",
    "preview_queued": "Queued: previews are drawn one at a time. This page reloads by itself.",
    "preview_busy": "The server is drawing other previews now. Try again in a minute.",
    "preview_failed": "The preview could not be drawn: {reason}. It is tried again after a minute.",
    "preview_unavailable_title": "Preview is not installed on this server",
    "preview_unavailable": (
        "Previews are drawn by the kiosk's program, which needs Qt (PySide6); the server's own "
        "environment has no Qt. To enable them, start the server once with "
        "./central.sh --data DIR serve --preview (it installs the kiosk's packages into a separate "
        '.venv-preview, about 740 MB), or set [preview] python = "…/bin/python" in the config. '
        "Reason: {reason}"
    ),
}

PREVIEW_TEXTS: dict[str, dict[str, str]] = {"az": AZ, "en": EN}
