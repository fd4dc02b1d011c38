#!/bin/sh
# The .deb on a minimal Debian, as IT staff get it: debootstrap a minbase root (cached), install the
# package with apt (so Depends and Recommends are resolved for real), then run doctor and start the
# session's compositor on its headless backend with the kiosk in it. Needs root, debootstrap and a
# Debian mirror; takes minutes (the first run downloads the root), so it is not part of ./test.sh.
#
#   sudo packaging/bare-root-test.sh dist/green-kiosk_0.1.0_amd64.deb [CACHE_DIR]
#   SUITE=trixie sudo packaging/bare-root-test.sh …        # Debian 13 (MIRROR=… for another mirror)
#   ROTATION=90 …                                            # [display] rotation for the session run
# Downloaded packages are kept in CACHE_DIR/apt-archives, so a second run downloads nothing.
set -eu

DEB=$(realpath "$1")
CACHE=${2:-/var/cache/green-kiosk-bare-root}
SUITE=${SUITE:-bookworm}
MIRROR=${MIRROR:-http://deb.debian.org/debian}
BASE="$CACHE/$SUITE-minbase"
ROOT="$CACHE/$SUITE-kiosk"
ARCHIVES="$CACHE/apt-archives-$SUITE"
ROTATION=${ROTATION:-0}
mkdir -p "$CACHE" "$ARCHIVES/partial"

step() { printf '%s  %s\n' "$(date +%H:%M:%S)" "$*"; }

if [ ! -e "$BASE/.complete" ]; then
    step "debootstrap --variant=minbase $SUITE (cached in $BASE)"
    rm -rf "$BASE"
    debootstrap --variant=minbase "$SUITE" "$BASE" "$MIRROR" >"$CACHE/debootstrap.log" 2>&1
    touch "$BASE/.complete"
fi
step "fresh copy of the minimal root"
rm -rf "$ROOT"
cp -a "$BASE" "$ROOT"
du -sh "$ROOT" | sed 's/^/    minimal root: /'
mount -t proc proc "$ROOT/proc"
mkdir -p "$ROOT/dev/shm"
mount -t tmpfs -o mode=1777 tmpfs "$ROOT/dev/shm"  # wlroots' shared-memory buffers (a real system has it)
mount --bind "$ARCHIVES" "$ROOT/var/cache/apt/archives"
trap 'umount "$ROOT/proc" "$ROOT/dev/shm" "$ROOT/var/cache/apt/archives" 2>/dev/null || true' EXIT
cp "$DEB" "$ROOT/tmp/green-kiosk.deb"

step "apt install ./green-kiosk.deb (Depends and Recommends)"
chroot "$ROOT" apt-get update -q >/dev/null
chroot "$ROOT" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q /tmp/green-kiosk.deb \
    >"$CACHE/install.log" 2>&1 || { tail -20 "$CACHE/install.log"; exit 1; }
grep -E '^[0-9]+ upgraded, [0-9]+ newly installed' "$CACHE/install.log" | sed 's/^/    /'
du -sh --exclude=proc --exclude=var/cache/apt/archives "$ROOT" | sed 's/^/    with the kiosk: /'

step "the session's pieces"
for path in /usr/bin/cage /usr/bin/Xwayland /usr/bin/wlr-randr /usr/bin/dbus-daemon \
    /usr/lib/x86_64-linux-gnu/security/pam_systemd.so /usr/lib/x86_64-linux-gnu/libva.so.2 \
    /opt/green-kiosk/green-kiosk; do
    if [ -e "$ROOT$path" ] || [ -e "$ROOT/lib${path#/usr/lib}" ]; then echo "    present: $path"; else echo "    MISSING: $path"; fi
done
ls "$ROOT"/usr/lib/x86_64-linux-gnu/dri/*_drv_video.so 2>/dev/null | sed 's#.*/#    VA-API driver: #' || true
chroot "$ROOT" stat -c '    %n %a %U:%G' /etc/green-kiosk/kiosk.toml

step "kioskctl doctor (in the root; no screen and no running systemd here)"
chroot "$ROOT" kioskctl doctor || true

step "cage on its headless backend with the kiosk in it, as the kiosk's user, 20 s (rotation $ROTATION)"
sed -i "s/^rotation = 0 /rotation = $ROTATION /" "$ROOT/etc/green-kiosk/kiosk.toml"
chroot "$ROOT" dpkg-query -W cage wlr-randr | sed 's/^/    /'
chroot "$ROOT" /opt/green-kiosk/kioskctl --config /etc/green-kiosk/kiosk.toml --data-dir /var/lib/green-kiosk session --print | sed 's/^/    /'
runtime=/run/green-kiosk-test
mkdir -p "$ROOT$runtime"
chroot "$ROOT" chown green-kiosk: "$runtime"
chmod 0700 "$ROOT$runtime"
set +e
chroot "$ROOT" runuser -u green-kiosk -- env XDG_RUNTIME_DIR="$runtime" WLR_BACKENDS=headless \
    WLR_LIBINPUT_NO_DEVICES=1 WLR_RENDERER=pixman QT_QPA_PLATFORM=wayland \
    GREEN_KIOSK_CONFIG=/etc/green-kiosk/kiosk.toml timeout 20 \
    /opt/green-kiosk/kioskctl --data-dir /var/lib/green-kiosk session >"$CACHE/session.log" 2>&1
status=$?
set -e
if [ "$status" = 124 ]; then
    echo "    still running after 20 s (killed by timeout): the session came up"
else
    echo "    session ended with status $status:"; tail -20 "$CACHE/session.log" | sed 's/^/    /'
fi
grep -hE "starting:|Screens set|Display problem" "$ROOT/var/lib/green-kiosk/logs/kiosk.log" | sed 's/^/    /' || echo "    no start-up line"
grep -hcE " (ERROR|CRITICAL) " "$ROOT/var/lib/green-kiosk/logs/kiosk.log" | sed 's/^/    errors logged: /' || true
step "done"
