#!/usr/bin/env bash
# Set up (venv, pinned packages; no Qt) and run the central server: ./central.sh --data DIR serve
# Other commands: ./central.sh --data DIR add-channel|add-admin-token|add-kiosk|add-user|list-tokens|
# revoke-token|renew-kiosk-token|list-users|set-password|remove-user … (--help)
set -euo pipefail
cd "$(dirname "$0")"
scripts/bootstrap.sh central >&2
GREEN_CENTRAL_PROG=./central.sh exec .venv/bin/python -m central "$@"
