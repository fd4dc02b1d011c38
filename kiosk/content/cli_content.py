"""kioskctl's content commands: keygen, validate, publish, pull (administrators) and sync (IT staff)."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kiosk.errors import ConfigError, ContentError
from kiosk.logsetup import configure_logging
from kiosk.options import add_common_options, log_level, settings_from_options

if TYPE_CHECKING:
    from kiosk.content.publish import SourceRelease
    from kiosk.content.remote import CentralClient, ProposedDraft


def add_content_commands(subparsers: Any) -> None:
    """Register ``keygen``, ``validate``, ``publish``, ``pull`` and ``sync`` on kioskctl's subcommands."""
    keygen = subparsers.add_parser("keygen", help="make the channel's signing key pair")
    keygen.add_argument("--out", required=True, metavar="DIR", help="writes DIR/content.key and content.pub")
    keygen.set_defaults(run=cmd_keygen)

    validate = subparsers.add_parser("validate", help="check a content source folder")
    validate.add_argument("source", metavar="SRC", help="folder with content.toml and its media")
    validate.set_defaults(run=cmd_validate)

    publish = subparsers.add_parser("publish", help="sign a content source and publish it to a channel")
    publish.add_argument("source", metavar="SRC", help="folder with content.toml and its media")
    publish.add_argument("--key", required=True, metavar="FILE", help="the channel's content.key")
    publish.add_argument(
        "--to",
        required=True,
        metavar="DEST",
        help="the channel folder a web server serves, or a central server's https://…/channels/NAME",
    )
    publish.add_argument(
        "--token-file", metavar="FILE", help="admin token for a server (or $GREEN_KIOSK_ADMIN_TOKEN)"
    )
    publish.add_argument("--release", type=int, metavar="N", help="release number (default: published + 1)")
    publish.add_argument(
        "--valid-days", type=int, default=90, metavar="DAYS", help="days until kiosks refuse it (90)"
    )
    publish.add_argument(
        "--note",
        default="",
        metavar="TEXT",
        help="what this release changes, shown on the console's channel page (central server only)",
    )
    publish.add_argument(
        "--replace",
        action="store_true",
        help="publish even though the channel has items or pending drafts this folder would replace",
    )
    publish.set_defaults(run=cmd_publish)

    pull = subparsers.add_parser(
        "pull", help="write a release, or the console's working copy, of a server's channel to a folder"
    )
    pull.add_argument("url", metavar="URL", help="the channel: https://server/channels/NAME")
    pull.add_argument("folder", metavar="DIR", help="the content source folder to write (new or empty)")
    which = pull.add_mutually_exclusive_group()
    which.add_argument("--release", type=int, metavar="N", help="which release (default: the active one)")
    which.add_argument(
        "--working-copy",
        action="store_true",
        help="the console's working copy instead of a release (not signed; edits not yet approved)",
    )
    pull.add_argument(
        "--key-pub", metavar="FILE", help="the channel's content.pub: refuse a release it did not sign"
    )
    pull.add_argument("--token-file", metavar="FILE", help="admin token (or $GREEN_KIOSK_ADMIN_TOKEN)")
    pull.add_argument("--force", action="store_true", help="write into a folder that is not empty")
    pull.set_defaults(run=cmd_pull)

    approve = subparsers.add_parser(
        "approve",
        help="sign the drafts (rollback, announcement, settings, content edit) a central server proposes",
    )
    approve.add_argument("url", metavar="URL", help="the channel: https://server/channels/NAME")
    approve.add_argument("--key", required=True, metavar="FILE", help="the channel's content.key")
    approve.add_argument(
        "--draft", type=int, metavar="ID", help="only this draft (default: every pending one)"
    )
    approve.add_argument("--token-file", metavar="FILE", help="admin token (or $GREEN_KIOSK_ADMIN_TOKEN)")
    approve.add_argument(
        "--yes", action="store_true", help="sign without asking (scripts); the difference is still printed"
    )
    approve.add_argument(
        "--preview",
        metavar="DIR",
        help="render each draft to PNG in DIR/draft-ID with the kiosk's own renderer before asking",
    )
    approve.add_argument(
        "--languages", default="az,en,ru", metavar="LIST", help="preview languages (az,en,ru)"
    )
    approve.add_argument(
        "--sizes", default="1920x1080,1080x1920", metavar="LIST", help="preview screen sizes"
    )
    approve.set_defaults(run=cmd_approve)

    rollback = subparsers.add_parser(
        "rollback", help="re-publish an earlier release's content under a new number"
    )
    rollback.add_argument("url", metavar="URL", help="the channel: https://server/channels/NAME")
    rollback.add_argument("--release", type=int, required=True, metavar="N", help="the release to go back to")
    rollback.add_argument("--key", required=True, metavar="FILE", help="the channel's content.key")
    rollback.add_argument("--token-file", metavar="FILE", help="admin token (or $GREEN_KIOSK_ADMIN_TOKEN)")
    rollback.add_argument(
        "--yes", action="store_true", help="sign without asking (scripts); the difference is still printed"
    )
    rollback.set_defaults(run=cmd_rollback)

    sync = subparsers.add_parser("sync", help="fetch the newest content release from the channel")
    sync.add_argument("--once", action="store_true", required=True, help="one sync cycle, then exit")
    sync.add_argument("--json", action="store_true", help="print one JSON object")
    sync.set_defaults(run=cmd_sync)
    add_common_options(sync, in_subcommand=True)


def cmd_keygen(args: argparse.Namespace) -> int:
    from kiosk.content.signing import generate_keys

    private, public = generate_keys(Path(args.out))
    print(f"Private key: {private} (keep it secret; it signs every release)")
    print(f"Public key:  {public} (copy to every kiosk; [content] public_key)")
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    from kiosk.content.publish import check_source

    _doc, problems = check_source(Path(args.source))
    if problems:
        for problem in problems:
            print(problem)
        raise ContentError(f"{args.source}: {len(problems)} problem(s), listed above")
    print(f"Content source OK: {args.source}")
    return 0


def cmd_publish(args: argparse.Namespace) -> int:
    from kiosk.content.publish import publish

    if args.to.startswith(("http://", "https://")):
        from kiosk.content.remote import CentralClient, publish_remote, read_token

        client = CentralClient(args.to, read_token(args.token_file))
        report = publish_remote(
            Path(args.source),
            Path(args.key),
            client,
            release=args.release,
            valid_days=args.valid_days,
            note=args.note,
            check=_overwrite_check(args, client),
        )
    else:
        report = publish(
            Path(args.source), Path(args.key), args.to, release=args.release, valid_days=args.valid_days
        )
    print(
        f"Published release {report.release} to {args.to}: {report.blobs_uploaded} of "
        f"{report.blobs_total} blobs uploaded ({report.bytes_uploaded} bytes), "
        f"manifest {report.manifest_bytes} bytes"
    )
    return 0


def _overwrite_check(args: argparse.Namespace, client: CentralClient) -> Callable[[SourceRelease], None]:
    """Before a folder publish uploads anything: list what it would replace on the channel, then go on
    only with --replace or a typed "yes"; with no terminal to ask in, refuse with the list."""
    from kiosk.content.overwrite import REPLACE_HINT, render_overwrite, what_publish_overwrites
    from kiosk.content.signing import load_private_key

    def check(content: SourceRelease) -> None:
        public_key = load_private_key(Path(args.key)).public_key()
        found = what_publish_overwrites(client, Path(args.source), content, public_key)
        if not found:
            return
        print(render_overwrite(found))
        if not args.replace:
            if not sys.stdin.isatty():
                raise ContentError(f"nothing published: the channel has what is listed above; {REPLACE_HINT}")
            if not _ask("Publish anyway and replace what is listed above? Type yes to publish: "):
                raise ContentError(f"nothing published; {REPLACE_HINT}")
        if found.drafts:
            print("Publishing; the pending drafts above are marked superseded (the console shows why)")

    return check


def cmd_pull(args: argparse.Namespace) -> int:
    from kiosk.content.pull import pull
    from kiosk.content.remote import CentralClient, read_token
    from kiosk.content.signing import load_public_key

    client = CentralClient(args.url, read_token(args.token_file))
    public_key = load_public_key(Path(args.key_pub)) if args.key_pub else None
    report = pull(
        client,
        Path(args.folder),
        release=args.release,
        public_key=public_key,
        force=args.force,
        working_copy=args.working_copy,
    )
    files = f"content.toml and {report.files} media files ({report.bytes} bytes)"
    files += ", each checked against its sha256"
    origin = report.working_copy
    if origin is not None:
        from kiosk.content.diff import shown
        from kiosk.content.pull import taken_from

        when = origin.updated.isoformat(timespec="seconds") if origin.updated else "(never edited)"
        by = f" by {shown(origin.updated_by)}" if origin.updated_by else ""
        print(
            f"Pulled the console's working copy into {report.folder}: {files}. Not signed: the console's "
            f"working copy as of {when}{by}, {taken_from(report.release)}; nobody has approved it yet"
        )
        if origin.draft is not None:
            print(f"Note: it is pending as draft {origin.draft}; publishing this folder supersedes it")
    else:
        checked = "signature checked" if report.verified else "signature NOT checked (add --key-pub FILE)"
        print(f"Pulled release {report.release} into {report.folder}: {files}; {checked}")
    for problem in report.problems:
        print(f"Note: kioskctl validate will say: {problem}")
    return 0


def cmd_approve(args: argparse.Namespace) -> int:
    from kiosk.content.remote import CentralClient, approve_drafts, read_token

    client = CentralClient(args.url, read_token(args.token_file))
    confirm = _confirmation(args, client)
    releases = approve_drafts(client, Path(args.key), only=args.draft, confirm=confirm)
    print(f"Published release {', '.join(map(str, releases))}" if releases else "No pending drafts")
    return 0


def cmd_rollback(args: argparse.Namespace) -> int:
    from kiosk.content.remote import CentralClient, approve_drafts, read_token

    client = CentralClient(args.url, read_token(args.token_file))
    confirm = _confirmation(args, client)
    draft = client.propose_rollback(args.release)
    [release] = approve_drafts(client, Path(args.key), only=draft, confirm=confirm)
    print(f"Published release {release}: the content of release {args.release}")
    return 0


def _confirmation(args: argparse.Namespace, client: CentralClient) -> Callable[[ProposedDraft], bool]:
    """What approve and rollback do after printing a draft's difference: render it (``--preview``),
    then sign only on a typed "yes" (or ``--yes``); with no terminal to ask in and no --yes, refuse."""
    if not args.yes and not sys.stdin.isatty():
        raise ContentError(
            "signing asks first, and there is no terminal to ask in: run it in a terminal, "
            "or add --yes to sign what it prints"
        )
    preview = None
    if getattr(args, "preview", None):
        from kiosk.content.preview import PreviewOptions

        preview = PreviewOptions.parse(Path(args.preview), args.languages, args.sizes)

    def confirm(draft: ProposedDraft) -> bool:
        if preview is not None:
            from kiosk.content.preview import render_draft

            files = render_draft(client, draft, preview)
            print(f"Preview of draft {draft.id}: {len(files)} PNG files in {preview.folder(draft.id)}")
        if args.yes:
            return True
        return _ask(f"Sign draft {draft.id} as release {draft.manifest.release}? Type yes to sign: ")

    return confirm


def _ask(question: str) -> bool:
    """Only the word "yes" signs; anything else, or the end of input, does not."""
    try:
        answer = input(question)
    except EOFError:
        print()
        return False
    return answer.strip().lower() == "yes"


def cmd_sync(args: argparse.Namespace) -> int:
    from kiosk.core import open_core

    settings, data_dir = settings_from_options(args)
    configure_logging(data_dir, log_level(args, settings))
    if not settings.content.url:
        raise ConfigError("[content] url: not set, so there is no channel to sync from")
    core = open_core(settings, data_dir)
    try:
        if core.sync is not None:
            result = core.sync.engine.sync_once()
        else:  # the kiosk runs on without a sync it cannot build; this command is the sync: say why
            from kiosk.content.sync import ContentSync

            result = ContentSync.from_settings(settings, core.store, data_dir).sync_once()
    finally:
        core.close()
    if args.json:
        print(
            json.dumps(
                {
                    "outcome": result.outcome,
                    "release": result.release,
                    "message": result.message,
                    "blobs_fetched": result.blobs_fetched,
                    "bytes_fetched": result.bytes_fetched,
                    "requests": result.requests,
                },
                ensure_ascii=False,
            )
        )
    else:
        print(result.message)
        print(
            f"{result.requests} requests, {result.blobs_fetched} blobs, {result.bytes_fetched} bytes fetched"
        )
    if not result.ok:
        raise ContentError(result.message)
    return 0
