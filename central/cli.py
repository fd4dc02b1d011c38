"""``python -m central``: run the server, and set it up (channels, tokens, kiosks, console users)."""

from __future__ import annotations

import argparse
import getpass
import ipaddress
import logging
import math
import os
import sys
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from central.db import open_database, sqlite_url
from central.errors import CentralError
from central.fleet import DEFAULT_RATED_POWER_W
from central.preview import PREVIEW_VENV, Previews, PreviewSettings
from central.security import write_secret
from central.service import Central

DATABASE_ENV = "GREEN_CENTRAL_DATABASE_URL"
PASSWORD_ENV = "GREEN_CENTRAL_PASSWORD"
PROG_ENV = "GREEN_CENTRAL_PROG"
_SERVER_KEYS = {
    "data": str,
    "host": str,
    "port": int,
    "database_url": str,
    "max_blob_mb": int,
    "trusted_proxies": list,
    "rated_power_kw": int,
    "workers": int,
}
MAX_WORKERS = 64
_PREVIEW_KEYS = {
    "python": (str, None),
    "timeout_seconds": (int, (10, 3600)),
    "cache_mb": (int, (10, 100_000)),
}


@dataclass
class ServerSettings:
    data: Path
    host: str = "127.0.0.1"
    port: int = 8080
    database_url: str = ""
    max_blob_mb: int = 2048
    trusted_proxies: tuple[str, ...] = ()  # whose X-Forwarded-For/-Proto is believed: the reverse proxy
    rated_power_kw: int = int(DEFAULT_RATED_POWER_W / 1000)
    """The largest plant of any centre: a kiosk reporting more power is not believed."""
    workers: int = 1
    """uvicorn worker processes; more than one needs PostgreSQL (push is shared by LISTEN/NOTIFY)."""
    preview: PreviewSettings = field(default_factory=PreviewSettings)
    """The ``[preview]`` table: which Python runs the kiosk renderer for the console's previews."""

    @property
    def url(self) -> str:
        return self.database_url or sqlite_url(self.data / "central.db")


def load_settings(args: argparse.Namespace) -> ServerSettings:
    """Command-line options win over the config file's ``[server]`` table, which wins over defaults."""
    values: dict[str, object] = {}
    if args.config:
        try:
            doc = tomllib.loads(Path(args.config).read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise SystemExit(f"{args.config}: {exc}") from exc
        table = doc.get("server", {})
        for key, value in table.items():
            expected = _SERVER_KEYS.get(key)
            if expected is None:
                raise SystemExit(
                    f"{args.config}: [server] {key}: unknown key (known: {', '.join(_SERVER_KEYS)})"
                )
            if not isinstance(value, expected) or isinstance(value, bool):
                raise SystemExit(f"{args.config}: [server] {key}: expected {expected.__name__}")
            if key == "trusted_proxies":
                value = _addresses(value, f"{args.config}: [server] trusted_proxies")
            values[key] = value
        values["preview"] = _preview_settings(doc.get("preview", {}), Path(args.config))
        if not 0 < int(str(values.get("rated_power_kw", 1))) <= 1_000_000:
            raise SystemExit(f"{args.config}: [server] rated_power_kw: expected 1 to 1000000 (kW)")
        if "data" in values:
            values["data"] = (Path(args.config).parent / str(values["data"])).resolve()
    for key in _SERVER_KEYS:
        given = getattr(args, key, None)
        if given is not None:
            values[key] = _addresses(given, "--trusted-proxy") if key == "trusted_proxies" else given
    if "data" not in values:
        raise SystemExit('--data DIR is needed (or data = "DIR" in the config\'s [server] table)')
    values["data"] = Path(str(values["data"]))
    if not values.get("database_url") and os.environ.get(DATABASE_ENV):
        values["database_url"] = os.environ[DATABASE_ENV]
    settings = ServerSettings(**values)  # type: ignore[arg-type]
    if not 1 <= settings.workers <= MAX_WORKERS:
        raise SystemExit(f"workers: expected 1 to {MAX_WORKERS}, not {settings.workers}")
    serving = getattr(args, "command", None) == "serve"
    if serving and settings.workers > 1 and not settings.url.startswith("postgresql"):
        raise SystemExit(
            f"--workers {settings.workers} needs PostgreSQL (--database-url postgresql+psycopg://… or "
            f"${DATABASE_ENV}): with SQLite only one process may serve, or push would miss releases "
            "published through the others"
        )
    return settings


def _preview_settings(table: object, config: Path) -> PreviewSettings:
    """The config's ``[preview]`` table; a relative ``python`` is read from the config file's folder."""
    if not isinstance(table, dict):
        raise SystemExit(f"{config}: [preview] must be a table")
    values: dict[str, object] = {}
    for key, value in table.items():
        if key not in _PREVIEW_KEYS:
            raise SystemExit(f"{config}: [preview] {key}: unknown key (known: {', '.join(_PREVIEW_KEYS)})")
        kind, bounds = _PREVIEW_KEYS[key]
        if not isinstance(value, kind) or isinstance(value, bool):
            raise SystemExit(f"{config}: [preview] {key}: expected {kind.__name__}")
        if bounds is not None and not bounds[0] <= int(str(value)) <= bounds[1]:
            raise SystemExit(f"{config}: [preview] {key}: expected {bounds[0]} to {bounds[1]}, not {value}")
        values[key] = value
    python = str(values.pop("python", ""))
    return PreviewSettings(
        python=(config.parent / python).absolute() if python else None,
        **values,  # type: ignore[arg-type]
    )


def _addresses(value: object, where: str) -> tuple[str, ...]:
    """IP addresses or networks ("127.0.0.1", "10.0.0.0/8"): a typo must not trust nobody silently."""
    found = []
    for item in value if isinstance(value, list) else [value]:
        try:
            ipaddress.ip_network(str(item), strict=False)
        except ValueError as exc:
            raise SystemExit(f"{where}: {str(item)[:60]!r} is not an IP address or network") from exc
        if not isinstance(item, str):
            raise SystemExit(f'{where}: write each address as text, e.g. "127.0.0.1"')
        found.append(item)
    return tuple(found)


def open_central(settings: ServerSettings) -> Central:
    settings.data.mkdir(parents=True, exist_ok=True)
    return Central(
        settings.data,
        open_database(settings.url),
        max_blob_bytes=settings.max_blob_mb << 20,
        rated_power_w=settings.rated_power_kw * 1000.0,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog=os.environ.get(PROG_ENV) or "python -m central",  # ./central.sh names itself
        description="Run the Green Kiosk central server, and set it up: channels, tokens, kiosks, "
        "console users. Set-up in order: add-channel, add-admin-token, serve, add-kiosk, add-user.",
    )
    parser.add_argument(
        "--config", help="a TOML file with a [server] table (see resources/central.example.toml)"
    )
    parser.add_argument("--data", type=Path, help="folder for the database, channels and screenshots")
    parser.add_argument("--database-url", dest="database_url", help=f"SQLAlchemy URL (or ${DATABASE_ENV})")
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="run the server (uvicorn)")
    serve.add_argument("--host")
    serve.add_argument("--port", type=int)
    serve.add_argument("--max-blob-mb", dest="max_blob_mb", type=int)
    serve.add_argument(
        "--trusted-proxy",
        dest="trusted_proxies",
        action="append",
        metavar="ADDRESS",
        help="believe X-Forwarded-For/-Proto from this proxy (repeatable; e.g. 127.0.0.1 for nginx here)",
    )
    serve.add_argument(
        "--workers", type=int, help="uvicorn worker processes (default 1; more need PostgreSQL)"
    )
    serve.add_argument(
        "--preview",
        action="store_true",
        help="draw the console's previews: central.sh first installs the kiosk's packages into "
        f"{PREVIEW_VENV}; the server does not start without a renderer",
    )
    channel = commands.add_parser("add-channel", help="create a channel that accepts manifests signed by KEY")
    channel.add_argument("name")
    channel.add_argument("--public-key", type=Path, required=True, help="content.pub from kioskctl keygen")
    out_help = "write the token to this new file (mode 0600) instead of printing it"
    token = commands.add_parser("add-admin-token", help="a token for kioskctl publish; shown once")
    token.add_argument("name")
    token.add_argument("--out", type=Path, help=out_help)
    kiosk = commands.add_parser("add-kiosk", help="register a kiosk; its token is shown once")
    kiosk.add_argument("kiosk_id")
    kiosk.add_argument("--centre", required=True)
    kiosk.add_argument("--channel", default="")
    kiosk.add_argument("--out", type=Path, help=out_help)
    centre = commands.add_parser(
        "set-centre", help="a centre's rated power: its kiosks may not report more (else: the server's cap)"
    )
    centre.add_argument("centre")
    # not "rated_power_kw": that name is the server-wide cap from the config, which this must not replace
    centre.add_argument("--rated-power-kw", dest="centre_kw", required=True, type=_kw, metavar="KW")
    commands.add_parser("list-centres", help="every centre: rated power and kiosks")
    renew = commands.add_parser(
        "renew-kiosk-token", help="a new token for a kiosk; the old one stops working"
    )
    renew.add_argument("kiosk_id")
    renew.add_argument("--out", type=Path, help=out_help)
    commands.add_parser("list-tokens", help="every admin and kiosk token: created, last used, revoked")
    revoke = commands.add_parser("revoke-token", help="refuse a token from now on (see list-tokens)")
    revoke.add_argument("kind", choices=("admin", "kiosk"))
    revoke.add_argument("name", help="the admin token's name or the kiosk's id")
    user = commands.add_parser("add-user", help=f"a console login (password asked, or ${PASSWORD_ENV})")
    user.add_argument("name")
    password = commands.add_parser(
        "set-password", help=f"change a console password and end its sessions (or ${PASSWORD_ENV})"
    )
    password.add_argument("name")
    commands.add_parser("list-users", help="console users and their open sessions")
    remove = commands.add_parser("remove-user", help="delete a console user; its sessions end at once")
    remove.add_argument("name")
    args = parser.parse_args(argv)

    # The server logs what it does; a set-up command says only its result (and warnings).
    level = logging.INFO if args.command == "serve" else logging.WARNING
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    settings = load_settings(args)
    try:
        central = open_central(settings)
    except Exception as exc:  # one line for IT staff, not a traceback
        print(f"cannot open the database {settings.url.split('@')[-1]}: {exc}", file=sys.stderr)
        return 1
    try:
        if args.command == "serve":
            return serve_forever(central, settings, need_preview=args.preview)
        return run_command(central, args)
    except (CentralError, OSError) as exc:
        print(f"{args.command}: {exc}", file=sys.stderr)
        return 1
    finally:
        central.database.close()


def run_command(central: Central, args: argparse.Namespace) -> int:
    """One set-up command; its result on stdout, refusals raised for ``main`` to print."""
    accounts = central.accounts
    if args.command == "add-channel":
        central.add_channel(args.name, args.public_key.read_bytes())
        print(f'channel {args.name}: kiosks use [content] url = "<server>/channels/{args.name}"')
    elif args.command == "add-admin-token":
        _give_token(args.out, lambda: accounts.add_admin_token(args.name))
    elif args.command == "add-kiosk":
        _give_token(args.out, lambda: central.add_kiosk(args.kiosk_id, args.centre, args.channel))
    elif args.command == "set-centre":
        central.fleet.set_centre(args.centre, args.centre_kw)
        print(f"centre {args.centre}: rated {args.centre_kw:.10g} kW; readings above it are not believed")
    elif args.command == "list-centres":
        cap_kw = central.fleet.rated_power_w / 1000.0
        for place in central.fleet.centres():
            rated = place["rated_power_kw"]
            power = f"rated {rated:.10g} kW" if rated is not None else f"unset (server cap {cap_kw:.10g} kW)"
            print(f"{place['name']:<32} {power:<36} kiosks {place['kiosks']}")
    elif args.command == "renew-kiosk-token":
        _give_token(args.out, lambda: accounts.renew_kiosk_token(args.kiosk_id))
    elif args.command == "list-tokens":
        for item in accounts.tokens():
            state = f"revoked {_when(item.revoked)}" if item.revoked else "active"
            print(
                f"{item.kind:<6} {item.name:<32} created {_when(item.created)}  "
                f"last used {_when(item.last_used)}  {state}"
            )
    elif args.command == "revoke-token":
        accounts.revoke_token(args.kind, args.name)
        print(f"{args.kind} token {args.name} revoked: it is refused from now on")
    elif args.command == "add-user":
        accounts.add_user(args.name, _password())
        print(f"console user {args.name} saved")
    elif args.command == "set-password":
        ended = accounts.set_password(args.name, _password())
        print(f"console user {args.name}: password changed, {ended} sessions ended")
    elif args.command == "list-users":
        for found in accounts.users():
            print(f"{found.name:<32} created {_when(found.created)}  open sessions {found.sessions}")
    elif args.command == "remove-user":
        accounts.remove_user(args.name)
        print(f"console user {args.name} removed; its sessions have ended")
    return 0


def _kw(text: str) -> float:
    """A power in kW as typed; argparse turns the refusal into one line (never nan, inf or a word)."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text[:40]!r} is not a number of kW") from None
    if not math.isfinite(value) or value <= 0:
        raise argparse.ArgumentTypeError(f"{text[:40]!r}: expected a finite number of kW above 0")
    return value


def _give_token(out: Path | None, make: Callable[[], str]) -> None:
    """Print the new token, or write it to a new file only its owner can read (made before the token)."""
    if out is None:
        print(make())
        return
    write_secret(out, make)
    print(f"token written to {out} (mode 0600)")


def _password() -> str:
    return os.environ.get(PASSWORD_ENV) or getpass.getpass("password: ")


def _when(moment: datetime | None) -> str:
    return moment.strftime("%Y-%m-%d %H:%M UTC") if moment is not None else "never"


def serve_forever(central: Central, settings: ServerSettings, *, need_preview: bool = False) -> int:
    import uvicorn

    from central.api import create_app

    previews = Previews(settings.data / "previews", settings.preview)
    if need_preview:
        python, reason = previews.renderer()
        if python is None:
            print(f"serve --preview: no renderer for previews: {reason}", file=sys.stderr)
            return 1

    if settings.workers > 1:
        from central.workers import SETTINGS_ENV, settings_for_workers

        os.environ[SETTINGS_ENV] = settings_for_workers(
            settings.data,
            settings.url,
            central.max_blob_bytes,
            central.fleet.rated_power_w,
            settings.trusted_proxies,
            settings.preview,
        )
        central.database.close()  # each worker opens its own connections
        uvicorn.run(
            "central.workers:app",
            factory=True,
            workers=settings.workers,
            host=settings.host,
            port=settings.port,
            log_level="info",
            proxy_headers=False,  # the application believes forwarded headers from trusted_proxies only
            timeout_graceful_shutdown=5,
        )
        return 0
    app = create_app(central, trusted_proxies=settings.trusted_proxies, previews=previews)
    uvicorn.run(
        app,
        host=settings.host,
        port=settings.port,
        log_level="info",
        proxy_headers=False,  # the application believes forwarded headers from trusted_proxies only
        timeout_graceful_shutdown=5,
    )
    return 0
