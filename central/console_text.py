"""Every visible string of the web console, in Azerbaijani (the default) and English.

Placeholders in braces are filled with ``str.format``; a test checks both languages have the same
keys and the same placeholders.
"""

from __future__ import annotations

LANGUAGES: tuple[tuple[str, str], ...] = (("az", "Azərbaycanca"), ("en", "English"))

AZ: dict[str, str] = {
    "app_name": "Green Kiosk idarə paneli",
    "nav_label": "Əsas menyu",
    "nav_fleet": "Kiosklar",
    "nav_channel": "Kanal",
    "nav_announcements": "Elanlar",
    "nav_accounts": "Hesablar",
    "accounts_title": "Hesablar və tokenlər",
    "accounts_explain": (
        "Yeni token və istifadəçini yalnız serverdə yaratmaq olar (./central.sh --data QOVLUQ "
        "add-admin-token AD --out FAYL, add-kiosk, add-user). Burada onları ləğv etmək olar: "
        "ləğv edilmiş token və silinmiş istifadəçi dərhal işləməz."
    ),
    "password_title": "Şifrəmi dəyiş",
    "password_current": "İndiki şifrə",
    "password_new": "Yeni şifrə (ən azı 10 simvol)",
    "password_repeat": "Yeni şifrə təkrar",
    "password_button": "Şifrəni dəyiş",
    "password_wrong": "İndiki şifrə səhvdir.",
    "password_mismatch": "Yeni şifrə ilə təkrarı eyni deyil.",
    "password_short": "Şifrə 10 ilə 1024 simvol arasında olmalıdır.",
    "password_changed": "Şifrə dəyişdi. Digər sessiyalar bağlandı: {n}.",
    "users_title": "İdarə paneli istifadəçiləri",
    "users_none": "Heç bir istifadəçi yoxdur.",
    "col_user": "İstifadəçi",
    "col_created": "Yaradılıb",
    "col_sessions": "Açıq sessiyalar",
    "user_remove": "{name} istifadəçisini sil",
    "user_you": "siz",
    "accounts_not_yourself": (
        "Öz hesabınızı burada silə bilməzsiniz (serverdə: ./central.sh --data QOVLUQ remove-user AD)."
    ),
    "tokens_title": "Tokenlər",
    "tokens_none": "Heç bir token yoxdur.",
    "col_token_kind": "Növ",
    "col_token_name": "Ad",
    "col_last_used": "Son istifadə",
    "col_status": "Vəziyyət",
    "token_kind_admin": "admin (dərc etmək)",
    "token_kind_kiosk": "kiosk",
    "token_active": "qüvvədədir",
    "token_revoked": "ləğv edilib: {when}",
    "token_revoke": "{name} tokenini ləğv et",
    "revoke_title": "{name} tokeni ləğv edilsin?",
    "revoke_explain_kiosk": (
        "Bu kiosk hesabatlarını göndərə və yeni buraxılışlardan xəbər tuta bilməyəcək; açıq bildiriş "
        "bağlantısı dərhal kəsilir. Geri qaytarmaq olmaz: kioskun yeni tokenini serverdə yaradın "
        "(./central.sh --data QOVLUQ renew-kiosk-token KIOSK --out FAYL)."
    ),
    "revoke_explain_admin": (
        "Bu tokenlə dərc etmək və API sorğuları dərhal rədd ediləcək. Geri qaytarmaq olmaz: lazım olsa, "
        "serverdə yeni token yaradın (./central.sh --data QOVLUQ add-admin-token AD --out FAYL)."
    ),
    "revoke_type_name": "Təsdiq üçün adı yazın: {name}",
    "revoke_name_mismatch": "Yazılan ad {name} deyil: token ləğv edilmədi.",
    "revoke_cancel": "İmtina et, hesablara qayıt",
    "nav_plays": "Nümayiş hesabatı",
    "release_details": "Ətraflı",
    "preview_link": "Önizləmə: kiosklarda necə görünəcək",
    "language": "Dil",
    "logout": "Çıxış",
    "footer_times": "Bütün vaxtlar Bakı vaxtı ilədir (UTC+4).",
    "login_title": "Daxil olun",
    "login_name": "İstifadəçi adı",
    "login_password": "Şifrə",
    "login_button": "Daxil ol",
    "login_hint": "Hesabı server administratoru yaradır:",
    "login_command": "./central.sh --data QOVLUQ add-user AD",
    "login_wrong": "İstifadəçi adı və ya şifrə səhvdir.",
    "login_throttled": "Çoxlu uğursuz cəhd oldu. {n} dəqiqədən sonra yenidən cəhd edin.",
    "csrf_refused": "Forma köhnəlib və ya başqa saytdan göndərilib. Səhifəni yeniləyib yenidən cəhd edin.",
    "form_invalid": (
        "Formada server üçün qəbuledilməz dəyər var ({detail}). Səhifəni yeniləyib yenidən cəhd edin."
    ),
    "error_title": "Xəta",
    "back_to_fleet": "Kiosklar siyahısına qayıt",
    "fleet_title": "Bütün kiosklar",
    "fleet_summary": "Kiosk: {kiosks} · mərkəz: {centres}",
    "network_power": "Şəbəkənin indiki gücü",
    "network_today": "Bu gün istehsal",
    "fleet_silent_count": "5 dəqiqədən çox əlaqəsiz: {n}",
    "fleet_empty": "Hələ heç bir kiosk qeydiyyata alınmayıb (./central.sh --data QOVLUQ add-kiosk).",
    "col_kiosk": "Kiosk",
    "col_centre": "Mərkəz",
    "col_last_seen": "Son əlaqə",
    "col_app_version": "Proqram versiyası",
    "col_release": "Məzmun buraxılışı",
    "col_power_now": "Hazırkı güc",
    "col_energy_today": "Bu gün istehsal",
    "col_last_error": "Son xəta",
    "clock_label": "Saat",
    "clock_ahead": "Saat {n} dəq səhvdir (serverdən irəlidədir): qeydləri serverin vaxtı ilə yazılır",
    "clock_behind": "Saat {n} dəq səhvdir (serverdən geridədir): qeydləri serverin vaxtı ilə yazılır",
    "doubted": "İnandırıcı olmayan göstərici",
    "centre_rated": "nominal gücü {kw} kVt",
    "col_screenshot": "Ekran görüntüsü",
    "silent_badge": "Əlaqə yoxdur (5 dəq+)",
    "new_waiting_report": "Yeni kiosk: ilk hesabat gözlənilir",
    "new_waiting_sync": "Yeni kiosk: ilk sinxronizasiya gözlənilir",
    "alive_badge": "Əlaqədədir",
    "never": "heç vaxt",
    "ago_now": "indicə",
    "ago_minutes": "{n} dəq əvvəl",
    "ago_hours": "{n} saat əvvəl",
    "ago_days": "{n} gün əvvəl",
    "release_behind": "geridə: kanalda {n}",
    "energy_is_live": "canlı ölçmə",
    "energy_is_stale": "ölçmə köhnədir",
    "energy_is_offline": "cihazla əlaqə yoxdur",
    "energy_is_starting": "başlayır",
    "energy_is_sleeping": "istehsal yoxdur (gecə və ya gözləmə)",
    "energy_is_fault": "cihaz nasazlıq bildirir",
    "energy_is_partial": "cihazlardan {n} cavab verir",
    "unit_kw": "kVt",
    "unit_kwh": "kVt·saat",
    "screenshot_alt": "{kiosk} kioskunun ekranı, {when}",
    "screenshot_pending": "İstənilib: kiosk növbəti hesabatı ilə göndərəcək.",
    "screenshot_request": "Ekran görüntüsü istə",
    "screenshot_taken": "Çəkilib: {when}",
    "screenshot_none": "Hələ ekran görüntüsü yoxdur.",
    "kiosk_title": "Kiosk {kiosk}",
    "uptime": "Fasiləsiz iş müddəti",
    "energy_state": "Enerji mənbəyi",
    "energy_total": "Quraşdırılandan bəri",
    "events_title": "Nümayiş və istifadə (bütün müddət)",
    "event_kind": "Növ",
    "event_section": "Bölmə",
    "event_language": "Dil",
    "event_count": "Say",
    "event_time": "Ümumi müddət",
    "events_none": "Hələ hadisə qeydə alınmayıb.",
    "events_per_item": "Xidmət, video və tarixə görə nümayiş hesabatı",
    "kind_section": "Bölmə göstərildi",
    "kind_service": "Xidmət açıldı",
    "kind_service_opened": "Xidmət açıldı (müddətsiz)",
    "kind_video": "Video göstərildi",
    "kind_language": "Dil dəyişdi",
    "section_energy": "Enerji",
    "section_video": "Kampaniya videosu",
    "section_services": "Xidmətlər",
    "history_title": "Hesabat tarixçəsi",
    "history_at": "Vaxt",
    "history_limit": "Son 200 hesabat göstərilir.",
    "history_none": "Bu kiosk hələ hesabat göndərməyib.",
    "channel_title": "Kanal {channel}",
    "channel_active": "Aktiv buraxılış: {n}",
    "channel_no_release": "Bu kanalda hələ buraxılış yoxdur.",
    "drafts_title": "Təsdiq gözləyən qaralamalar",
    "drafts_explain": (
        "Server məzmunun imza açarını saxlamır. Buradan edilən geri qaytarma, elan və məzmun redaktəsi "
        "yalnız qaralamadır: kiosklar onu ancaq admin öz kompüterindəki açarla imzalayandan sonra görür. "
        "Aşağıdakı əmri content.key faylı olan kompüterdə işə salın: o, qaralamanı göstərir, imzalayır "
        "və yeni buraxılış nömrəsi ilə dərc edir."
    ),
    "draft_pending": "Gözləyir",
    "draft_heading": "Qaralama {id} → buraxılış {n}",
    "draft_rollback": "Geri qaytarma: {n} nömrəli buraxılışın məzmunu yenidən aktiv olacaq",
    "draft_announcement": "Elan, {when}-dək: {text}",
    "draft_settings": "Kiosk ayarları ({target} üçün dəyişdi); buraxılışda cəmi {n} ayar qeydi",
    "draft_content": "Məzmun redaktəsi: {note}",
    "content_link": "Məzmunu redaktə et",
    "draft_compare": "Fərqə bax",
    "draft_discard": "Qaralamanı ləğv et",
    "draft_edit": "İş nüsxəsinə aç və redaktə et",
    "draft_by": "Hazırlayan: {who}, {when}",
    "draft_command": "Təsdiq etmək üçün:",
    "drafts_all_command": "Bütün gözləyən qaralamaları birlikdə təsdiq etmək üçün:",
    "drafts_token_hint": (
        "Əmr admin tokenini GREEN_KIOSK_ADMIN_TOKEN mühit dəyişənindən və ya --token-file faylından oxuyur."
    ),
    "drafts_none": "Təsdiq gözləyən qaralama yoxdur.",
    "drafts_superseded_title": "Əvəz olunmuş qaralamalar",
    "draft_superseded": "Əvəz olunub",
    "draft_superseded_reason": (
        "{n} nömrəli buraxılış ({who}) bu qaralamanın hazırlandığı məzmunu əvəz etdi; onu artıq təsdiq "
        "etmək olmaz. Hələ lazımdırsa, yenidən hazırlayın."
    ),
    "draft_superseded_note": "Buraxılışın qeydi: {note}",
    "draft_superseded_unknown": "Sonrakı buraxılış bu qaralamanın hazırlandığı məzmunu əvəz etdi.",
    "draft_rebased": (
        "{n} nömrəli buraxılış üzərində yenidən quruldu ({when}): o buraxılışın dəyişiklikləri də "
        "saxlanılır. İmzalamazdan əvvəl fərqə yenidən baxın."
    ),
    "draft_rebuild_reason": (
        "{n} nömrəli buraxılış ({who}) əvvəl dərc olundu və bu qaralamanı onun üzərində yenidən qurmaq "
        "mümkün olmadı: {why}"
    ),
    "draft_rebuild_conflict": (
        "{detail} həm bu qaralamada, həm də həmin buraxılışda fərqli dəyişdirilib. İş nüsxəsini aktiv "
        "buraxılışla müqayisə edin və dəyişikliyi yenidən təklif edin."
    ),
    "draft_rebuild_announcement_gone": "bitirilməli olan elan ({detail}) həmin buraxılışda artıq yoxdur.",
    "draft_rebuild_announcement_ended": "bitirilməli olan elan ({detail}) həmin buraxılışda artıq bitib.",
    "draft_rebuild_refused": "kiosk yenidən qurulmuş buraxılışı qəbul etməzdi: {detail}",
    "draft_rebuild_no_base": (
        "qaralamanın redaktə edildiyi {detail} nömrəli buraxılış saxlanılmayıb, ona görə onun "
        "dəyişiklikləri ayırd edilə bilmir."
    ),
    "draft_rebuild_other": "yenidən qurmaq alınmadı ({detail}).",
    "part_format": "Format",
    "part_channel": "Kanalın adı",
    "part_attract": "Gözləmə dövrü",
    "part_services": "Xidmətlər",
    "part_videos": "Videolar",
    "part_announcements": "Elanlar",
    "part_settings": "Kiosk ayarları",
    "releases_title": "Buraxılışlar",
    "release_published": "Dərc edilib",
    "release_by": "Dərc edən",
    "release_items": "Element",
    "release_note": "Qeyd və dəyişikliklər",
    "release_active": "aktiv",
    "releases_none": "Hələ buraxılış yoxdur.",
    "rollback_button": "Bu buraxılışa qayıt",
    "rollback_explain": (
        "Geri qaytarma həmin buraxılışın məzmunu ilə yeni, daha böyük nömrəli qaralama hazırlayır; "
        "o, yuxarıdakı əmrlə imzalanandan sonra dərc olunur."
    ),
    "settings_title": "{channel} kanalının ayarları",
    "settings_link": "Kiosk ayarları",
    "media_link": "Media kitabxanası",
    "settings_explain": (
        "Burada mərkəz və ya kiosk üçün ayarları (dil, iş saatları, gözləmə vaxtları, enerji mənbəyi, "
        "admin PIN heşi) dəyişmək olar. Dəyişiklik qaralama olur: yalnız məzmun açarı ilə imzalanandan "
        "(kioskctl approve) sonra kiosklara çatır. Məzmunun ünvanı, açarı, mərkəzi server və kioskun "
        "adı yalnız kioskun öz faylında dəyişdirilir."
    ),
    "settings_for": "Kimin üçün",
    "settings_every": "Bütün kiosklar",
    "settings_centre": "Mərkəz {id}",
    "settings_kiosk": "Kiosk {id}",
    "settings_current": "İndiki buraxılışdakı ayarlar",
    "settings_none": "Bu buraxılışda ayar yoxdur: kiosklar öz fayllarına görə işləyir.",
    "settings_edit": "Redaktə et",
    "settings_hint": (
        "Boş sahə dəyişdirilmir (kioskun öz faylındakı qiymət qalır). Hamısı boşdursa, bu ayar silinir."
    ),
    "settings_button": "Qaralama hazırla",
    "settings_bad_value": "{key}: «{value}» uyğun qiymət deyil.",
    "announce_title": "Elanlar",
    "announce_explain": (
        "Elan kiosklarda başlanğıc və son vaxt arasında göstərilən mesajdır; təcili bildiriş adi "
        "elandan üstündür. Göndərəndə aktiv buraxılışa bu elan əlavə olunmuş qaralama yaranır; kiosklar "
        "onu admin kanal səhifəsindəki əmrlə imzalayandan sonra göstərir."
    ),
    "announce_level": "Növ",
    "level_info": "Elan",
    "level_emergency": "Təcili bildiriş",
    "announce_text": "Mətn",
    "announce_text_az": "Mətn (azərbaycanca)",
    "announce_text_en": "Mətn (ingiliscə)",
    "announce_text_ru": "Mətn (rusca)",
    "announce_starts": "Başlanğıc",
    "announce_ends": "Son",
    "baku_time": "Bakı vaxtı",
    "announce_centres": "Mərkəzlər",
    "announce_centres_hint": "Heç biri seçilməsə, elan bütün mərkəzlərdə göstərilir.",
    "announce_all_centres": "bütün mərkəzlər",
    "announce_button": "Qaralama hazırla",
    "announce_current": "Aktiv buraxılışdakı elanlar",
    "announce_state": "Vəziyyət",
    "state_showing": "göstərilir",
    "state_planned": "planlaşdırılıb",
    "state_ended": "bitib",
    "announce_none": "Aktiv buraxılışda elan yoxdur.",
    "announce_need_texts": "Elanın mətni üç dildə lazımdır: azərbaycanca, ingiliscə və rusca.",
    "announce_bad_time": "Başlanğıc və son vaxtı tam göstərin (tarix və saat).",
    "announce_end_first": "Elan başlayandan sonra bitməlidir.",
    "announce_in_past": "Son vaxt artıq keçib.",
    "level_warning": "Xəbərdarlıq",
    "level_info_does": "kioskun adi ekranı üzərində zolaq; enerji, video və xidmətlər işləməyə davam edir",
    "level_warning_does": "daha böyük, daha nəzərə çarpan zolaq; bölmələr yenə işləyir",
    "level_emergency_does": "bütün ekran: bitənədək başqa heç nə göstərilmir",
    "announce_long_emergency": (
        "Bu təcili bildiriş {hours} saat bütün ekranı tutacaq: bu müddətdə kiosklar başqa heç nə "
        "göstərməyəcək. Adi məlumat üçün «Elan» və ya «Xəbərdarlıq» seçin. Doğrudursa, aşağıdakı qutunu "
        "işarələyib yenidən göndərin."
    ),
    "announce_long_ok": "Bəli, təcili bildiriş 24 saatdan çox bütün ekranı tutsun",
    "announce_end": "İndi bitir",
    "announce_end_hint": (
        "«İndi bitir» elanın indi bitdiyi qaralama hazırlayır (hələ başlamayıbsa, elan silinir); kiosklar "
        "qaralama imzalanandan sonra elanı göstərməyi dayandırır."
    ),
    "draft_end_announcement": "Elanı erkən bitirmək ({when}): {text}",
}

EN: dict[str, str] = {
    "app_name": "Green Kiosk console",
    "nav_label": "Main menu",
    "nav_fleet": "Kiosks",
    "nav_channel": "Channel",
    "nav_announcements": "Announcements",
    "nav_accounts": "Accounts",
    "accounts_title": "Accounts and tokens",
    "accounts_explain": (
        "New tokens and users are made on the server only (./central.sh --data DIR add-admin-token "
        "NAME --out FILE, add-kiosk, add-user). Here they can be taken away: a revoked token or a "
        "removed user stops working at once."
    ),
    "password_title": "Change my password",
    "password_current": "Current password",
    "password_new": "New password (at least 10 characters)",
    "password_repeat": "New password again",
    "password_button": "Change password",
    "password_wrong": "The current password is wrong.",
    "password_mismatch": "The new password and its repetition differ.",
    "password_short": "A password needs 10 to 1024 characters.",
    "password_changed": "Password changed. Other sessions ended: {n}.",
    "users_title": "Console users",
    "users_none": "No users.",
    "col_user": "User",
    "col_created": "Created",
    "col_sessions": "Open sessions",
    "user_remove": "Remove user {name}",
    "user_you": "you",
    "accounts_not_yourself": (
        "You cannot remove your own account here (on the server: ./central.sh --data DIR remove-user NAME)."
    ),
    "tokens_title": "Tokens",
    "tokens_none": "No tokens.",
    "col_token_kind": "Kind",
    "col_token_name": "Name",
    "col_last_used": "Last used",
    "col_status": "Status",
    "token_kind_admin": "admin (publishing)",
    "token_kind_kiosk": "kiosk",
    "token_active": "active",
    "token_revoked": "revoked {when}",
    "token_revoke": "Revoke token {name}",
    "revoke_title": "Revoke the token {name}?",
    "revoke_explain_kiosk": (
        "This kiosk can no longer send its reports or hear of new releases; its open notification "
        "connection is cut at once. It cannot be undone: make the kiosk a new token on the server "
        "(./central.sh --data DIR renew-kiosk-token KIOSK --out FILE)."
    ),
    "revoke_explain_admin": (
        "Publishing and API requests with this token are refused at once. It cannot be undone: if "
        "needed, make a new token on the server (./central.sh --data DIR add-admin-token NAME --out FILE)."
    ),
    "revoke_type_name": "To confirm, type the name: {name}",
    "revoke_name_mismatch": "The name typed is not {name}: the token was not revoked.",
    "revoke_cancel": "Cancel, back to the accounts",
    "nav_plays": "Proof of play",
    "release_details": "Details",
    "preview_link": "Preview: as kiosks will show it",
    "language": "Language",
    "logout": "Log out",
    "footer_times": "All times are Baku time (UTC+4).",
    "login_title": "Log in",
    "login_name": "User name",
    "login_password": "Password",
    "login_button": "Log in",
    "login_hint": "The server's administrator creates accounts:",
    "login_command": "./central.sh --data DIR add-user NAME",
    "login_wrong": "Wrong user name or password.",
    "login_throttled": "Too many failed attempts. Try again in {n} minutes.",
    "csrf_refused": "The form is out of date or was sent from another site. Reload the page and try again.",
    "form_invalid": (
        "The form has a value the server does not accept ({detail}). Reload the page and try again."
    ),
    "error_title": "Error",
    "back_to_fleet": "Back to the kiosks",
    "fleet_title": "All kiosks",
    "fleet_summary": "Kiosks: {kiosks} · centres: {centres}",
    "network_power": "Network power now",
    "network_today": "Generated today",
    "fleet_silent_count": "Silent for over 5 minutes: {n}",
    "fleet_empty": "No kiosk is registered yet (./central.sh --data DIR add-kiosk).",
    "col_kiosk": "Kiosk",
    "col_centre": "Centre",
    "col_last_seen": "Last seen",
    "col_app_version": "App version",
    "col_release": "Content release",
    "col_power_now": "Power now",
    "col_energy_today": "Energy today",
    "col_last_error": "Last error",
    "clock_label": "Clock",
    "clock_ahead": "Clock wrong by {n} min (ahead of the server): its records are filed at server time",
    "clock_behind": "Clock wrong by {n} min (behind the server): its records are filed at server time",
    "doubted": "Reading not believed",
    "centre_rated": "rated {kw} kW",
    "col_screenshot": "Screenshot",
    "silent_badge": "Silent (5 min+)",
    "new_waiting_report": "New kiosk: waiting for its first report",
    "new_waiting_sync": "New kiosk: waiting for its first sync",
    "alive_badge": "Online",
    "never": "never",
    "ago_now": "just now",
    "ago_minutes": "{n} min ago",
    "ago_hours": "{n} h ago",
    "ago_days": "{n} days ago",
    "release_behind": "behind: channel has {n}",
    "energy_is_live": "live readings",
    "energy_is_stale": "readings out of date",
    "energy_is_offline": "no connection to the device",
    "energy_is_starting": "starting",
    "energy_is_sleeping": "no production (night or standby)",
    "energy_is_fault": "the device reports a fault",
    "energy_is_partial": "{n} devices report",
    "unit_kw": "kW",
    "unit_kwh": "kWh",
    "screenshot_alt": "Screen of kiosk {kiosk}, {when}",
    "screenshot_pending": "Requested: the kiosk sends it with its next report.",
    "screenshot_request": "Request screenshot",
    "screenshot_taken": "Taken {when}",
    "screenshot_none": "No screenshot yet.",
    "kiosk_title": "Kiosk {kiosk}",
    "uptime": "Uptime",
    "energy_state": "Energy source",
    "energy_total": "Since installation",
    "events_title": "Plays and use (all time)",
    "event_kind": "Kind",
    "event_section": "Section",
    "event_language": "Language",
    "event_count": "Count",
    "event_time": "Total time",
    "events_none": "No events recorded yet.",
    "events_per_item": "Proof of play per service, video and date",
    "kind_section": "Section shown",
    "kind_service": "Service opened",
    "kind_service_opened": "Service opened (untimed)",
    "kind_video": "Video shown",
    "kind_language": "Language changed",
    "section_energy": "Energy",
    "section_video": "Campaign video",
    "section_services": "Services",
    "history_title": "Report history",
    "history_at": "Time",
    "history_limit": "The latest 200 reports are shown.",
    "history_none": "This kiosk has not reported yet.",
    "channel_title": "Channel {channel}",
    "channel_active": "Active release: {n}",
    "channel_no_release": "This channel has no release yet.",
    "drafts_title": "Drafts waiting for approval",
    "drafts_explain": (
        "The server never holds the content signing key. A rollback, an announcement or a content edit "
        "made here is only a draft: kiosks see it once an admin signs it with the key on their own "
        "computer. Run the command below where content.key is kept: it shows the draft, signs it and "
        "publishes it under a new release number."
    ),
    "draft_pending": "Pending",
    "draft_heading": "Draft {id} → release {n}",
    "draft_rollback": "Rollback: the content of release {n} becomes active again",
    "draft_announcement": "Announcement until {when}: {text}",
    "draft_settings": "Kiosk settings (changed for {target}); {n} settings entries in the release",
    "draft_content": "Content edit: {note}",
    "content_link": "Edit content",
    "draft_compare": "See the difference",
    "draft_discard": "Discard the draft",
    "draft_edit": "Open in the working copy to edit",
    "draft_by": "Proposed by {who}, {when}",
    "draft_command": "To approve it:",
    "drafts_all_command": "To approve every pending draft at once:",
    "drafts_token_hint": "The command reads the admin token from $GREEN_KIOSK_ADMIN_TOKEN or --token-file.",
    "drafts_none": "No drafts are waiting for approval.",
    "drafts_superseded_title": "Superseded drafts",
    "draft_superseded": "Superseded",
    "draft_superseded_reason": (
        "Release {n} (by {who}) replaced the content this draft was made from, so it can no longer be "
        "approved. Propose it again if it is still needed."
    ),
    "draft_superseded_note": "The release's note: {note}",
    "draft_superseded_unknown": "A later release replaced the content this draft was made from.",
    "draft_rebased": (
        "Rebuilt on release {n} ({when}), so it keeps what that release changed. Look at the difference "
        "again before signing."
    ),
    "draft_rebuild_reason": (
        "Release {n} (by {who}) was published first, and this draft could not be rebuilt on it: {why}"
    ),
    "draft_rebuild_conflict": (
        "{detail} changed in both this draft and that release, in different ways. Compare the working copy "
        "with the active release and propose the change again."
    ),
    "draft_rebuild_announcement_gone": "the announcement it ends ({detail}) is no longer in that release.",
    "draft_rebuild_announcement_ended": "the announcement it ends ({detail}) has already ended there.",
    "draft_rebuild_refused": "a kiosk would refuse the rebuilt release: {detail}",
    "draft_rebuild_no_base": (
        "release {detail}, which it was edited from, is not kept, so its edits cannot be told apart."
    ),
    "draft_rebuild_other": "it could not be rebuilt ({detail}).",
    "part_format": "Format",
    "part_channel": "Channel name",
    "part_attract": "Attract loop",
    "part_services": "Services",
    "part_videos": "Videos",
    "part_announcements": "Announcements",
    "part_settings": "Kiosk settings",
    "releases_title": "Releases",
    "release_published": "Published",
    "release_by": "Published by",
    "release_items": "Items",
    "release_note": "Note and changes",
    "release_active": "active",
    "releases_none": "No releases yet.",
    "rollback_button": "Roll back to this release",
    "rollback_explain": (
        "Rolling back prepares a draft with that release's content under a new, higher number; it is "
        "published once it is signed with the command above."
    ),
    "settings_title": "Settings of channel {channel}",
    "settings_link": "Kiosk settings",
    "media_link": "Media library",
    "settings_explain": (
        "Here you change settings for a centre or a kiosk (language, opening hours, idle times, energy "
        "source, admin PIN hash). The change becomes a draft: it reaches kiosks only once it is signed "
        "with the content key (kioskctl approve). Where content comes from, its key, the central server "
        "and a kiosk's name change only in the kiosk's own file."
    ),
    "settings_for": "For",
    "settings_every": "Every kiosk",
    "settings_centre": "Centre {id}",
    "settings_kiosk": "Kiosk {id}",
    "settings_current": "Settings in the active release",
    "settings_none": "This release has no settings: kiosks follow their own files.",
    "settings_edit": "Edit",
    "settings_hint": (
        "An empty field is not set (the kiosk's own file decides). All empty removes this entry."
    ),
    "settings_button": "Make a draft",
    "settings_bad_value": "{key}: ‘{value}’ is not a valid value.",
    "announce_title": "Announcements",
    "announce_explain": (
        "An announcement is a message kiosks show between its start and its end; an emergency notice "
        "wins over an ordinary one. Sending it creates a draft: the active release with the announcement "
        "added. Kiosks show it once an admin signs it with the command on the channel page."
    ),
    "announce_level": "Kind",
    "level_info": "Announcement",
    "level_emergency": "Emergency notice",
    "announce_text": "Text",
    "announce_text_az": "Text (Azerbaijani)",
    "announce_text_en": "Text (English)",
    "announce_text_ru": "Text (Russian)",
    "announce_starts": "Starts",
    "announce_ends": "Ends",
    "baku_time": "Baku time",
    "announce_centres": "Centres",
    "announce_centres_hint": "With none ticked, every centre shows it.",
    "announce_all_centres": "all centres",
    "announce_button": "Prepare the draft",
    "announce_current": "Announcements in the active release",
    "announce_state": "State",
    "state_showing": "showing",
    "state_planned": "planned",
    "state_ended": "ended",
    "announce_none": "The active release has no announcements.",
    "announce_need_texts": "An announcement needs its text in Azerbaijani, English and Russian.",
    "announce_bad_time": "Give the start and the end in full (date and time).",
    "announce_end_first": "An announcement must end after it starts.",
    "announce_in_past": "The end is already in the past.",
    "level_warning": "Warning",
    "level_info_does": "a band over the normal kiosk screen; energy, video and services stay usable",
    "level_warning_does": "a larger, more prominent band; the sections still work",
    "level_emergency_does": "the whole screen: nothing else shows until it ends",
    "announce_long_emergency": (
        "This emergency takes the whole screen for {hours} hours: kiosks show nothing else all that time. "
        "For ordinary news choose Announcement or Warning. If this is right, tick the box below and send "
        "it again."
    ),
    "announce_long_ok": "Yes, let this emergency take the whole screen for more than 24 hours",
    "announce_end": "End now",
    "announce_end_hint": (
        "End now makes a draft in which the announcement ends now (one not started yet is removed); "
        "kiosks stop showing it once the draft is signed."
    ),
    "draft_end_announcement": "End the announcement early ({when}): {text}",
}

TEXTS: dict[str, dict[str, str]] = {"az": AZ, "en": EN}
