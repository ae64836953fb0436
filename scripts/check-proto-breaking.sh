#!/usr/bin/env bash
# Lints the protos (buf lint, STANDARD rules) and checks them for breaking
# changes (buf breaking, FILE rules) against the last commit, HEAD.
#
# Exits non-zero on any lint error or breaking change. When HEAD does not exist
# yet (no commit) or has no proto/ and buf.yaml to compare with, the breaking
# check is skipped with a message and only the lint result counts.
#
# `ref=HEAD` works in any clone: it needs neither a branch named main nor a
# remote-tracking branch.
set -euo pipefail

cd "$(dirname "$0")/.."

buf=node_modules/.bin/buf
[[ -x $buf ]] || buf=buf

echo "buf lint"
"$buf" lint

if git rev-parse --verify --quiet HEAD >/dev/null \
  && git cat-file -e HEAD:proto 2>/dev/null \
  && git cat-file -e HEAD:buf.yaml 2>/dev/null; then
  echo "buf breaking --against .git#ref=HEAD ($(git rev-parse --short HEAD))"
  "$buf" breaking --against '.git#ref=HEAD'
else
  echo "buf breaking: nothing to compare against (no commit with proto/ and buf.yaml at HEAD); skipped"
fi
echo "protos OK"
