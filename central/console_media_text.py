"""The media library's words, in Azerbaijani and English: the page and every refusal of an upload.

Kept apart from :mod:`central.console_text` so the library can grow without touching the shared table.
The refusals are sentences for the communications staff who upload: what the file is, what kiosks
take, and what to do. A test checks both languages have the same keys and placeholders.
"""

from __future__ import annotations

AZ: dict[str, str] = {
    "media_title": "{channel} kanalının media kitabxanası",
    "media_explain": (
        "Xidmətlərin ikonları və şəkilləri, kampaniya videosu, onun afişası və subtitrləri buraya "
        "yüklənir. Fayl yoxlanılır və kanalın öz fayl anbarında saxlanılır; məzmunda istifadə olunanda "
        "yenidən yükləmək lazım deyil. Eyni fayl iki dəfə yüklənsə, bir dəfə saxlanılır."
    ),
    "media_upload_title": "Fayl yüklə",
    "media_kind": "Nə üçündür",
    "media_kind_icon": "Xidmət ikonu",
    "media_kind_image": "Xidmət şəkli",
    "media_kind_video": "Kampaniya videosu",
    "media_kind_poster": "Video afişası",
    "media_kind_subtitles": "Subtitrlər",
    "media_file": "Fayl",
    "media_rules": (
        "Şəkil: PNG, JPEG, WebP və ya SVG, ən çoxu {image_mb} MB. Video: H.264 MP4, ən çoxu 1920x1080 "
        "(şaquli 1080x1920), saniyədə 30 kadr, 30 dəqiqə və {video_mb} MB. Subtitrlər: WebVTT və ya "
        "SRT, ən çoxu {subtitles_mb} MB."
    ),
    "media_button": "Yüklə",
    "media_added": "Yükləndi: {name}",
    "media_list_title": "Kitabxanadakı fayllar",
    "media_none": "Kitabxanada hələ fayl yoxdur.",
    "media_col_preview": "Görünüş",
    "media_col_name": "Fayl",
    "media_col_kind": "Növ",
    "media_col_size": "Ölçü",
    "media_col_details": "Xüsusiyyətlər",
    "media_col_uploaded": "Yükləyən",
    "media_remove": "Sil",
    "media_used": "istifadədədir",
    "media_remove_label": "{name} faylını sil",
    "media_remove_hint": (
        "Hər hansı buraxılışda və ya təsdiq gözləyən qaralamada istifadə olunan fayl silinmir: "
        "o buraxılışa geri qayıtmaq mümkün qalmalıdır."
    ),
    "media_removed": "Silindi: {name}",
    "media_size_kb": "{n} KB",
    "media_size_mb": "{n} MB",
    "media_video_details": "{codec}, {width}x{height}, {duration}, saniyədə {fps} kadr",
    "media_image_details": "{width}x{height}",
    "media_seconds": "{n} san",
    "media_uploaded": "{who}, {when}",
    "media_unknown_type": (
        "«{name}» faylının növü tanınmadı. Şəkil (PNG, JPEG, WebP, SVG), video (MP4) və ya subtitr "
        "(VTT, SRT) yükləyin."
    ),
    "media_wrong_type": "«{name}» bu məqsəd üçün uyğun deyil: burada yalnız {allowed} faylları qəbul olunur.",
    "media_empty": "«{name}» boş fayldır.",
    "media_too_large": (
        "Fayl çox böyükdür: bu növ üçün ən çoxu {limit} MB qəbul olunur. Onu daha kiçik ölçü və ya "
        "keyfiyyətlə yenidən ixrac edin."
    ),
    "media_not_what_it_says": (
        "«{name}» adına görə {type} olmalıdır, amma içindəkilər başqadır. Faylı proqramdan yenidən "
        "düzgün formatda ixrac edin."
    ),
    "media_unreadable_video": (
        "«{name}» oxunan video deyil (fayl zədələnib və ya video deyil). Onu video redaktorundan "
        "yenidən H.264 MP4 kimi ixrac edin."
    ),
    "media_video_refused": (
        "Bu video {codec}, {width}x{height}, saniyədə {fps} kadr, uzunluğu {length}; kiosklar H.264 "
        "videonu ən çoxu 1920x1080 (şaquli 1080x1920), saniyədə 30 kadr və 30 dəqiqəyə qədər oynadır. "
        "Onu yenidən H.264 MP4 kimi, ən çoxu 1920x1080 və saniyədə 30 kadrla ixrac edin (məsələn, "
        "HandBrake-in «Fast 1080p30» şablonu ilə)."
    ),
    "media_unreadable_image": "«{name}» oxunan şəkil deyil (fayl zədələnib). Onu yenidən ixrac edin.",
    "media_image_too_big": (
        "Şəkil {width}x{height} pikseldir; kiosklar ən çoxu {most}x{most} piksel göstərir. Onu daha "
        "kiçik ölçüdə ixrac edin (ekran üçün 1920 piksel kifayətdir)."
    ),
    "media_in_use": (
        "«{name}» silinmədi: onu bu kanalın buraxılışları ({releases}) və ya təsdiq gözləyən "
        "qaralamaları ({drafts}) istifadə edir."
    ),
    "media_in_working_copy": (
        "«{name}» silinmədi: kanalın redaktə olunan məzmunu onu istifadə edir. Əvvəlcə onu oradan çıxarın."
    ),
    "media_no_ffprobe": (
        "Server videonu və şəkli yoxlaya bilmir: ffprobe quraşdırılmayıb. IT əməkdaşına bildirin "
        "(serverdə: apt install ffmpeg və ya ./central.sh yenidən)."
    ),
    "media_disk_full": (
        "Serverin diski doludur: fayl saxlanmadı, kiosklar əvvəlki kimi aktiv buraxılışı göstərir. "
        "IT əməkdaşına bildirin ki, serverdə yer boşaltsın, sonra yenidən yükləyin."
    ),
    "media_no_file": "Yükləmək üçün fayl seçin.",
    "media_too_slow": "Yükləmə çox uzun çəkdi və dayandırıldı. Yenidən cəhd edin.",
    "media_bad_form": "Forma düzgün göndərilmədi. Səhifəni yeniləyib yenidən cəhd edin.",
}

EN: dict[str, str] = {
    "media_title": "Media library of channel {channel}",
    "media_explain": (
        "Upload the services' icons and pictures, the campaign video, its poster and subtitles here. "
        "Each file is checked and kept in the channel's own file store, so content that uses it needs "
        "no second upload. The same file uploaded twice is kept once."
    ),
    "media_upload_title": "Upload a file",
    "media_kind": "What it is for",
    "media_kind_icon": "Service icon",
    "media_kind_image": "Service picture",
    "media_kind_video": "Campaign video",
    "media_kind_poster": "Video poster",
    "media_kind_subtitles": "Subtitles",
    "media_file": "File",
    "media_rules": (
        "Pictures: PNG, JPEG, WebP or SVG, at most {image_mb} MB. Video: H.264 MP4, at most 1920x1080 "
        "(upright 1080x1920), 30 frames a second, 30 minutes and {video_mb} MB. Subtitles: WebVTT or "
        "SRT, at most {subtitles_mb} MB."
    ),
    "media_button": "Upload",
    "media_added": "Uploaded: {name}",
    "media_list_title": "Files in the library",
    "media_none": "The library has no files yet.",
    "media_col_preview": "Preview",
    "media_col_name": "File",
    "media_col_kind": "Kind",
    "media_col_size": "Size",
    "media_col_details": "Details",
    "media_col_uploaded": "Uploaded by",
    "media_remove": "Remove",
    "media_used": "in use",
    "media_remove_label": "Remove {name}",
    "media_remove_hint": (
        "A file used by any release or by a draft waiting for approval is not removed: rolling back to "
        "that release must stay possible."
    ),
    "media_removed": "Removed: {name}",
    "media_size_kb": "{n} KB",
    "media_size_mb": "{n} MB",
    "media_video_details": "{codec}, {width}x{height}, {duration}, {fps} frames a second",
    "media_image_details": "{width}x{height}",
    "media_seconds": "{n} s",
    "media_uploaded": "{who}, {when}",
    "media_unknown_type": (
        "The kind of “{name}” is not known. Upload a picture (PNG, JPEG, WebP, SVG), a video (MP4) or "
        "subtitles (VTT, SRT)."
    ),
    "media_wrong_type": "“{name}” does not fit here: this takes {allowed} files only.",
    "media_empty": "“{name}” is an empty file.",
    "media_too_large": (
        "The file is too large: this kind takes at most {limit} MB. Export it again smaller or at a "
        "lower quality."
    ),
    "media_not_what_it_says": (
        "“{name}” should be {type} by its name, but its content is something else. Export the file "
        "again in the right format."
    ),
    "media_unreadable_video": (
        "“{name}” is not a readable video (the file is damaged or not a video). Export it again from "
        "the video editor as H.264 MP4."
    ),
    "media_video_refused": (
        "This video is {codec}, {width}x{height}, {fps} frames a second, {length} long; kiosks play "
        "H.264 video up to 1920x1080 (upright 1080x1920), 30 frames a second and 30 minutes. Export it "
        "again as H.264 MP4 at most 1920x1080 and 30 frames a second (for example with HandBrake's "
        "“Fast 1080p30” preset)."
    ),
    "media_unreadable_image": "“{name}” is not a readable picture (the file is damaged). Export it again.",
    "media_image_too_big": (
        "The picture is {width}x{height} pixels; kiosks show at most {most}x{most}. Export it smaller "
        "(1920 pixels are plenty for a screen)."
    ),
    "media_in_use": (
        "“{name}” was not removed: this channel's releases ({releases}) or drafts waiting for approval "
        "({drafts}) use it."
    ),
    "media_in_working_copy": (
        "“{name}” was not removed: the channel's content being edited uses it. Take it out there first."
    ),
    "media_no_ffprobe": (
        "The server cannot check videos and pictures: ffprobe is not installed. Tell IT (on the server: "
        "apt install ffmpeg, or run ./central.sh again)."
    ),
    "media_disk_full": (
        "The server's disk is full: the file was not kept, and kiosks still show the active release. "
        "Ask IT to free space on the server, then upload again."
    ),
    "media_no_file": "Choose a file to upload.",
    "media_too_slow": "The upload took too long and was stopped. Try again.",
    "media_bad_form": "The form did not arrive whole. Reload the page and try again.",
}

MEDIA_TEXTS: dict[str, dict[str, str]] = {"az": AZ, "en": EN}
