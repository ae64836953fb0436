"""A producer that reports every acknowledgement, for the durability tests (Debian's
/usr/bin/python3 with python3-confluent-kafka, i.e. librdkafka).

argv[1]: {bootstrap, topic, run, rate (messages/s), keys?, pad?, flush_s?, config?, log_all?}
(log_all: every line of librdkafka's "msg" debug log as a {"event": "log", "line"} event).
It produces unique values "{run}-{seq}" (plus `pad` dots), keyed "k{seq % keys}" so they spread
over the partitions, at a steady rate, with acks=all, librdkafka's default retries, no
idempotence and one request in flight per connection (a retry cannot overtake: per-partition
order holds). It keeps producing while the broker is down: librdkafka queues and reconnects.

Stdout, one JSON line each:
  {"event": "ack", "seq", "v", "p", "o"}          a delivery report without error
  {"event": "fail", "seq", "v", "error", "code"}   a delivery report with an error
  {"event": "client_error", "error", "code"}       librdkafka's error callback (broker down, ...)
  {"event": "request_error", "p", "error", "code"} a produce request that failed and will be
                                                   retried (or not): the broker's answer
                                                   (NOT_LEADER_FOR_PARTITION, ...) or a local
                                                   timeout, read from librdkafka's "msg" debug log
  {"event": "done", "sent", "acked", "failed", "purged"} after stopping
Stops on {"cmd": "stop"}, at stdin EOF, or on SIGTERM/SIGINT: produces nothing more, flushes
what is outstanding (flush_s), purges what is still undelivered (each purged message gets its
"fail" report), and exits 0.
"""
import json
import logging
import re
import signal
import sys
import threading
import time

from confluent_kafka import KafkaError, Producer

cfg = json.loads(sys.argv[1])
lock = threading.Lock()


def emit(obj):
    with lock:
        sys.stdout.write(json.dumps(obj, separators=(",", ":")) + "\n")
        sys.stdout.flush()


stop = threading.Event()


def watch_stdin():
    for line in sys.stdin:
        line = line.strip()
        if line and json.loads(line).get("cmd") == "stop":
            break
    stop.set()


threading.Thread(target=watch_stdin, daemon=True).start()
signal.signal(signal.SIGTERM, lambda *_: stop.set())
signal.signal(signal.SIGINT, lambda *_: stop.set())


def on_error(err):
    emit({"event": "client_error", "error": err.str(), "code": err.name()})


# librdkafka's error strings -> error names (the debug log names errors by their strings)
ERROR_NAMES = {}
for _name in dir(KafkaError):
    _code = getattr(KafkaError, _name)
    if type(_code) is int and (_name.isupper() or _name.startswith("_")):
        try:
            ERROR_NAMES[KafkaError(_code).str()] = _name
        except Exception:
            pass
# rdkafka_request.c: "<topic> [<p>]: MessageSet with N message(s) (MsgId .., BaseSeq ..) encountered error: <str> (actions ..)"
MSGSET_ERROR = re.compile(r"\[(\d+)\]: MessageSet with \d+ message\(s\).* encountered error: (.*) \(actions ")


class RequestErrors(logging.Handler):
    def emit(self, record):
        if cfg.get("log_all"):
            emit({"event": "log", "line": record.getMessage()})
        m = MSGSET_ERROR.search(record.getMessage())
        if m is not None:
            emit({"event": "request_error", "p": int(m.group(1)), "error": m.group(2), "code": ERROR_NAMES.get(m.group(2), m.group(2))})


librdkafka_log = logging.getLogger("librdkafka")
librdkafka_log.setLevel(logging.DEBUG)
librdkafka_log.propagate = False
librdkafka_log.addHandler(RequestErrors())

conf = {
    "bootstrap.servers": cfg["bootstrap"],
    "client.id": cfg.get("name", "acked-producer"),
    "acks": "all",
    "enable.idempotence": False,
    "max.in.flight.requests.per.connection": 1,
    "linger.ms": 5,
    "error_cb": on_error,
    "debug": "msg",
    "logger": librdkafka_log,
}
conf.update(cfg.get("config", {}))
producer = Producer(conf)
topic = cfg["topic"]
run = cfg["run"]
keys = cfg.get("keys", 16)
pad = "." * cfg.get("pad", 0)
rate = float(cfg["rate"])
counts = {"acked": 0, "failed": 0}


def report(seq):
    def on_delivery(err, msg):
        value = msg.value().decode()
        if err is not None:
            counts["failed"] += 1
            emit({"event": "fail", "seq": seq, "v": value, "error": err.str(), "code": err.name()})
        else:
            counts["acked"] += 1
            emit({"event": "ack", "seq": seq, "v": value, "p": msg.partition(), "o": msg.offset()})

    return on_delivery


sent = 0
started = time.monotonic()
while not stop.is_set():
    due = int((time.monotonic() - started) * rate) + 1
    while sent < due and not stop.is_set():
        try:
            producer.produce(topic, key=f"k{sent % keys}".encode(), value=f"{run}-{sent}{pad}".encode(), on_delivery=report(sent))
        except BufferError:
            break  # the local queue is full (a long outage): try again after serving callbacks
        sent += 1
    producer.poll(0.005)

left = producer.flush(cfg.get("flush_s", 60))
purged = 0
if left > 0:
    purged = left
    producer.purge()
    producer.flush(5)
emit({"event": "done", "sent": sent, "acked": counts["acked"], "failed": counts["failed"], "purged": purged})
