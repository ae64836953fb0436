#!/usr/bin/python3
"""Regenerates the real-client RecordBatch fixtures in this directory.

Run with Debian's Python (it sees the apt packages):
    apt-get install -y python3-kafka python3-confluent-kafka python3-snappy python3-lz4 python3-zstandard
    /usr/bin/python3 generate.py

Writes:
  expected-records.json                     what every producer was asked to write
  batch-kafka-python-2.0.2-<codec>.hex      kafka-python's DefaultRecordBatchBuilder, offline
  batch-librdkafka-2.0.2-<codec>.hex        librdkafka (via confluent-kafka) producing to a
                                            minimal fake broker below, which captures the
                                            `records` field of the Produce request
Each .hex file is the `records` field holding one batch, hex, 64 bytes per line.
"""
import json
import os
import socket
import socketserver
import struct
import threading

from kafka.record.default_records import DefaultRecordBatchBuilder

HERE = os.path.dirname(os.path.abspath(__file__))
CODECS = {"none": 0, "gzip": 1, "snappy": 2, "lz4": 3, "zstd": 4}
BASE_TS = 1_700_000_000_000


def expected_records():
    """A fixed set: headers (empty and null values, non-ASCII keys), null and empty
    keys/values, a negative timestamp delta, then enough compressible filler that every
    codec helps and xerial snappy needs several 32 KiB chunks."""
    records = [
        {"key": b"key-0", "value": b"value-0", "timestamp": BASE_TS,
         "headers": [("h1", b"v1"), ("empty", b""), ("null", None)]},
        {"key": None, "value": b"no key", "timestamp": BASE_TS + 5, "headers": []},
        {"key": b"tombstone", "value": None, "timestamp": BASE_TS - 7,
         "headers": [("unicod\u00e9-\u043a\u043b\u044e\u0447", bytes([0, 255, 1]))]},
        {"key": b"", "value": b"", "timestamp": BASE_TS + 1000, "headers": [("", b"x")]},
    ]
    for i in range(4, 200):
        value = ("record %d " % i + "lorem ipsum dolor sit amet " * 6).encode()
        records.append({"key": ("key-%d" % (i % 17)).encode(), "value": value,
                        "timestamp": BASE_TS + 2 * i, "headers": [("seq", str(i).encode())]})
    return records


def to_json(records):
    hx = lambda b: None if b is None else b.hex()
    return [{"offsetDelta": i, "timestamp": r["timestamp"], "key": hx(r["key"]), "value": hx(r["value"]),
             "headers": [{"key": k, "value": hx(v)} for k, v in r["headers"]]}
            for i, r in enumerate(records)]


def write_hex(name, data):
    data = bytes(data)
    lines = [data[i:i + 64].hex() for i in range(0, len(data), 64)]
    with open(os.path.join(HERE, name), "w") as f:
        f.write("\n".join(lines) + "\n")
    print("wrote", name, len(data), "bytes")


def kafka_python_batches(records):
    for codec, codec_id in CODECS.items():
        builder = DefaultRecordBatchBuilder(magic=2, compression_type=codec_id, is_transactional=False,
                                            producer_id=-1, producer_epoch=-1, base_sequence=-1,
                                            batch_size=10 * 1024 * 1024)
        for offset, r in enumerate(records):
            meta = builder.append(offset, timestamp=r["timestamp"], key=r["key"], value=r["value"],
                                  headers=r["headers"])
            assert meta is not None
        write_hex("batch-kafka-python-2.0.2-%s.hex" % codec, builder.build())


# --- a fake broker just good enough for librdkafka to produce one batch ---

# Produce, Fetch, Metadata, FindCoordinator, ApiVersions. Only ApiVersions, Metadata and Produce
# are answered; librdkafka enables lz4 only if FindCoordinator is listed, zstd only with
# Produce v7 and Fetch v10.
API_VERSIONS = [(0, 0, 7), (1, 0, 11), (3, 0, 4), (10, 0, 2), (18, 0, 3)]
TOPIC = b"fixtures"


def s16(s):
    return struct.pack(">h", len(s)) + s


def uvarint(n):
    out = b""
    while n >= 0x80:
        out += bytes([(n & 0x7F) | 0x80])
        n >>= 7
    return out + bytes([n])


class Reader:
    def __init__(self, data):
        self.data, self.pos = data, 0

    def take(self, fmt):
        (v,) = struct.unpack_from(fmt, self.data, self.pos)
        self.pos += struct.calcsize(fmt)
        return v

    def string(self):
        n = self.take(">h")
        if n < 0:
            return None
        s = self.data[self.pos:self.pos + n]
        self.pos += n
        return s

    def bytes32(self):
        n = self.take(">i")
        if n < 0:
            return None
        s = self.data[self.pos:self.pos + n]
        self.pos += n
        return s


class Broker(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), Handler)
        self.captured = []
        self.lock = threading.Lock()


class Handler(socketserver.BaseRequestHandler):
    def recv_exact(self, n):
        buf = b""
        while len(buf) < n:
            chunk = self.request.recv(n - len(buf))
            if not chunk:
                raise EOFError
            buf += chunk
        return buf

    def handle(self):
        try:
            while True:
                (size,) = struct.unpack(">i", self.recv_exact(4))
                req = Reader(self.recv_exact(size))
                api_key, version, corr = req.take(">h"), req.take(">h"), req.take(">i")
                body = self.respond(api_key, version, req)
                if body is not None:
                    payload = struct.pack(">i", corr) + body
                    self.request.sendall(struct.pack(">i", len(payload)) + payload)
        except (EOFError, ConnectionResetError):
            pass

    def respond(self, api_key, version, req):
        port = self.server.server_address[1]
        if api_key == 18:  # ApiVersions; the response header is always v0
            if version >= 3:
                body = struct.pack(">h", 0) + uvarint(len(API_VERSIONS) + 1)
                for k, lo, hi in API_VERSIONS:
                    body += struct.pack(">hhh", k, lo, hi) + b"\x00"
                return body + struct.pack(">i", 0) + b"\x00"
            body = struct.pack(">hi", 0, len(API_VERSIONS))
            for k, lo, hi in API_VERSIONS:
                body += struct.pack(">hhh", k, lo, hi)
            return body + (struct.pack(">i", 0) if version >= 1 else b"")
        if api_key == 3:  # Metadata v0..v4: one broker (this one), one topic, one partition
            body = struct.pack(">i", 0) if version >= 3 else b""
            body += struct.pack(">i", 1) + struct.pack(">i", 1) + s16(b"127.0.0.1") + struct.pack(">i", port)
            if version >= 1:
                body += struct.pack(">h", -1)  # rack
            if version >= 2:
                body += struct.pack(">h", -1)  # cluster id
            if version >= 1:
                body += struct.pack(">i", 1)  # controller
            body += struct.pack(">i", 1) + struct.pack(">h", 0) + s16(TOPIC)
            if version >= 1:
                body += b"\x00"  # is_internal
            body += struct.pack(">i", 1) + struct.pack(">hii", 0, 0, 1)
            body += struct.pack(">ii", 1, 1) + struct.pack(">ii", 1, 1)  # replicas, isr
            return body
        if api_key == 0:  # Produce v3..v7
            req.string()  # client id (request header v1)
            req.string()  # transactional id
            acks = req.take(">h")
            req.take(">i")
            responses = b""
            topics = req.take(">i")
            for _ in range(topics):
                name = req.string()
                parts = req.take(">i")
                presp = b""
                for _ in range(parts):
                    index = req.take(">i")
                    records = req.bytes32()
                    with self.server.lock:
                        self.server.captured.append(records)
                    presp += struct.pack(">ihq", index, 0, 0)
                    if version >= 2:
                        presp += struct.pack(">q", -1)
                    if version >= 5:
                        presp += struct.pack(">q", 0)
                responses += s16(name) + struct.pack(">i", parts) + presp
            if acks == 0:
                return None
            return struct.pack(">i", topics) + responses + (struct.pack(">i", 0) if version >= 1 else b"")
        raise EOFError  # anything else: hang up


def librdkafka_batches(records):
    from confluent_kafka import Producer, libversion

    assert libversion()[0] == "2.0.2", libversion()
    for codec in CODECS:
        broker = Broker()
        threading.Thread(target=broker.serve_forever, daemon=True).start()
        producer = Producer({
            "bootstrap.servers": "127.0.0.1:%d" % broker.server_address[1],
            "compression.type": codec,
            "linger.ms": 5000,
            "batch.size": 4000000,
            "message.max.bytes": 4000000,
            "batch.num.messages": 100000,
            "acks": 1,
        })
        # Wait for the leader first: producing before it is known sometimes splits the batch.
        producer.list_topics(timeout=10)
        for r in records:
            producer.produce("fixtures", key=r["key"], value=r["value"], headers=r["headers"],
                             timestamp=r["timestamp"], partition=0)
        assert producer.flush(30) == 0, "librdkafka did not deliver"
        broker.shutdown()
        assert len(broker.captured) == 1, "expected one produce request, got %d" % len(broker.captured)
        attributes = struct.unpack_from(">h", broker.captured[0], 21)[0]
        assert attributes & 7 == CODECS[codec], "librdkafka wrote codec %d, not %s" % (attributes & 7, codec)
        write_hex("batch-librdkafka-2.0.2-%s.hex" % codec, broker.captured[0])


def main():
    records = expected_records()
    with open(os.path.join(HERE, "expected-records.json"), "w") as f:
        # One record per line keeps the file readable and diffable.
        f.write('{"baseTimestamp": %d, "records": [\n' % BASE_TS)
        f.write(",\n".join(json.dumps(r, ensure_ascii=False) for r in to_json(records)))
        f.write("\n]}\n")
    kafka_python_batches(records)
    librdkafka_batches(records)


if __name__ == "__main__":
    main()
