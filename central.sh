#!/usr/bin/env bash
# Set up (venv, pinned packages; no Qt) and run the central server: ./central.sh --data DIR serve [--preview]
# Other commands: ./central.sh --data DIR add-channel|add-admin-token|add-kiosk|add-user|list-tokens|
# revoke-token|renew-kiosk-token|list-users|set-password|remove-user … (--help)
set -euo pipefail
cd "$(dirname "$0")"
scripts/bootstrap.sh central >&2
# serve --preview: the console's previews run the kiosk's renderer with its own packages (Qt), kept in
# .venv-preview so the server's .venv stays Qt-free.
for arg in "$@"; do
  if [ "$arg" = --preview ]; then scripts/bootstrap.sh preview >&2; break; fi
done
GREEN_CENTRAL_PROG=./central.sh exec .venv/bin/python -m central "$@"
