"""Helpers shared by the e2e client scripts (run with Debian's /usr/bin/python3).

One-shot scripts read a JSON config from stdin and print one JSON result line; long-running
scripts (group members) take the config as argv[1], print one JSON event per line and read
one JSON command per line from stdin.
"""
import json
import sys
import threading


def read_config():
    """The JSON config: argv[1] when given, else stdin."""
    if len(sys.argv) > 1:
        return json.loads(sys.argv[1])
    return json.load(sys.stdin)


_emit_lock = threading.Lock()


def emit(obj):
    """One JSON line on stdout, flushed (the test reads it as it comes)."""
    with _emit_lock:
        sys.stdout.write(json.dumps(obj) + "\n")
        sys.stdout.flush()


def text(b):
    return None if b is None else b.decode("utf-8")


def headers_dict(headers):
    return {k: text(v) for k, v in (headers or [])}


def watch_stdin(on_command):
    """Calls on_command(dict) for every JSON line on stdin, and with {"cmd": "stop"} at EOF."""

    def run():
        for line in sys.stdin:
            line = line.strip()
            if line:
                on_command(json.loads(line))
        on_command({"cmd": "stop"})

    t = threading.Thread(target=run, daemon=True)
    t.start()
    return t
