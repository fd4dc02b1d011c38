"""Command-line options shared by main.py and kioskctl, and turning them into settings and a data dir."""

from __future__ import annotations

import argparse
from pathlib import Path

from kiosk.config import Settings, default_data_dir, load_settings, resolve_config_path


def add_common_options(parser: argparse.ArgumentParser, *, in_subcommand: bool = False) -> None:
    """--config, --data-dir and --log-level, the same for the kiosk and for kioskctl.

    kioskctl accepts them before or after the command name; in a subcommand their defaults are
    suppressed so they do not overwrite a value given before the command.
    """
    defaults: dict[str, object] = {"default": argparse.SUPPRESS} if in_subcommand else {}
    parser.add_argument(
        "--config",
        metavar="FILE",
        **defaults,  # type: ignore[arg-type]
        help="config file (default: $GREEN_KIOSK_CONFIG, else the platform config dir)",
    )
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        **defaults,  # type: ignore[arg-type]
        help="where the database, cached content and logs live (default: platform data dir)",
    )
    parser.add_argument(
        "--log-level",
        choices=("DEBUG", "INFO", "WARNING", "ERROR"),
        help="overrides [logging] level",
        **defaults,  # type: ignore[arg-type]
    )


def settings_from_options(args: argparse.Namespace) -> tuple[Settings, Path]:
    """Load the settings the options point at (ConfigError on any mistake) and pick the data dir."""
    path, explicit = resolve_config_path(args.config)
    settings = load_settings(path, required=explicit)
    data_dir = Path(args.data_dir) if args.data_dir else default_data_dir()
    return settings, data_dir


def log_level(args: argparse.Namespace, settings: Settings) -> str:
    return str(args.log_level or settings.logging.level)
