<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>AdminAccess</name>
    <message>
        <source>No admin PIN is set on this kiosk (kioskctl hash-pin).</source>
        <translation>No admin PIN is set on this kiosk (kioskctl hash-pin).</translation>
    </message>
    <message numerus="yes">
        <source>Too many wrong PINs. Try again in %n second(s).</source>
        <translation>
            <numerusform>Too many wrong PINs. Try again in %n second.</numerusform>
            <numerusform>Too many wrong PINs. Try again in %n seconds.</numerusform>
        </translation>
    </message>
    <message>
        <source>Wrong PIN.</source>
        <translation>Wrong PIN.</translation>
    </message>
</context>
<context>
    <name>AdminScreen</name>
    <message>
        <source>bundled demo content</source>
        <translation>bundled demo content</translation>
    </message>
    <message>
        <source>published</source>
        <translation>published</translation>
    </message>
    <message>
        <source>never (no content server configured or not yet reached)</source>
        <translation>never (no content server configured or not yet reached)</translation>
    </message>
    <message>
        <source>no central server configured</source>
        <translation>no central server configured</translation>
    </message>
    <message numerus="yes">
        <source>%n record(s) waiting</source>
        <translation>
            <numerusform>%n record waiting</numerusform>
            <numerusform>%n records waiting</numerusform>
        </translation>
    </message>
    <message>
        <source>nothing sent yet</source>
        <translation>nothing sent yet</translation>
    </message>
    <message>
        <source>No warnings or errors since start.</source>
        <translation>No warnings or errors since start.</translation>
    </message>
    <message>
        <source>Kiosk administration</source>
        <translation>Kiosk administration</translation>
    </message>
    <message>
        <source>App version</source>
        <translation>App version</translation>
    </message>
    <message>
        <source>Kiosk and centre</source>
        <translation>Kiosk and centre</translation>
    </message>
    <message>
        <source>Content release</source>
        <translation>Content release</translation>
    </message>
    <message>
        <source>Last sync</source>
        <translation>Last sync</translation>
    </message>
    <message>
        <source>Reports to the central server</source>
        <translation>Reports to the central server</translation>
    </message>
    <message>
        <source>Energy source</source>
        <translation>Energy source</translation>
    </message>
    <message>
        <source>Data disk</source>
        <translation>Data disk</translation>
    </message>
    <message>
        <source>Remote settings</source>
        <translation>Remote settings</translation>
    </message>
    <message>
        <source>Recent problems</source>
        <translation>Recent problems</translation>
    </message>
    <message>
        <source>Sync now</source>
        <translation>Sync now</translation>
    </message>
    <message>
        <source>Reload</source>
        <translation>Reload</translation>
    </message>
    <message>
        <source>Restart</source>
        <translation>Restart</translation>
    </message>
    <message>
        <source>Exit to desktop</source>
        <translation>Exit to desktop</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Close</translation>
    </message>
    <message>
        <source>Start-up</source>
        <translation>Start-up</translation>
    </message>
    <message>
        <source>SAFE MODE: the kiosk stopped several times in a row soon after starting. Content sync and reports to the central server are off. Restart to try the normal way again.</source>
        <translation>SAFE MODE: the kiosk stopped several times in a row soon after starting. Content sync and reports to the central server are off. Restart to try the normal way again.</translation>
    </message>
    <message>
        <source>normal; the configuration was read without problems</source>
        <translation>normal; the configuration was read without problems</translation>
    </message>
    <message>
        <source>%1 of %2 devices reporting</source>
        <translation>%1 of %2 devices reporting</translation>
    </message>
    <message>
        <source>not reporting: %1</source>
        <translation>not reporting: %1</translation>
    </message>
</context>
<context>
    <name>AnnouncementBand</name>
    <message>
        <source>Warning</source>
        <translation>Warning</translation>
    </message>
    <message>
        <source>Announcement</source>
        <translation>Announcement</translation>
    </message>
</context>
<context>
    <name>AnnouncementView</name>
    <message>
        <source>Warning</source>
        <translation>Warning</translation>
    </message>
    <message>
        <source>Emergency</source>
        <translation>Emergency</translation>
    </message>
    <message>
        <source>Announcement</source>
        <translation>Announcement</translation>
    </message>
</context>
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
        <source>CO₂ avoided today</source>
        <translation>CO₂ avoided today</translation>
    </message>
    <message>
        <source>CO₂ avoided since installation</source>
        <translation>CO₂ avoided since installation</translation>
    </message>
    <message>
        <source>Today&apos;s power, kW (5-minute averages)</source>
        <translation>Today&apos;s power, kW (5-minute averages)</translation>
    </message>
    <message>
        <source>Last 30 days, kWh per day</source>
        <translation>Last 30 days, kWh per day</translation>
    </message>
    <message>
        <source>No readings yet today</source>
        <translation>No readings yet today</translation>
    </message>
    <message>
        <source>Sunrise %1</source>
        <translation>Sunrise %1</translation>
    </message>
    <message>
        <source>Sunset %1</source>
        <translation>Sunset %1</translation>
    </message>
    <message>
        <source>No days recorded yet</source>
        <translation>No days recorded yet</translation>
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
        <source>kg</source>
        <translation>kg</translation>
    </message>
    <message>
        <source>t</source>
        <translation>t</translation>
    </message>
    <message>
        <source>Live</source>
        <translation>Live</translation>
    </message>
    <message>
        <source>Not updating</source>
        <translation>Not updating</translation>
    </message>
    <message>
        <source>Source offline</source>
        <translation>Source offline</translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation>Connecting…</translation>
    </message>
    <message>
        <source>Power at %1</source>
        <translation>Power at %1</translation>
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
    <message>
        <source>What the CO₂ saving equals</source>
        <translation>What the CO₂ saving equals</translation>
    </message>
    <message>
        <source>Figures appear with the first reading</source>
        <translation>Figures appear with the first reading</translation>
    </message>
    <message>
        <source>Today&apos;s CO₂ saving</source>
        <translation>Today&apos;s CO₂ saving</translation>
    </message>
    <message>
        <source>CO₂ saved since installation</source>
        <translation>CO₂ saved since installation</translation>
    </message>
    <message numerus="yes">
        <source>= %Ln tree(s) absorbing CO₂ for a year</source>
        <translation>
            <numerusform>= %Ln tree absorbing CO₂ for a year</numerusform>
            <numerusform>= %Ln trees absorbing CO₂ for a year</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>= %Ln km driven by a petrol car</source>
        <translation>
            <numerusform>= %Ln km driven by a petrol car</numerusform>
            <numerusform>= %Ln km driven by a petrol car</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>= %Ln home(s) supplied with electricity for a day</source>
        <translation>
            <numerusform>= %Ln home supplied with electricity for a day</numerusform>
            <numerusform>= %Ln homes supplied with electricity for a day</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>All ASAN xidmət centres (%n centre(s))</source>
        <translation>
            <numerusform>All ASAN xidmət centres (%n centre)</numerusform>
            <numerusform>All ASAN xidmət centres (%n centres)</numerusform>
        </translation>
    </message>
    <message>
        <source>All ASAN xidmət centres</source>
        <translation>All ASAN xidmət centres</translation>
    </message>
    <message>
        <source>Energy today (estimated)</source>
        <translation>Energy today (estimated)</translation>
    </message>
    <message>
        <source>CO₂ avoided today (estimated)</source>
        <translation>CO₂ avoided today (estimated)</translation>
    </message>
    <message>
        <source>Inverter fault</source>
        <translation>Inverter fault</translation>
    </message>
    <message>
        <source>Solar inverters</source>
        <translation>Solar inverters</translation>
    </message>
    <message>
        <source>partial: %1 of %2 inverters reporting</source>
        <translation>partial: %1 of %2 inverters reporting</translation>
    </message>
    <message>
        <source>inverter reports a fault</source>
        <translation>inverter reports a fault</translation>
    </message>
    <message>
        <source>Inverter asleep</source>
        <translation>Inverter asleep</translation>
    </message>
    <message>
        <source>producing again at sunrise, %1</source>
        <translation>producing again at sunrise, %1</translation>
    </message>
    <message>
        <source>producing again at sunrise</source>
        <translation>producing again at sunrise</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Large text and high contrast</source>
        <translation>Large text and high contrast</translation>
    </message>
</context>
<context>
    <name>PinPad</name>
    <message>
        <source>Enter the admin PIN</source>
        <translation>Enter the admin PIN</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>Clear</translation>
    </message>
    <message>
        <source>OK</source>
        <translation>OK</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Cancel</translation>
    </message>
</context>
<context>
    <name>ServicePage</name>
    <message>
        <source>Back</source>
        <translation>Back</translation>
    </message>
    <message>
        <source>Scan with your phone&apos;s camera to continue online</source>
        <translation>Scan with your phone&apos;s camera to continue online</translation>
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
    <message>
        <source>The video cannot be played on this kiosk right now.</source>
        <translation>The video cannot be played on this kiosk right now.</translation>
    </message>
    <message>
        <source>Tap the video to hear it</source>
        <translation>Tap the video to hear it</translation>
    </message>
</context>
</TS>
