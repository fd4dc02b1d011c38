<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="az_AZ">
<context>
    <name>AdminAccess</name>
    <message>
        <source>No admin PIN is set on this kiosk (kioskctl hash-pin).</source>
        <translation>Bu kioskda admin PIN-i təyin edilməyib (kioskctl hash-pin).</translation>
    </message>
    <message numerus="yes">
        <source>Too many wrong PINs. Try again in %n second(s).</source>
        <translation>
            <numerusform>Çox sayda səhv PIN. %n saniyədən sonra yenidən cəhd edin.</numerusform>
            <numerusform>Çox sayda səhv PIN. %n saniyədən sonra yenidən cəhd edin.</numerusform>
        </translation>
    </message>
    <message>
        <source>Wrong PIN.</source>
        <translation>Səhv PIN.</translation>
    </message>
</context>
<context>
    <name>AdminScreen</name>
    <message>
        <source>bundled demo content</source>
        <translation>daxili nümayiş məzmunu</translation>
    </message>
    <message>
        <source>published</source>
        <translation>dərc edilmiş</translation>
    </message>
    <message>
        <source>never (no content server configured or not yet reached)</source>
        <translation>heç vaxt (məzmun serveri təyin edilməyib və ya hələ əlçatan olmayıb)</translation>
    </message>
    <message>
        <source>no central server configured</source>
        <translation>mərkəzi server qurulmayıb</translation>
    </message>
    <message numerus="yes">
        <source>%n record(s) waiting</source>
        <translation>
            <numerusform>%n qeyd gözləyir</numerusform>
            <numerusform>%n qeyd gözləyir</numerusform>
        </translation>
    </message>
    <message>
        <source>nothing sent yet</source>
        <translation>hələ heç nə göndərilməyib</translation>
    </message>
    <message>
        <source>No warnings or errors since start.</source>
        <translation>Başlanğıcdan bəri xəbərdarlıq və ya xəta yoxdur.</translation>
    </message>
    <message>
        <source>Kiosk administration</source>
        <translation>Kioskun idarə edilməsi</translation>
    </message>
    <message>
        <source>App version</source>
        <translation>Proqram versiyası</translation>
    </message>
    <message>
        <source>Kiosk and centre</source>
        <translation>Kiosk və mərkəz</translation>
    </message>
    <message>
        <source>Content release</source>
        <translation>Məzmun buraxılışı</translation>
    </message>
    <message>
        <source>Last sync</source>
        <translation>Son sinxronizasiya</translation>
    </message>
    <message>
        <source>Reports to the central server</source>
        <translation>Mərkəzi serverə hesabatlar</translation>
    </message>
    <message>
        <source>Energy source</source>
        <translation>Enerji mənbəyi</translation>
    </message>
    <message>
        <source>Data disk</source>
        <translation>Məlumat diski</translation>
    </message>
    <message>
        <source>Remote settings</source>
        <translation>Uzaqdan ayarlar</translation>
    </message>
    <message>
        <source>Recent problems</source>
        <translation>Son problemlər</translation>
    </message>
    <message>
        <source>Sync now</source>
        <translation>İndi sinxronlaşdır</translation>
    </message>
    <message>
        <source>Reload</source>
        <translation>Yenidən yüklə</translation>
    </message>
    <message>
        <source>Restart</source>
        <translation>Yenidən başlat</translation>
    </message>
    <message>
        <source>Exit to desktop</source>
        <translation>İş masasına çıx</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Bağla</translation>
    </message>
    <message>
        <source>Start-up</source>
        <translation>Başlanğıc</translation>
    </message>
    <message>
        <source>SAFE MODE: the kiosk stopped several times in a row soon after starting. Content sync and reports to the central server are off. Restart to try the normal way again.</source>
        <translation>TƏHLÜKƏSİZ REJİM: kiosk başladıqdan az sonra bir neçə dəfə ardıcıl dayandı. Məzmun sinxronizasiyası və mərkəzi serverə hesabatlar söndürülüb. Adi qaydada yenidən cəhd etmək üçün yenidən başladın.</translation>
    </message>
    <message>
        <source>normal; the configuration was read without problems</source>
        <translation>normal; konfiqurasiya problemsiz oxundu</translation>
    </message>
    <message>
        <source>%1 of %2 devices reporting</source>
        <translation>%2 cihazdan %1-i məlumat verir</translation>
    </message>
    <message>
        <source>not reporting: %1</source>
        <translation>cavab vermir: %1</translation>
    </message>
</context>
<context>
    <name>AnnouncementBand</name>
    <message>
        <source>Warning</source>
        <translation>Xəbərdarlıq</translation>
    </message>
    <message>
        <source>Announcement</source>
        <translation>Elan</translation>
    </message>
</context>
<context>
    <name>AnnouncementView</name>
    <message>
        <source>Warning</source>
        <translation>Xəbərdarlıq</translation>
    </message>
    <message>
        <source>Emergency</source>
        <translation>Təcili bildiriş</translation>
    </message>
    <message>
        <source>Announcement</source>
        <translation>Elan</translation>
    </message>
</context>
<context>
    <name>EnergySection</name>
    <message>
        <source>Energy</source>
        <translation>Enerji</translation>
    </message>
    <message>
        <source>Solar power of this centre</source>
        <translation>Bu mərkəzin günəş enerjisi</translation>
    </message>
    <message>
        <source>Generated on our own roof, live</source>
        <translation>Öz damımızda istehsal olunur, canlı</translation>
    </message>
    <message>
        <source>Power now</source>
        <translation>Hazırkı güc</translation>
    </message>
    <message>
        <source>Energy today</source>
        <translation>Bu gün istehsal</translation>
    </message>
    <message>
        <source>Energy since installation</source>
        <translation>Quraşdırılandan bəri</translation>
    </message>
    <message>
        <source>CO₂ avoided today</source>
        <translation>Bu gün qarşısı alınan CO₂</translation>
    </message>
    <message>
        <source>CO₂ avoided since installation</source>
        <translation>Quraşdırılandan bəri qarşısı alınan CO₂</translation>
    </message>
    <message>
        <source>Today&apos;s power, kW (5-minute averages)</source>
        <translation>Bu günün gücü, kVt (5 dəqiqəlik orta)</translation>
    </message>
    <message>
        <source>Last 30 days, kWh per day</source>
        <translation>Son 30 gün, gündəlik kVt·saat</translation>
    </message>
    <message>
        <source>No readings yet today</source>
        <translation>Bu gün hələ ölçmə yoxdur</translation>
    </message>
    <message>
        <source>Sunrise %1</source>
        <translation>Gündoğma %1</translation>
    </message>
    <message>
        <source>Sunset %1</source>
        <translation>Günbatma %1</translation>
    </message>
    <message>
        <source>No days recorded yet</source>
        <translation>Hələ qeydə alınmış gün yoxdur</translation>
    </message>
    <message>
        <source>kW</source>
        <translation>kVt</translation>
    </message>
    <message>
        <source>kWh</source>
        <translation>kVt·saat</translation>
    </message>
    <message>
        <source>MWh</source>
        <translation>MVt·saat</translation>
    </message>
    <message>
        <source>kg</source>
        <translation>kq</translation>
    </message>
    <message>
        <source>t</source>
        <translation>t</translation>
    </message>
    <message>
        <source>Live</source>
        <translation>Canlı</translation>
    </message>
    <message>
        <source>Not updating</source>
        <translation>Yenilənmir</translation>
    </message>
    <message>
        <source>Source offline</source>
        <translation>Mənbə əlçatan deyil</translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation>Qoşulur…</translation>
    </message>
    <message>
        <source>Power at %1</source>
        <translation>Güc, saat %1</translation>
    </message>
    <message>
        <source>Connecting to the solar inverter…</source>
        <translation>Günəş invertoruna qoşulur…</translation>
    </message>
    <message>
        <source>Simulated solar plant (demo)</source>
        <translation>Simulyasiya edilmiş günəş stansiyası (nümayiş)</translation>
    </message>
    <message>
        <source>Solar inverter</source>
        <translation>Günəş invertoru</translation>
    </message>
    <message>
        <source>source offline: no reading yet</source>
        <translation>mənbə əlçatan deyil: hələ məlumat yoxdur</translation>
    </message>
    <message>
        <source>updated at %1</source>
        <translation>%1 yeniləndi</translation>
    </message>
    <message>
        <source>source offline</source>
        <translation>mənbə əlçatan deyil</translation>
    </message>
    <message>
        <source>no new reading</source>
        <translation>yeni məlumat yoxdur</translation>
    </message>
    <message numerus="yes">
        <source>last updated %n minute(s) ago</source>
        <translation>
            <numerusform>son yenilənmə %n dəqiqə əvvəl</numerusform>
            <numerusform>son yenilənmə %n dəqiqə əvvəl</numerusform>
        </translation>
    </message>
    <message>
        <source>What the CO₂ saving equals</source>
        <translation>CO₂ qənaəti nəyə bərabərdir</translation>
    </message>
    <message>
        <source>Figures appear with the first reading</source>
        <translation>Rəqəmlər ilk ölçmədən sonra görünəcək</translation>
    </message>
    <message>
        <source>Today&apos;s CO₂ saving</source>
        <translation>Bu günün CO₂ qənaəti</translation>
    </message>
    <message>
        <source>CO₂ saved since installation</source>
        <translation>Quraşdırılandan bəri CO₂ qənaəti</translation>
    </message>
    <message numerus="yes">
        <source>= %Ln tree(s) absorbing CO₂ for a year</source>
        <translation>
            <numerusform>= %Ln ağacın bir ildə udduğu CO₂</numerusform>
            <numerusform>= %Ln ağacın bir ildə udduğu CO₂</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>= %Ln km driven by a petrol car</source>
        <translation>
            <numerusform>= benzinli avtomobilin %Ln km yürüşü</numerusform>
            <numerusform>= benzinli avtomobilin %Ln km yürüşü</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>= %Ln home(s) supplied with electricity for a day</source>
        <translation>
            <numerusform>= %Ln evin bir günlük elektrik enerjisi</numerusform>
            <numerusform>= %Ln evin bir günlük elektrik enerjisi</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>All ASAN xidmət centres (%n centre(s))</source>
        <translation>
            <numerusform>Bütün ASAN xidmət mərkəzləri (%n mərkəz)</numerusform>
            <numerusform>Bütün ASAN xidmət mərkəzləri (%n mərkəz)</numerusform>
        </translation>
    </message>
    <message>
        <source>All ASAN xidmət centres</source>
        <translation>Bütün ASAN xidmət mərkəzləri</translation>
    </message>
    <message>
        <source>Energy today (estimated)</source>
        <translation>Bu gün istehsal (təxmini)</translation>
    </message>
    <message>
        <source>CO₂ avoided today (estimated)</source>
        <translation>Bu gün qarşısı alınan CO₂ (təxmini)</translation>
    </message>
    <message>
        <source>Inverter fault</source>
        <translation>İnvertor nasazdır</translation>
    </message>
    <message>
        <source>Solar inverters</source>
        <translation>Günəş invertorları</translation>
    </message>
    <message>
        <source>partial: %1 of %2 inverters reporting</source>
        <translation>qismən: %2 invertordan %1-i məlumat verir</translation>
    </message>
    <message>
        <source>inverter reports a fault</source>
        <translation>invertor nasazlıq bildirir</translation>
    </message>
    <message>
        <source>Inverter asleep</source>
        <translation>İnvertor yuxudadır</translation>
    </message>
    <message>
        <source>producing again at sunrise, %1</source>
        <translation>gün çıxanda, %1-də yenidən istehsal edəcək</translation>
    </message>
    <message>
        <source>producing again at sunrise</source>
        <translation>gün çıxanda yenidən istehsal edəcək</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Large text and high contrast</source>
        <translation>Böyük şrift və yüksək kontrast</translation>
    </message>
</context>
<context>
    <name>PinPad</name>
    <message>
        <source>Enter the admin PIN</source>
        <translation>Admin PIN-i daxil edin</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>Sil</translation>
    </message>
    <message>
        <source>OK</source>
        <translation>Təsdiq</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>İmtina</translation>
    </message>
</context>
<context>
    <name>ServicePage</name>
    <message>
        <source>Back</source>
        <translation>Geri</translation>
    </message>
    <message>
        <source>Scan with your phone&apos;s camera to continue online</source>
        <translation>Onlayn davam etmək üçün telefonunuzun kamerası ilə skan edin</translation>
    </message>
</context>
<context>
    <name>ServicesSection</name>
    <message>
        <source>Green services</source>
        <translation>Yaşıl xidmətlər</translation>
    </message>
    <message>
        <source>Tap a card to learn more and continue on your phone</source>
        <translation>Ətraflı öyrənmək və telefonda davam etmək üçün kartı toxunun</translation>
    </message>
    <message>
        <source>Green energy</source>
        <translation>Yaşıl enerji</translation>
    </message>
    <message>
        <source>E-service</source>
        <translation>E-xidmət</translation>
    </message>
</context>
<context>
    <name>VideoSection</name>
    <message>
        <source>Campaign video</source>
        <translation>Kampaniya videosu</translation>
    </message>
    <message>
        <source>ASAN xidmət centres are moving to clean solar energy</source>
        <translation>ASAN xidmət mərkəzləri təmiz günəş enerjisinə keçir</translation>
    </message>
    <message>
        <source>No video in this release</source>
        <translation>Bu buraxılışda video yoxdur</translation>
    </message>
    <message>
        <source>The video cannot be played on this kiosk right now.</source>
        <translation>Video hazırda bu kioskda oynadıla bilmir.</translation>
    </message>
    <message>
        <source>Tap the video to hear it</source>
        <translation>Səsi eşitmək üçün videoya toxunun</translation>
    </message>
</context>
</TS>
