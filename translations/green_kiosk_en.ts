<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>EnergySection</name>
    <message>
        <source>Energy</source>
        <translation>Energy</translation>
    </message>
    <message>
        <source>Solar power of this centre</source>
        <translation>Solar power of this centre</translation>
    </message>
    <message>
        <source>Generated on our own roof, live</source>
        <translation>Generated on our own roof, live</translation>
    </message>
    <message>
        <source>Power now</source>
        <translation>Power now</translation>
    </message>
    <message>
        <source>Energy today</source>
        <translation>Energy today</translation>
    </message>
    <message>
        <source>Energy since installation</source>
        <translation>Energy since installation</translation>
    </message>
    <message>
        <source>kW</source>
        <translation>kW</translation>
    </message>
    <message>
        <source>kWh</source>
        <translation>kWh</translation>
    </message>
    <message>
        <source>MWh</source>
        <translation>MWh</translation>
    </message>
    <message>
        <source>Connecting to the solar inverter…</source>
        <translation>Connecting to the solar inverter…</translation>
    </message>
    <message>
        <source>Simulated solar plant (demo)</source>
        <translation>Simulated solar plant (demo)</translation>
    </message>
    <message>
        <source>Solar inverter</source>
        <translation>Solar inverter</translation>
    </message>
    <message>
        <source>source offline: no reading yet</source>
        <translation>source offline: no reading yet</translation>
    </message>
    <message>
        <source>updated at %1</source>
        <translation>updated at %1</translation>
    </message>
    <message>
        <source>source offline</source>
        <translation>source offline</translation>
    </message>
    <message>
        <source>no new reading</source>
        <translation>no new reading</translation>
    </message>
    <message numerus="yes">
        <source>last updated %n minute(s) ago</source>
        <translation>
            <numerusform>last updated %n minute ago</numerusform>
            <numerusform>last updated %n minutes ago</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ServicesSection</name>
    <message>
        <source>Green services</source>
        <translation>Green services</translation>
    </message>
    <message>
        <source>Tap a card to learn more and continue on your phone</source>
        <translation>Tap a card to learn more and continue on your phone</translation>
    </message>
    <message>
        <source>Green energy</source>
        <translation>Green energy</translation>
    </message>
    <message>
        <source>E-service</source>
        <translation>E-service</translation>
    </message>
</context>
<context>
    <name>VideoSection</name>
    <message>
        <source>Campaign video</source>
        <translation>Campaign video</translation>
    </message>
    <message>
        <source>ASAN xidmət centres are moving to clean solar energy</source>
        <translation>ASAN xidmət centres are moving to clean solar energy</translation>
    </message>
    <message>
        <source>No video in this release</source>
        <translation>No video in this release</translation>
    </message>
</context>
</TS>
