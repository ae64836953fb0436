#!/usr/bin/env bash
# Builds the mock Kafka clusters used by capture.ts. Nothing built here is committed.
#
#   mock-cluster                    mock-cluster.c linked against the system librdkafka
#                                   (Debian 12: apt-get install librdkafka-dev → 2.0.2)
#   out/mock-cluster-2.12.0         mock-cluster.c linked statically against librdkafka 2.12.0,
#                                   whose mock speaks flexible versions (Metadata v12, Fetch v16,
#                                   Produce v10 ...). Its sources come from the npm tarball of
#                                   node-rdkafka@3.6.1 (deps/librdkafka), fetched with `npm pack`;
#                                   built once (~40 s on 2 cores) and cached in out/.
#
# Usage: build-mock.sh [--system-only]
set -euo pipefail
cd "$(dirname "$0")"

CFLAGS="-O2 -Wall -Wextra -std=c11 -D_POSIX_C_SOURCE=200809L"

if [[ ! -x mock-cluster || mock-cluster.c -nt mock-cluster ]]; then
  cc $CFLAGS -o mock-cluster mock-cluster.c -lrdkafka
  echo "built mock-cluster (system librdkafka $(pkg-config --modversion rdkafka 2>/dev/null || echo '?'))" >&2
fi

[[ "${1:-}" == "--system-only" ]] && exit 0

NODE_RDKAFKA_VERSION=3.6.1
LIBRDKAFKA_VERSION=2.12.0
mkdir -p out
SRC="out/node-rdkafka-${NODE_RDKAFKA_VERSION}/package/deps/librdkafka"
LIB="$SRC/src/librdkafka.a"
BIN="out/mock-cluster-${LIBRDKAFKA_VERSION}"

if [[ ! -f "$LIB" ]]; then
  rm -rf "out/node-rdkafka-${NODE_RDKAFKA_VERSION}"
  mkdir -p "out/node-rdkafka-${NODE_RDKAFKA_VERSION}"
  (cd out && npm pack --silent "node-rdkafka@${NODE_RDKAFKA_VERSION}" >/dev/null)
  tar xzf "out/node-rdkafka-${NODE_RDKAFKA_VERSION}.tgz" -C "out/node-rdkafka-${NODE_RDKAFKA_VERSION}"
  grep -q "RD_KAFKA_VERSION  *0x020c00ff" "$SRC/src/rdkafka.h" \
    || { echo "node-rdkafka@${NODE_RDKAFKA_VERSION} does not bundle librdkafka ${LIBRDKAFKA_VERSION}" >&2; exit 1; }
  echo "building librdkafka ${LIBRDKAFKA_VERSION} (static, no ssl/sasl/curl/compression libs) ..." >&2
  (cd "$SRC" \
    && ./configure --disable-ssl --disable-gssapi --disable-curl --disable-zstd --disable-zlib \
         --disable-lz4-ext --disable-syslog >../../../configure.log 2>&1 \
    && make -j"$(nproc)" -C src librdkafka.a >../../../make.log 2>&1) \
    || { echo "librdkafka build failed, see out/node-rdkafka-${NODE_RDKAFKA_VERSION}/*.log" >&2; exit 1; }
fi

if [[ ! -x "$BIN" || mock-cluster.c -nt "$BIN" || "$LIB" -nt "$BIN" ]]; then
  INC="out/librdkafka-${LIBRDKAFKA_VERSION}-include"
  mkdir -p "$INC/librdkafka"
  cp "$SRC/src/rdkafka.h" "$SRC/src/rdkafka_mock.h" "$INC/librdkafka/"
  cc $CFLAGS -Wno-ignored-qualifiers -I"$INC" -o "$BIN" mock-cluster.c "$LIB" -lpthread -lm -ldl -lrt
  echo "built $BIN" >&2
fi
