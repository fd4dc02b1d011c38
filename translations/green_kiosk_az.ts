<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="az_AZ">
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
</context>
</TS>
