<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ru_RU">
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
</context>
</TS>
