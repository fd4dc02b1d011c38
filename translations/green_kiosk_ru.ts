<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ru_RU">
<context>
    <name>AdminAccess</name>
    <message>
        <source>No admin PIN is set on this kiosk (kioskctl hash-pin).</source>
        <translation>На этом киоске не задан PIN администратора (kioskctl hash-pin).</translation>
    </message>
    <message numerus="yes">
        <source>Too many wrong PINs. Try again in %n second(s).</source>
        <translation>
            <numerusform>Слишком много неверных PIN. Повторите через %n секунду.</numerusform>
            <numerusform>Слишком много неверных PIN. Повторите через %n секунды.</numerusform>
            <numerusform>Слишком много неверных PIN. Повторите через %n секунд.</numerusform>
        </translation>
    </message>
    <message>
        <source>Wrong PIN.</source>
        <translation>Неверный PIN.</translation>
    </message>
</context>
<context>
    <name>AdminScreen</name>
    <message>
        <source>bundled demo content</source>
        <translation>встроенный демо-контент</translation>
    </message>
    <message>
        <source>published</source>
        <translation>опубликован</translation>
    </message>
    <message>
        <source>never (no content server configured or not yet reached)</source>
        <translation>никогда (сервер контента не настроен или ещё недоступен)</translation>
    </message>
    <message>
        <source>no central server configured</source>
        <translation>центральный сервер не настроен</translation>
    </message>
    <message numerus="yes">
        <source>%n record(s) waiting</source>
        <translation>
            <numerusform>%n запись ожидает</numerusform>
            <numerusform>%n записи ожидают</numerusform>
            <numerusform>%n записей ожидают</numerusform>
        </translation>
    </message>
    <message>
        <source>nothing sent yet</source>
        <translation>ещё ничего не отправлено</translation>
    </message>
    <message>
        <source>No warnings or errors since start.</source>
        <translation>С момента запуска предупреждений и ошибок нет.</translation>
    </message>
    <message>
        <source>Kiosk administration</source>
        <translation>Администрирование киоска</translation>
    </message>
    <message>
        <source>App version</source>
        <translation>Версия приложения</translation>
    </message>
    <message>
        <source>Kiosk and centre</source>
        <translation>Киоск и центр</translation>
    </message>
    <message>
        <source>Content release</source>
        <translation>Выпуск контента</translation>
    </message>
    <message>
        <source>Last sync</source>
        <translation>Последняя синхронизация</translation>
    </message>
    <message>
        <source>Reports to the central server</source>
        <translation>Отчёты на центральный сервер</translation>
    </message>
    <message>
        <source>Energy source</source>
        <translation>Источник энергии</translation>
    </message>
    <message>
        <source>Data disk</source>
        <translation>Диск данных</translation>
    </message>
    <message>
        <source>Remote settings</source>
        <translation>Удалённые настройки</translation>
    </message>
    <message>
        <source>Recent problems</source>
        <translation>Последние проблемы</translation>
    </message>
    <message>
        <source>Sync now</source>
        <translation>Синхронизировать</translation>
    </message>
    <message>
        <source>Reload</source>
        <translation>Перезагрузить контент</translation>
    </message>
    <message>
        <source>Restart</source>
        <translation>Перезапустить</translation>
    </message>
    <message>
        <source>Exit to desktop</source>
        <translation>Выйти на рабочий стол</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Закрыть</translation>
    </message>
    <message>
        <source>Start-up</source>
        <translation>Запуск</translation>
    </message>
    <message>
        <source>SAFE MODE: the kiosk stopped several times in a row soon after starting. Content sync and reports to the central server are off. Restart to try the normal way again.</source>
        <translation>БЕЗОПАСНЫЙ РЕЖИМ: киоск несколько раз подряд останавливался вскоре после запуска. Синхронизация контента и отчёты центральному серверу отключены. Перезапустите, чтобы снова попробовать в обычном режиме.</translation>
    </message>
    <message>
        <source>normal; the configuration was read without problems</source>
        <translation>обычный; конфигурация прочитана без ошибок</translation>
    </message>
    <message>
        <source>%1 of %2 devices reporting</source>
        <translation>отвечают %1 из %2 устройств</translation>
    </message>
    <message>
        <source>not reporting: %1</source>
        <translation>не отвечают: %1</translation>
    </message>
</context>
<context>
    <name>AnnouncementBand</name>
    <message>
        <source>Warning</source>
        <translation>Предупреждение</translation>
    </message>
    <message>
        <source>Announcement</source>
        <translation>Объявление</translation>
    </message>
</context>
<context>
    <name>AnnouncementView</name>
    <message>
        <source>Warning</source>
        <translation>Предупреждение</translation>
    </message>
    <message>
        <source>Emergency</source>
        <translation>Экстренное сообщение</translation>
    </message>
    <message>
        <source>Announcement</source>
        <translation>Объявление</translation>
    </message>
</context>
<context>
    <name>EnergySection</name>
    <message>
        <source>Energy</source>
        <translation>Энергия</translation>
    </message>
    <message>
        <source>Solar power of this centre</source>
        <translation>Солнечная энергия этого центра</translation>
    </message>
    <message>
        <source>Generated on our own roof, live</source>
        <translation>Вырабатывается на нашей крыше, в реальном времени</translation>
    </message>
    <message>
        <source>Power now</source>
        <translation>Мощность сейчас</translation>
    </message>
    <message>
        <source>Energy today</source>
        <translation>Выработка сегодня</translation>
    </message>
    <message>
        <source>Energy since installation</source>
        <translation>С момента установки</translation>
    </message>
    <message>
        <source>CO₂ avoided today</source>
        <translation>Предотвращено CO₂ сегодня</translation>
    </message>
    <message>
        <source>CO₂ avoided since installation</source>
        <translation>Предотвращено CO₂ с момента установки</translation>
    </message>
    <message>
        <source>Today&apos;s power, kW (5-minute averages)</source>
        <translation>Мощность сегодня, кВт (средние за 5 минут)</translation>
    </message>
    <message>
        <source>Last 30 days, kWh per day</source>
        <translation>Последние 30 дней, кВт·ч в день</translation>
    </message>
    <message>
        <source>No readings yet today</source>
        <translation>Сегодня данных пока нет</translation>
    </message>
    <message>
        <source>Sunrise %1</source>
        <translation>Восход %1</translation>
    </message>
    <message>
        <source>Sunset %1</source>
        <translation>Закат %1</translation>
    </message>
    <message>
        <source>No days recorded yet</source>
        <translation>Дни ещё не записаны</translation>
    </message>
    <message>
        <source>kW</source>
        <translation>кВт</translation>
    </message>
    <message>
        <source>kWh</source>
        <translation>кВт·ч</translation>
    </message>
    <message>
        <source>MWh</source>
        <translation>МВт·ч</translation>
    </message>
    <message>
        <source>kg</source>
        <translation>кг</translation>
    </message>
    <message>
        <source>t</source>
        <translation>т</translation>
    </message>
    <message>
        <source>Live</source>
        <translation>Онлайн</translation>
    </message>
    <message>
        <source>Not updating</source>
        <translation>Не обновляется</translation>
    </message>
    <message>
        <source>Source offline</source>
        <translation>Источник недоступен</translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation>Подключение…</translation>
    </message>
    <message>
        <source>Power at %1</source>
        <translation>Мощность в %1</translation>
    </message>
    <message>
        <source>Connecting to the solar inverter…</source>
        <translation>Подключение к солнечному инвертору…</translation>
    </message>
    <message>
        <source>Simulated solar plant (demo)</source>
        <translation>Смоделированная солнечная станция (демо)</translation>
    </message>
    <message>
        <source>Solar inverter</source>
        <translation>Солнечный инвертор</translation>
    </message>
    <message>
        <source>source offline: no reading yet</source>
        <translation>источник недоступен: данных пока нет</translation>
    </message>
    <message>
        <source>updated at %1</source>
        <translation>обновлено в %1</translation>
    </message>
    <message>
        <source>source offline</source>
        <translation>источник недоступен</translation>
    </message>
    <message>
        <source>no new reading</source>
        <translation>нет новых данных</translation>
    </message>
    <message numerus="yes">
        <source>last updated %n minute(s) ago</source>
        <translation>
            <numerusform>последнее обновление %n минуту назад</numerusform>
            <numerusform>последнее обновление %n минуты назад</numerusform>
            <numerusform>последнее обновление %n минут назад</numerusform>
        </translation>
    </message>
    <message>
        <source>What the CO₂ saving equals</source>
        <translation>Чему равна экономия CO₂</translation>
    </message>
    <message>
        <source>Figures appear with the first reading</source>
        <translation>Цифры появятся после первого измерения</translation>
    </message>
    <message>
        <source>Today&apos;s CO₂ saving</source>
        <translation>Экономия CO₂ сегодня</translation>
    </message>
    <message>
        <source>CO₂ saved since installation</source>
        <translation>Экономия CO₂ с момента установки</translation>
    </message>
    <message numerus="yes">
        <source>= %Ln tree(s) absorbing CO₂ for a year</source>
        <translation>
            <numerusform>= %Ln дерево поглощает столько CO₂ за год</numerusform>
            <numerusform>= %Ln дерева поглощают столько CO₂ за год</numerusform>
            <numerusform>= %Ln деревьев поглощают столько CO₂ за год</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>= %Ln km driven by a petrol car</source>
        <translation>
            <numerusform>= %Ln км пробега бензинового автомобиля</numerusform>
            <numerusform>= %Ln км пробега бензинового автомобиля</numerusform>
            <numerusform>= %Ln км пробега бензинового автомобиля</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>= %Ln home(s) supplied with electricity for a day</source>
        <translation>
            <numerusform>= электроснабжение %Ln дома на сутки</numerusform>
            <numerusform>= электроснабжение %Ln домов на сутки</numerusform>
            <numerusform>= электроснабжение %Ln домов на сутки</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>All ASAN xidmət centres (%n centre(s))</source>
        <translation>
            <numerusform>Все центры ASAN xidmət (%n центр)</numerusform>
            <numerusform>Все центры ASAN xidmət (%n центра)</numerusform>
            <numerusform>Все центры ASAN xidmət (%n центров)</numerusform>
        </translation>
    </message>
    <message>
        <source>All ASAN xidmət centres</source>
        <translation>Все центры ASAN xidmət</translation>
    </message>
    <message>
        <source>Energy today (estimated)</source>
        <translation>Выработка сегодня (оценка)</translation>
    </message>
    <message>
        <source>CO₂ avoided today (estimated)</source>
        <translation>Предотвращено CO₂ сегодня (оценка)</translation>
    </message>
    <message>
        <source>Inverter fault</source>
        <translation>Неисправность инвертора</translation>
    </message>
    <message>
        <source>Solar inverters</source>
        <translation>Солнечные инверторы</translation>
    </message>
    <message>
        <source>partial: %1 of %2 inverters reporting</source>
        <translation>частично: данные от %1 из %2 инверторов</translation>
    </message>
    <message>
        <source>inverter reports a fault</source>
        <translation>инвертор сообщает о неисправности</translation>
    </message>
    <message>
        <source>Inverter asleep</source>
        <translation>Инвертор спит</translation>
    </message>
    <message>
        <source>producing again at sunrise, %1</source>
        <translation>снова заработает на рассвете, в %1</translation>
    </message>
    <message>
        <source>producing again at sunrise</source>
        <translation>снова заработает на рассвете</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Large text and high contrast</source>
        <translation>Крупный шрифт и высокий контраст</translation>
    </message>
</context>
<context>
    <name>PinPad</name>
    <message>
        <source>Enter the admin PIN</source>
        <translation>Введите PIN администратора</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>Стереть</translation>
    </message>
    <message>
        <source>OK</source>
        <translation>ОК</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Отмена</translation>
    </message>
</context>
<context>
    <name>ServicePage</name>
    <message>
        <source>Back</source>
        <translation>Назад</translation>
    </message>
    <message>
        <source>Scan with your phone&apos;s camera to continue online</source>
        <translation>Отсканируйте камерой телефона, чтобы продолжить онлайн</translation>
    </message>
</context>
<context>
    <name>ServicesSection</name>
    <message>
        <source>Green services</source>
        <translation>Зелёные услуги</translation>
    </message>
    <message>
        <source>Tap a card to learn more and continue on your phone</source>
        <translation>Коснитесь карточки, чтобы узнать больше и продолжить на телефоне</translation>
    </message>
    <message>
        <source>Green energy</source>
        <translation>Зелёная энергия</translation>
    </message>
    <message>
        <source>E-service</source>
        <translation>Э-услуга</translation>
    </message>
</context>
<context>
    <name>VideoSection</name>
    <message>
        <source>Campaign video</source>
        <translation>Видео кампании</translation>
    </message>
    <message>
        <source>ASAN xidmət centres are moving to clean solar energy</source>
        <translation>Центры ASAN xidmət переходят на чистую солнечную энергию</translation>
    </message>
    <message>
        <source>No video in this release</source>
        <translation>В этом выпуске нет видео</translation>
    </message>
    <message>
        <source>The video cannot be played on this kiosk right now.</source>
        <translation>Сейчас видео на этом киоске воспроизвести нельзя.</translation>
    </message>
    <message>
        <source>Tap the video to hear it</source>
        <translation>Коснитесь видео, чтобы включить звук</translation>
    </message>
</context>
</TS>
