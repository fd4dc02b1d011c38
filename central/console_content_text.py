"""The content editor's visible strings, in Azerbaijani (the default) and English (``e`` in templates).

Kept apart from :mod:`central.console_text` so the editor's many labels do not crowd the shared file;
a test checks both languages have the same keys and placeholders.
"""

from __future__ import annotations

AZ: dict[str, str] = {
    "content_title": "{channel} kanalının məzmunu",
    "content_explain": (
        "Burada kanalın iş nüsxəsini redaktə edirsiniz: hər dəyişiklik kioskun öz yoxlayıcısından keçir "
        "və yalnız düzgün olduqda saxlanılır. Kiosklar dəyişikliyi görmür: hazır olduqda qeyd yazıb "
        "qaralama hazırlayın, açar sahibi onu öz kompüterində kioskctl approve ilə imzalayır."
    ),
    "content_base": "İş nüsxəsi {n} nömrəli buraxılışdan götürülüb.",
    "content_base_none": "Kanalın hələ buraxılışı yoxdur: iş nüsxəsi boş məzmundan başlayır.",
    "content_stale": (
        "Diqqət: iş nüsxəsi {base} nömrəli buraxılışdan götürülüb, indi isə {active} aktivdir. "
        "Təklif etdikdə dəyişiklikləriniz aktiv buraxılışın üzərinə köçürülür; o da eyni hissəni "
        "dəyişibsə, təklif qəbul olunmur və hansı hissə olduğu deyilir."
    ),
    "content_from_draft": (
        "İş nüsxəsi {id} nömrəli gözləyən qaralamadır: yenidən təklif etsəniz, yeni qaralama onu əvəz edəcək."
    ),
    "content_changed": "Təklif edilməmiş dəyişikliklər var.",
    "content_proposed": "{id} nömrəli qaralama kimi təklif edilib, imza gözləyir.",
    "content_unchanged": "İş nüsxəsi aktiv buraxılışla eynidir.",
    "content_updated": "Son dəyişiklik: {who}, {when}",
    "content_reset": "Aktiv buraxılışdan yenidən başla",
    "content_reset_hint": "Təklif edilməmiş dəyişikliklər silinir.",
    "services_title": "Xidmət kartları",
    "services_none": "Xidmət kartı yoxdur.",
    "service_add": "Xidmət kartı əlavə et",
    "videos_title": "Kampaniya videoları",
    "videos_none": "Video yoxdur.",
    "video_add": "Video əlavə et",
    "general_title": "Kanal adı və gözləmə dövrü",
    "general_edit": "Kanal adını və gözləmə dövrünü dəyiş",
    "col_order": "Sıra",
    "col_id": "İdentifikator",
    "col_title": "Başlıq",
    "col_category": "Kateqoriya",
    "col_targets": "Mərkəzlər / vaxt",
    "move_up": "{id} yuxarı",
    "move_down": "{id} aşağı",
    "edit": "Redaktə et",
    "delete": "{id} sil",
    "every_centre": "bütün mərkəzlər",
    "always": "həmişə",
    "featured": "Seçilmiş",
    "propose_title": "Qaralama kimi təklif et",
    "propose_note": "Qeyd (nə dəyişdi; buraxılışda saxlanılır, ən çox 200 simvol)",
    "propose_button": "Qaralama kimi təklif et",
    "propose_nothing": "Təklif ediləcək dəyişiklik yoxdur.",
    "service_new_title": "Yeni xidmət kartı",
    "service_edit_title": "Xidmət kartı: {id}",
    "video_new_title": "Yeni video",
    "video_edit_title": "Video: {id}",
    "back_to_content": "← Məzmuna qayıt",
    "field_id": "İdentifikator (kiçik latın hərfləri, rəqəmlər və «-»)",
    "field_category": "Kateqoriya",
    "category_green": "Yaşıl xidmət",
    "category_e-service": "Elektron xidmət",
    "field_featured": "Seçilmiş (gözləmə dövründə göstərilir)",
    "field_url": "Ünvan (QR kod; yalnız https:// və ya http://)",
    "field_icon": "İkon",
    "field_image": "Şəkil",
    "field_title": "Başlıq",
    "field_summary": "Qısa məzmun",
    "field_body": "Mətn",
    "field_file": "Video faylı",
    "field_poster": "Afişa (videodan əvvəl görünən şəkil)",
    "field_subtitles": "Subtitrlər",
    "field_centres": "Mərkəzlər",
    "field_centres_hint": "Heç biri seçilməyibsə, bütün mərkəzlərdə göstərilir.",
    "field_schedule": "Vaxt cədvəli (Bakı vaxtı; boş sahə məhdudiyyət deməkdir deyil)",
    "field_from": "Başlanğıc tarixi",
    "field_until": "Son tarix",
    "field_weekdays": "Həftənin günləri",
    "field_hours": "Saatlar (məsələn 09:00-18:00)",
    "field_name": "Kanalın adı",
    "field_sequence": "Gözləmə dövrünün ardıcıllığı",
    "field_step": "Addım {n}",
    "field_seconds": "{step} (saniyə, 3–3600)",
    "step_energy": "Enerji",
    "step_video": "Video",
    "step_featured": "Seçilmiş xidmətlər",
    "none_chosen": "— yoxdur —",
    "no_media": "Kanalda bu növ media yoxdur.",
    "weekday_1": "B.e.",
    "weekday_2": "Ç.a.",
    "weekday_3": "Ç.",
    "weekday_4": "C.a.",
    "weekday_5": "C.",
    "weekday_6": "Ş.",
    "weekday_7": "B.",
    "save": "Yadda saxla",
    "saved_hint": "Yadda saxlanılan dəyişiklik yalnız iş nüsxəsinə düşür; kiosklar onu görmür.",
    "refused": "Dəyişiklik saxlanılmadı: kiosk onu qəbul etməzdi.",
    "parser": "{detail}",
    "too_long": "Bu sahə çox uzundur (ən çox {detail} simvol).",
    "centre_unknown": "Naməlum mərkəz: {detail}",
    "weekday_bad": "Həftə günü 1-dən 7-dək olmalıdır, «{detail}» deyil.",
    "seconds_bad": "Saniyə tam ədəd olmalıdır, «{detail}» deyil.",
    "video_needs_file": "Video faylını seçin.",
    "media_unknown": "Bu media kanalda yoxdur: {detail}",
    "media_wrong_kind": "Bu sahəyə bu növ media uyğun deyil: {detail}",
    "note_missing": "Qaralamanın qeydini yazın: açar sahibi nəyi imzaladığını bilməlidir.",
    "note_too_long": "Qeyd çox uzundur (ən çox {detail} simvol).",
    "nothing_changed": "İş nüsxəsi aktiv buraxılışla eynidir: təklif ediləcək dəyişiklik yoxdur.",
    "propose_conflict": (
        "Siz redaktə edərkən yeni buraxılış dərc olunub və bu hissələri o da dəyişib: {detail}. Təklif "
        "etmək onun dəyişikliyini silərdi, ona görə heç nə təklif olunmadı. Hansı dəyişikliyin qalacağına "
        "baxın, sonra iş nüsxəsini aktiv buraxılışdan yenidən başladıb dəyişikliyinizi təkrarlayın."
    ),
    "propose_no_base": (
        "İş nüsxəsinin götürüldüyü {detail} nömrəli buraxılış artıq saxlanmır, ona görə sonrakı "
        "buraxılışlarla birləşdirilə bilmir. İş nüsxəsini aktiv buraxılışdan yenidən başladın."
    ),
    "draft_title": "Qaralama {id} → buraxılış {n}",
    "draft_back": "← Kanala qayıt",
    "draft_diff_explain": (
        "Fərq qaralamanın imzalanacaq baytlarından, kioskun öz yoxlayıcısı ilə hesablanır: "
        "kioskctl approve da eyni fərqi göstərir."
    ),
    "draft_diff_counts": "{added} əlavə, {removed} silinmiş, {changed} dəyişmiş",
    "draft_same": "Məzmun eynidir.",
    "draft_text": "kioskctl approve-un göstərdiyi mətn",
    "draft_unreadable": "Qaralama oxunmur, kiosk onu qəbul etməzdi: {error}",
    "draft_discard_hint": "Ləğv edilmiş qaralama qeyddə qalır, amma imzalana bilməz.",
    "draft_edit_hint": "İş nüsxəsindəki təklif edilməmiş dəyişikliklər bu qaralama ilə əvəz olunur.",
    "kind_added": "əlavə",
    "kind_removed": "silinib",
    "kind_changed": "dəyişib",
    "col_field": "Sahə",
    "col_was": "Əvvəl",
    "col_now": "İndi",
    "col_value": "Qiymət",
    "table_release": "Buraxılış",
    "table_channel": "Kanal",
    "table_service": "Xidmət",
    "table_services": "Xidmətlər",
    "table_video": "Video",
    "table_announcement": "Elan",
    "table_attract": "Gözləmə dövrü",
    "table_settings": "Ayarlar",
    "announcements_title": "Elanlar",
    "announcements_explain": (
        "Elanlar iş nüsxəsinin bir hissəsidir: burada etdiyiniz dəyişikliklər digər redaktələrlə birlikdə "
        "növbəti qaralamaya düşür. Növ kioskda nə görünəcəyini müəyyən edir: adi elan və xəbərdarlıq "
        "bölmələrin üzərində zolaqdır, təcili bildiriş isə bütün ekranı tutur."
    ),
    "announcements_none": "İş nüsxəsində elan yoxdur.",
    "announcements_quick": (
        "Yalnız bir elanı tez göndərmək və ya elanı erkən bitirmək üçün Elanlar səhifəsindən istifadə edin."
    ),
    "announcement_add": "Elan əlavə et",
    "announcement_new_title": "Yeni elan",
    "announcement_edit_title": "Elan: {id}",
    "announcement_delete": "{id} elanını sil",
    "level_bad": "Elanın növünü seçin, «{detail}» deyil.",
    "centres_too_many": "Ən çox {detail} mərkəz seçmək olar.",
    "stale_form": (
        "{who} iş nüsxəsini {when} dəyişib (Bakı vaxtı), siz bu səhifəni açandan sonra. Heç nə "
        "saxlanılmadı. Yazdıqlarınız aşağıda qalır: yenidən «Yadda saxla» bassanız, sizin variantınız "
        "onlarınkını əvəz edəcək. Əvvəlcə nəyi dəyişdiklərinə baxmaq üçün iş nüsxəsini indiki halında açın."
    ),
    "stale_gone": "Bu elementi də silib: yenidən saxlasanız, o geri əlavə olunur.",
    "stale_reload": "İş nüsxəsini indiki halında aç (burada yazdıqlarınız itəcək)",
    "stale_action": (
        "{who} iş nüsxəsini {when} dəyişib (Bakı vaxtı), siz bu səhifəni açandan sonra. Heç nə edilmədi: "
        "aşağıda iş nüsxəsi indiki halındadır; hələ də lazımdırsa, əməliyyatı təkrarlayın."
    ),
    "someone": "başqa administrator",
    "status_pending": "Gözləyir",
    "status_published": "Dərc olunub",
    "status_superseded": "Əvəz olunub",
    "status_discarded": "Ləğv edilib",
    "draft_not_pending": (
        "Bu qaralama artıq gözləmir: onu imzalamaq, redaktə etmək və ya ləğv etmək olmaz. Fərq yalnız "
        "baxmaq üçündür."
    ),
    "compare_heading": "Qaralama {id} ↔ buraxılış {n}",
    "compare_heading_none": "Qaralama {id}: müqayisə ediləcək buraxılış yoxdur",
    "compare_with_active": (
        "Qaralama {id} (buraxılış {number} olacaq) indi aktiv olan {n} nömrəli buraxılışla müqayisə "
        "olunur: təsdiq edilsə, kiosklarda məhz bu dəyişəcək."
    ),
    "compare_with_base": (
        "Qaralama {id} (buraxılış {number}) üzərində hazırlandığı {n} nömrəli buraxılışla müqayisə olunur."
    ),
    "compare_with_before": (
        "Qaralama {id} (buraxılış {number}) öz nömrəsindən əvvəlki {n} nömrəli buraxılışla müqayisə olunur "
        "(üzərində hazırlandığı buraxılış qeyd olunmayıb və ya saxlanılmayıb)."
    ),
    "compare_with_nothing": (
        "Qaralama {id} (buraxılış {number}) üçün müqayisə ediləcək əvvəlki buraxılış saxlanılmayıb: "
        "içindəki hər şey əlavə kimi göstərilir."
    ),
    "draft_diff_explain_done": (
        "Fərq qaralamanın saxlanılmış baytlarından, kioskun öz yoxlayıcısı ilə hesablanır."
    ),
}

EN: dict[str, str] = {
    "content_title": "Content of channel {channel}",
    "content_explain": (
        "Here you edit the channel's working copy: every change passes the kiosk's own checks and is kept "
        "only when it is valid. Kiosks do not see it: when it is ready, write a note and propose it as a "
        "draft, which the key holder signs on their own computer with kioskctl approve."
    ),
    "content_base": "The working copy was taken from release {n}.",
    "content_base_none": "The channel has no release yet: the working copy starts from empty content.",
    "content_stale": (
        "Note: the working copy was taken from release {base}, but release {active} is active now. "
        "Proposing carries your changes onto the active release; if it changed the same part too, "
        "nothing is proposed and you are told which part."
    ),
    "content_from_draft": "The working copy is pending draft {id}: proposing it again supersedes that draft.",
    "content_changed": "There are changes not yet proposed.",
    "content_proposed": "Proposed as draft {id}, waiting for its signature.",
    "content_unchanged": "The working copy is the same as the active release.",
    "content_updated": "Last change: {who}, {when}",
    "content_reset": "Start again from the active release",
    "content_reset_hint": "Changes not yet proposed are dropped.",
    "services_title": "Service cards",
    "services_none": "No service cards.",
    "service_add": "Add a service card",
    "videos_title": "Campaign videos",
    "videos_none": "No videos.",
    "video_add": "Add a video",
    "general_title": "Channel name and attract loop",
    "general_edit": "Change the channel name and attract loop",
    "col_order": "Order",
    "col_id": "Id",
    "col_title": "Title",
    "col_category": "Category",
    "col_targets": "Centres / schedule",
    "move_up": "Move {id} up",
    "move_down": "Move {id} down",
    "edit": "Edit",
    "delete": "Delete {id}",
    "every_centre": "every centre",
    "always": "always",
    "featured": "Featured",
    "propose_title": "Propose as draft",
    "propose_note": "Note (what changed; kept with the release, at most 200 characters)",
    "propose_button": "Propose as draft",
    "propose_nothing": "There is nothing to propose.",
    "service_new_title": "New service card",
    "service_edit_title": "Service card: {id}",
    "video_new_title": "New video",
    "video_edit_title": "Video: {id}",
    "back_to_content": "← Back to the content",
    "field_id": "Id (lowercase latin letters, digits and “-”)",
    "field_category": "Category",
    "category_green": "Green service",
    "category_e-service": "E-service",
    "field_featured": "Featured (shown in the attract loop)",
    "field_url": "Address (QR code; https:// or http:// only)",
    "field_icon": "Icon",
    "field_image": "Image",
    "field_title": "Title",
    "field_summary": "Summary",
    "field_body": "Text",
    "field_file": "Video file",
    "field_poster": "Poster (the still shown before the video)",
    "field_subtitles": "Subtitles",
    "field_centres": "Centres",
    "field_centres_hint": "With none chosen it shows in every centre.",
    "field_schedule": "Schedule (Baku time; an empty field sets no limit)",
    "field_from": "From date",
    "field_until": "Until date",
    "field_weekdays": "Weekdays",
    "field_hours": "Hours (e.g. 09:00-18:00)",
    "field_name": "Channel name",
    "field_sequence": "Attract loop order",
    "field_step": "Step {n}",
    "field_seconds": "{step} (seconds, 3–3600)",
    "step_energy": "Energy",
    "step_video": "Video",
    "step_featured": "Featured services",
    "none_chosen": "— none —",
    "no_media": "The channel has no media of this kind.",
    "weekday_1": "Mon",
    "weekday_2": "Tue",
    "weekday_3": "Wed",
    "weekday_4": "Thu",
    "weekday_5": "Fri",
    "weekday_6": "Sat",
    "weekday_7": "Sun",
    "save": "Save",
    "saved_hint": "Saving changes only the working copy; kiosks do not see it.",
    "refused": "Not saved: a kiosk would not accept this change.",
    "parser": "{detail}",
    "too_long": "This field is too long (at most {detail} characters).",
    "centre_unknown": "Unknown centre: {detail}",
    "weekday_bad": "A weekday is a number from 1 to 7, not “{detail}”.",
    "seconds_bad": "Seconds must be a whole number, not “{detail}”.",
    "video_needs_file": "Choose the video file.",
    "media_unknown": "The channel does not hold this media: {detail}",
    "media_wrong_kind": "This kind of media does not fit this field: {detail}",
    "note_missing": "Write the draft's note: the key holder must know what they sign.",
    "note_too_long": "The note is too long (at most {detail} characters).",
    "nothing_changed": "The working copy is the same as the active release: there is nothing to propose.",
    "propose_conflict": (
        "A release was published while you were editing, and it changed these parts too: {detail}. "
        "Proposing would undo its change, so nothing was proposed. Check which change should stay, then "
        "start the working copy again from the active release and make your change there."
    ),
    "propose_no_base": (
        "Release {detail}, which the working copy was taken from, is no longer kept, so your edit cannot "
        "be carried onto the releases since. Start the working copy again from the active release."
    ),
    "draft_title": "Draft {id} → release {n}",
    "draft_back": "← Back to the channel",
    "draft_diff_explain": (
        "Computed from the draft's bytes that will be signed, with the kiosk's own parser: kioskctl "
        "approve shows the same difference."
    ),
    "draft_diff_counts": "{added} added, {removed} removed, {changed} changed",
    "draft_same": "The content is the same.",
    "draft_text": "The text kioskctl approve prints",
    "draft_unreadable": "The draft cannot be read; a kiosk would refuse it: {error}",
    "draft_discard_hint": "A discarded draft stays on record but can no longer be signed.",
    "draft_edit_hint": "Changes in the working copy not yet proposed are replaced by this draft.",
    "kind_added": "added",
    "kind_removed": "removed",
    "kind_changed": "changed",
    "col_field": "Field",
    "col_was": "Before",
    "col_now": "Now",
    "col_value": "Value",
    "table_release": "Release",
    "table_channel": "Channel",
    "table_service": "Service",
    "table_services": "Services",
    "table_video": "Video",
    "table_announcement": "Announcement",
    "table_attract": "Attract loop",
    "table_settings": "Settings",
    "announcements_title": "Announcements",
    "announcements_explain": (
        "Announcements are part of the working copy: what you change here goes into the next draft with "
        "your other edits. The kind decides what a kiosk shows: an announcement or a warning is a band "
        "over the sections, an emergency notice takes the whole screen."
    ),
    "announcements_none": "The working copy has no announcements.",
    "announcements_quick": (
        "To send one announcement on its own quickly, or to end one early, use the Announcements page."
    ),
    "announcement_add": "Add an announcement",
    "announcement_new_title": "New announcement",
    "announcement_edit_title": "Announcement: {id}",
    "announcement_delete": "Delete announcement {id}",
    "level_bad": "Choose the announcement's kind, not “{detail}”.",
    "centres_too_many": "At most {detail} centres can be chosen.",
    "stale_form": (
        "{who} changed the working copy at {when} (Baku time), after you opened this page. Nothing was "
        "saved. What you typed is kept below: press Save again to put your version in place of theirs, "
        "or first open the working copy as it is now to see what they changed."
    ),
    "stale_gone": "They also deleted this item: saving again adds it back.",
    "stale_reload": "Open the working copy as it is now (what you typed here is dropped)",
    "stale_action": (
        "{who} changed the working copy at {when} (Baku time), after you opened this page. Nothing was "
        "done: below is the working copy as it is now; repeat the action if it is still right."
    ),
    "someone": "another administrator",
    "status_pending": "Pending",
    "status_published": "Published",
    "status_superseded": "Superseded",
    "status_discarded": "Discarded",
    "draft_not_pending": (
        "This draft is no longer pending: it cannot be signed, edited or discarded. The difference is "
        "here to look at."
    ),
    "compare_heading": "Draft {id} ↔ release {n}",
    "compare_heading_none": "Draft {id}: no release to compare with",
    "compare_with_active": (
        "Draft {id} (to become release {number}) compared with release {n}, active now: this is what "
        "approving it would change on the kiosks."
    ),
    "compare_with_base": (
        "Draft {id} (release {number}) compared with release {n}, the release it was built on."
    ),
    "compare_with_before": (
        "Draft {id} (release {number}) compared with release {n}, the release before its own number (the "
        "release it was built on is not recorded or no longer kept)."
    ),
    "compare_with_nothing": (
        "Draft {id} (release {number}) has no earlier release kept to compare with: everything it "
        "holds is shown as added."
    ),
    "draft_diff_explain_done": "Computed from the draft's stored bytes with the kiosk's own parser.",
}

CONTENT_TEXTS: dict[str, dict[str, str]] = {"az": AZ, "en": EN}
