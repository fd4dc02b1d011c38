"""Telling systemd the kiosk is alive: sd_notify over ``$NOTIFY_SOCKET`` with a plain socket, no libsystemd.

The service (packaging/debian/green-kiosk.service) is ``Type=notify`` with ``WatchdogSec=``: the kiosk
says ``READY=1`` once its event loop runs and ``WATCHDOG=1`` from a timer on that loop, so a UI whose
event loop is blocked stops pinging and systemd restarts it, not only a process that died. Outside
systemd (from source, in tests) there is no ``$NOTIFY_SOCKET`` and all of this does nothing.
"""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Mapping
from dataclasses import dataclass

log = logging.getLogger(__name__)


def notify(state: str, socket_path: str) -> None:
    """Send one sd_notify datagram (e.g. ``READY=1``); OSError when the socket cannot take it."""
    address = "\0" + socket_path[1:] if socket_path.startswith("@") else socket_path  # abstract namespace
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM | socket.SOCK_CLOEXEC) as sock:
        sock.connect(address)
        sock.sendall(state.encode("utf-8"))


@dataclass
class Watchdog:
    """The notify socket and, when systemd asked for pings, how often to send them."""

    socket_path: str
    interval_s: float | None
    """Seconds between ``WATCHDOG=1`` pings (a third of ``WatchdogSec``); None: no watchdog asked for."""
    failing: bool = False

    @classmethod
    def from_environment(
        cls, env: Mapping[str, str] | None = None, *, pid: int | None = None, parent_pid: int | None = None
    ) -> Watchdog | None:
        """The watchdog systemd set up for this process, or None when not run by systemd as Type=notify.

        ``WATCHDOG_PID`` names the service's main process. Under the cage compositor that is cage, our
        parent, which never pings itself: the service then sets ``NotifyAccess=all`` and the kiosk pings.
        """
        env = os.environ if env is None else env
        socket_path = env.get("NOTIFY_SOCKET", "")
        if not socket_path:
            return None
        interval: float | None = None
        usec = env.get("WATCHDOG_USEC", "")
        watched = env.get("WATCHDOG_PID", "")
        pid = os.getpid() if pid is None else pid
        parent_pid = os.getppid() if parent_pid is None else parent_pid
        if usec.isdigit() and int(usec) > 0:
            if not watched or watched in (str(pid), str(parent_pid)):
                interval = int(usec) / 1e6 / 3
            else:
                log.info("The systemd watchdog is for process %s, not this one: not pinging it", watched)
        return cls(socket_path, interval)

    @property
    def interval_ms(self) -> int | None:
        return None if self.interval_s is None else max(1, round(self.interval_s * 1000))

    def ready(self) -> bool:
        """Start-up is done: the event loop runs (``Type=notify`` waits for this)."""
        log.info(
            "Telling systemd the kiosk is ready%s",
            "" if self.interval_s is None else f" (watchdog ping every {self.interval_s:.1f} s)",
        )
        return self._send("READY=1")

    def ping(self) -> bool:
        """The event loop is alive (call it from a timer on that loop, never from another thread)."""
        return self._send("WATCHDOG=1")

    def stopping(self) -> bool:
        return self._send("STOPPING=1")

    def _send(self, state: str) -> bool:
        """Send; a failure is logged when it starts and when it ends, not every ping."""
        try:
            notify(state, self.socket_path)
        except OSError as exc:
            if not self.failing:
                log.error("Cannot notify systemd at %s (%s): %s", self.socket_path, state, exc)
            self.failing = True
            return False
        if self.failing:
            log.info("Notifying systemd at %s works again", self.socket_path)
        self.failing = False
        return True
