#!/usr/bin/python3
"""Reads RecordBatch v2 bytes with kafka-python 2.0.2's own reader, for interop tests.

stdin: one batch per line, hex. stdout: one JSON object per batch:
{"crcValid", "compression", "records": [{"offset", "timestamp", "key", "value", "headers"}]}
with keys/values hex (null = null) and headers as [key, hex | null] pairs.
"""
import json
import sys

from kafka.record.default_records import DefaultRecordBatch

hx = lambda b: None if b is None else bytes(b).hex()
for line in sys.stdin:
    line = line.strip()
    if not line:
        continue
    batch = DefaultRecordBatch(bytearray.fromhex(line))
    crc_valid = batch.validate_crc()  # kafka-python requires this before iterating
    records = [{"offset": r.offset, "timestamp": r.timestamp, "key": hx(r.key), "value": hx(r.value),
                "headers": [[k, hx(v)] for k, v in r.headers]} for r in batch]
    print(json.dumps({"crcValid": crc_valid, "compression": batch.compression_type,
                      "records": records}))
