#!/usr/bin/env bash
# Started by the harness with PORT, EVM_PRIVATE_KEY, EVM_NETWORK (and optionally EVM_RPC_URL).
set -euo pipefail
cd "$(dirname "$0")"
export X402KIT_DATA_DIR="${X402KIT_DATA_DIR:-$(mktemp -d)}"
bin="${X402KIT_FACILITATOR_BIN:-./node_modules/@x402kit/facilitator/dist/main.js}"
exec node "$bin"
