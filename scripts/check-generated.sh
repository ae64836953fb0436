#!/usr/bin/env bash
# Regenerates every generated file (the Kafka codec from the message specs, the protobuf code
# with buf) and fails when that changes anything: generated code is committed, never edited.
set -euo pipefail
cd "$(dirname "$0")/.."
spec_dir="${KAFKA_SPEC_DIR:-$(cd .. && pwd)/shared/kafka-message-spec}"
if [ ! -d "$spec_dir" ]; then
  echo "check-generated: Kafka message specs not found at $spec_dir (put shared/ beside the repo or set KAFKA_SPEC_DIR)" >&2
  exit 1
fi
if ! out=$(KAFKA_SPEC_DIR="$spec_dir" pnpm run generate 2>&1); then echo "$out" >&2; exit 1; fi
paths=(packages/protocol/src/gen packages/metadata/src/gen packages/control/src/gen docs/protocol.md)
if ! git diff --quiet -- "${paths[@]}" || [ -n "$(git ls-files --others --exclude-standard -- "${paths[@]}")" ]; then
  echo "check-generated: regenerating changed committed files:" >&2
  git status --short -- "${paths[@]}" >&2
  git diff --stat -- "${paths[@]}" >&2
  exit 1
fi
echo "check-generated: regenerating changes nothing"
