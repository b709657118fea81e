#!/usr/bin/env bash
set -euo pipefail
cd "$(dirname "$0")"
if [ -z "${X402KIT_FACILITATOR_BIN:-}" ]; then
  npm install --no-audit --no-fund --prefix . @x402kit/facilitator
fi
