"""kioskctl: the admin and IT command line, on top of the same core as the kiosk.

Every command exits 0 on success and non-zero with a one-line reason otherwise.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from typing import Any

from kiosk.checks import FAIL, CheckResult
from kiosk.content.cli_content import add_content_commands
from kiosk.energy.cli_energy import add_energy_command
from kiosk.errors import KioskError
from kiosk.logsetup import configure_logging
from kiosk.ops import add_ops_commands
from kiosk.options import add_common_options, log_level, settings_from_options
from kiosk.session import add_session_command
from kiosk.status import app_version
from kiosk.update_window import add_update_command


def cmd_check_config(args: argparse.Namespace) -> int:
    from kiosk.doctor import token_file_check

    settings, data_dir = settings_from_options(args)
    where = settings.path if settings.path else "built-in defaults (no config file)"
    try:
        token = token_file_check(settings)
    except KioskError as exc:
        token = CheckResult("central", FAIL, str(exc))
    if token.result == FAIL:
        print(f"Config NOT OK: {where}: {token.detail}")
        return 1
    print(f"Config OK: {where}")
    print(f"Data dir: {data_dir}")
    return 0


def cmd_status(args: argparse.Namespace) -> int:
    from kiosk.content.blobs import BlobCache
    from kiosk.content.releases import read_states
    from kiosk.core import open_core
    from kiosk.status import disk_space
    from kiosk.store.db import DB_NAME, schema_revisions

    settings, data_dir = settings_from_options(args)
    configure_logging(None, log_level(args, settings))
    disk = disk_space(data_dir).describe()
    if not (data_dir / DB_NAME).exists():  # never create one as a side effect of looking
        return _print_status(
            {
                "kiosk_id": settings.kiosk.id,
                "centre": settings.kiosk.centre,
                "version": app_version(),
                "active_release": 0,  # what the kiosk would show: the bundled demo content
                "content_origin": "demo",
                "last_sync": None,
                "last_result": None,
                "cache_bytes": BlobCache(data_dir / "blobs").total_bytes(),
                "disk": disk,
                "database": f"no database yet ({data_dir / DB_NAME}: the kiosk creates it at start)",
            },
            args,
        )
    try:
        core = open_core(settings, data_dir)
    except KioskError as exc:  # a full disk is often why: say so on the same line
        raise KioskError(f"{exc}; {disk}") from exc
    try:
        content = core.content.active()
        sync_state = read_states(core.store, ("last_sync", "last_result"))
        status: dict[str, Any] = {
            "kiosk_id": settings.kiosk.id,
            "centre": settings.kiosk.centre,
            "version": app_version(),
            "active_release": content.release,
            "content_origin": content.origin,
            "last_sync": sync_state["last_sync"],
            "last_result": sync_state["last_result"],
            "cache_bytes": BlobCache(data_dir / "blobs").total_bytes(),
            "disk": disk,
            "remote_settings": core.remote.describe() if core.remote else "",
            "database": str(core.store.path),
            "schema_revision": ",".join(sorted(schema_revisions(core.store.engine))),
        }
        if core.reporter is not None:
            status["reports_waiting"] = core.reporter.outbox.count()
    finally:
        core.close()
    return _print_status(status, args)


def _print_status(status: dict[str, Any], args: argparse.Namespace) -> int:
    if args.json:
        print(json.dumps(status, ensure_ascii=False))
    else:
        for key, value in status.items():
            print(f"{key:>16}: {value}")
    return 0


def cmd_hash_pin(args: argparse.Namespace) -> int:
    """Print the ``[admin] pin_hash`` line for a PIN read from the terminal (or standard input)."""
    from kiosk.admin_pin import hash_pin

    if sys.stdin.isatty():
        import getpass

        pin = getpass.getpass("Admin PIN (4 to 12 digits): ")
        if getpass.getpass("Again: ") != pin:
            raise KioskError("the two PINs differ")
    else:
        pin = sys.stdin.readline().strip()
    try:
        hashed = hash_pin(pin)
    except ValueError as exc:
        raise KioskError(str(exc)) from exc
    print("[admin]")
    print(f'pin_hash = "{hashed}"')
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="kioskctl", description="Green Kiosk admin and IT commands")
    parser.add_argument("--version", action="version", version=f"kioskctl (Green Kiosk) {app_version()}")
    add_common_options(parser)
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("check-config", help="check the config file and exit")
    check.set_defaults(run=cmd_check_config)
    add_common_options(check, in_subcommand=True)
    status = commands.add_parser("status", help="active content release, last sync, cache and database state")
    status.add_argument("--json", action="store_true", help="one JSON object")
    status.set_defaults(run=cmd_status)
    add_common_options(status, in_subcommand=True)
    pin = commands.add_parser("hash-pin", help="print the [admin] pin_hash config line for a new admin PIN")
    pin.set_defaults(run=cmd_hash_pin)
    add_energy_command(commands)
    add_content_commands(commands)
    add_ops_commands(commands)
    add_session_command(commands)
    add_update_command(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    run: Callable[[argparse.Namespace], int] = args.run
    try:
        return run(args)
    except KioskError as exc:
        print(f"kioskctl: {exc}".replace("\n", "; "), file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
