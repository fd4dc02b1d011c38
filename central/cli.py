"""``python -m central``: run the server, and set it up (channels, tokens, kiosks, console users)."""

from __future__ import annotations

import argparse
import getpass
import logging
import os
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path

from central.db import open_database, sqlite_url
from central.errors import CentralError
from central.fleet import DEFAULT_RATED_POWER_W
from central.service import Central

DATABASE_ENV = "GREEN_CENTRAL_DATABASE_URL"
PASSWORD_ENV = "GREEN_CENTRAL_PASSWORD"
_SERVER_KEYS = {
    "data": str,
    "host": str,
    "port": int,
    "database_url": str,
    "max_blob_mb": int,
    "rated_power_kw": int,
}


@dataclass
class ServerSettings:
    data: Path
    host: str = "127.0.0.1"
    port: int = 8080
    database_url: str = ""
    max_blob_mb: int = 2048
    rated_power_kw: int = int(DEFAULT_RATED_POWER_W / 1000)
    """The largest plant of any centre: a kiosk reporting more power is not believed."""

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
            values[key] = value
        if not 0 < int(str(values.get("rated_power_kw", 1))) <= 1_000_000:
            raise SystemExit(f"{args.config}: [server] rated_power_kw: expected 1 to 1000000 (kW)")
        if "data" in values:
            values["data"] = (Path(args.config).parent / str(values["data"])).resolve()
    for key in _SERVER_KEYS:
        given = getattr(args, key, None)
        if given is not None:
            values[key] = given
    if "data" not in values:
        raise SystemExit('--data DIR is needed (or data = "DIR" in the config\'s [server] table)')
    values["data"] = Path(str(values["data"]))
    if not values.get("database_url") and os.environ.get(DATABASE_ENV):
        values["database_url"] = os.environ[DATABASE_ENV]
    return ServerSettings(**values)  # type: ignore[arg-type]


def open_central(settings: ServerSettings) -> Central:
    settings.data.mkdir(parents=True, exist_ok=True)
    return Central(
        settings.data,
        open_database(settings.url),
        max_blob_bytes=settings.max_blob_mb << 20,
        rated_power_w=settings.rated_power_kw * 1000.0,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m central", description=__doc__)
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
    channel = commands.add_parser("add-channel", help="create a channel that accepts manifests signed by KEY")
    channel.add_argument("name")
    channel.add_argument("--public-key", type=Path, required=True, help="content.pub from kioskctl keygen")
    token = commands.add_parser("add-admin-token", help="a token for kioskctl publish; printed once")
    token.add_argument("name")
    kiosk = commands.add_parser("add-kiosk", help="register a kiosk; its token is printed once")
    kiosk.add_argument("kiosk_id")
    kiosk.add_argument("--centre", required=True)
    kiosk.add_argument("--channel", default="")
    user = commands.add_parser("add-user", help=f"a console login (password asked, or ${PASSWORD_ENV})")
    user.add_argument("name")
    args = parser.parse_args(argv)

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    settings = load_settings(args)
    try:
        central = open_central(settings)
    except Exception as exc:  # one line for IT staff, not a traceback
        print(f"cannot open the database {settings.url.split('@')[-1]}: {exc}", file=sys.stderr)
        return 1
    try:
        if args.command == "serve":
            return serve_forever(central, settings)
        if args.command == "add-channel":
            central.add_channel(args.name, args.public_key.read_bytes())
            print(f'channel {args.name}: kiosks use [content] url = "<server>/channels/{args.name}"')
        elif args.command == "add-admin-token":
            print(central.add_admin_token(args.name))
        elif args.command == "add-kiosk":
            print(central.add_kiosk(args.kiosk_id, args.centre, args.channel))
        elif args.command == "add-user":
            password = os.environ.get(PASSWORD_ENV) or getpass.getpass("password: ")
            central.add_user(args.name, password)
            print(f"console user {args.name} saved")
        return 0
    except (CentralError, OSError) as exc:
        print(f"{args.command}: {exc}", file=sys.stderr)
        return 1
    finally:
        central.database.close()


def serve_forever(central: Central, settings: ServerSettings) -> int:
    import uvicorn

    from central.api import create_app

    app = create_app(central)
    uvicorn.run(
        app,
        host=settings.host,
        port=settings.port,
        log_level="info",
        proxy_headers=True,
        timeout_graceful_shutdown=5,
    )
    return 0
