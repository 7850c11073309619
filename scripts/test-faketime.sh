#!/usr/bin/env bash
# Runs the unit tests and the CLI integration tests with the clock shifted a year and three years
# ahead (libfaketime; Debian package `faketime`), proving that no test depends on today's date:
# fixtures with absolute dates run on an injected clock (HERALD_TEST_NOW, test/fixtures/example-now.ts).
# `npm run test:faketime`, or `npm run test:faketime -- +30d` for other offsets. PostgreSQL and
# Redis are not shifted (they run outside this process tree), as in real life.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v faketime >/dev/null 2>&1; then
  echo "test:faketime: the faketime command is missing; install it with: apt-get install -y faketime" >&2
  exit 1
fi

offsets=("$@")
[ ${#offsets[@]} -eq 0 ] && offsets=(+365d +1095d)
for offset in "${offsets[@]}"; do
  echo "== unit and CLI tests at $(faketime -f "$offset" date -u +%Y-%m-%dT%H:%MZ) (faketime $offset)"
  faketime -f "$offset" npx vitest run test/unit test/integration/cli
done
