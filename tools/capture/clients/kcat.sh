#!/usr/bin/env bash
# Capture scenario for kcat (librdkafka). Run by capture.ts with BOOTSTRAP (the capture proxy),
# TOPIC, TXN_TOPIC, MULTI_TOPIC and GROUP in the environment. Each step prints
# "STEP <name> ok" or "STEP <name> failed: <why>"; a failing step does not stop the scenario.
# Client settings are librdkafka's defaults except where a step says otherwise.
set -u
B="$BOOTSTRAP"

step() {
  local name="$1"; shift
  local out
  if out=$(timeout 30 "$@" 2>&1); then
    echo "STEP $name ok"
  else
    local rc=$?
    echo "STEP $name failed: exit $rc: $(echo "$out" | grep -v '^%7' | tail -n 2 | tr '\n' ' ' | cut -c1-200)"
  fi
  echo "$out" | sed "s/^/  [$name] /"
}

produce() { # produce <codec> [extra kcat args...]
  local codec="$1"; shift
  printf 'key-%s-1:value one (%s)\nkey-%s-2:value two (%s)\n:value without key\n' "$codec" "$codec" "$codec" "$codec" \
    | kcat -b "$B" -P -t "$TOPIC" -K: -H source=kcat -H "codec=$codec" -z "$codec" "$@"
}
export -f produce
export B TOPIC

step metadata kcat -b "$B" -L
step metadata-topic kcat -b "$B" -L -t "$TOPIC"
for codec in none gzip snappy lz4 zstd; do
  step "produce-$codec" bash -c "produce $codec"
done
step produce-idempotent bash -c 'produce none -X enable.idempotence=true'
step produce-transactional bash -c 'produce none -X transactional.id=kcat-txn'
step produce-partitions bash -c "printf 'a:1\nb:2\nc:3\nd:4\n' | kcat -b '$B' -P -t '$MULTI_TOPIC' -K: -p -1"
step consume kcat -b "$B" -C -t "$TOPIC" -o beginning -e -f '%k=%s headers=%h\n'
step consume-tail kcat -b "$B" -C -t "$TOPIC" -o -2 -e
step consume-partitions kcat -b "$B" -C -t "$MULTI_TOPIC" -o beginning -e
step query-offset-end kcat -b "$B" -Q -t "$TOPIC:0:-1"
step query-offset-time kcat -b "$B" -Q -t "$TOPIC:0:$(( $(date +%s) * 1000 - 600000 ))"
# Balanced consumer: FindCoordinator, JoinGroup, SyncGroup, Heartbeat, Fetch, OffsetCommit
# (auto commit on close), LeaveGroup. session.timeout.ms is lowered from 45 s because the mock
# keeps a member that left until its session times out, which would stall the next join.
step group-consume kcat -b "$B" -G "$GROUP" -X session.timeout.ms=6000 -o beginning -e -f '%k=%s\n' "$TOPIC" "$MULTI_TOPIC"
# Same group again, without -o: starts from the committed offsets (OffsetFetch).
step group-consume-again kcat -b "$B" -G "$GROUP" -X session.timeout.ms=6000 -e -f '%k=%s\n' "$TOPIC" "$MULTI_TOPIC"
exit 0
