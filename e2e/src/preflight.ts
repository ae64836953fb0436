import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { PYTHON } from "./processes.js";

/** The Debian packages that provide every external client the suite drives. */
export const APT_INSTALL =
  "apt-get install -y kcat python3-kafka python3-confluent-kafka python3-snappy python3-lz4 python3-zstandard";

/** kcat on PATH (Debian's kcat 1.7 on librdkafka 2.0). Throws with the install command. */
export function requireKcat(): string {
  const r = spawnSync("kcat", ["-V"], { encoding: "utf8" });
  if (r.error !== undefined || r.status !== 0) {
    throw new Error(`kcat is not installed (${r.error?.message ?? `exit ${r.status}`}); install the e2e clients with:\n  ${APT_INSTALL}`);
  }
  const m = r.stdout.match(/Version ([\d.]+).*librdkafka ([\d.]+)/);
  return m === null ? r.stdout.trim() : `kcat ${m[1]} on librdkafka ${m[2]}`;
}

/**
 * Debian's /usr/bin/python3 with the given modules importable (apt's python3-* packages are not
 * visible to a pyenv python). Returns "module version" lines. Throws with the install command.
 */
export function requirePythonModules(modules: readonly string[]): string[] {
  if (!existsSync(PYTHON)) throw new Error(`${PYTHON} is missing; install the e2e clients with:\n  apt-get install -y python3 && ${APT_INSTALL}`);
  const code = [
    "import importlib, sys",
    `for name in ${JSON.stringify(modules)}:`,
    "    try:",
    "        m = importlib.import_module(name)",
    "        v = getattr(m, '__version__', None) or (m.version()[0] if hasattr(m, 'version') else '?')",
    "        print(name, v)",
    "    except Exception as e:",
    "        print('MISSING', name, type(e).__name__, e)",
  ].join("\n");
  const r = spawnSync(PYTHON, ["-c", code], { encoding: "utf8" });
  if (r.error !== undefined || r.status !== 0) throw new Error(`${PYTHON} failed: ${r.error?.message ?? r.stderr}`);
  const lines = r.stdout.trim().split("\n");
  const missing = lines.filter((l) => l.startsWith("MISSING"));
  if (missing.length > 0) {
    throw new Error(`${PYTHON} cannot import: ${missing.map((l) => l.slice(8)).join("; ")}\ninstall the e2e clients with:\n  ${APT_INSTALL}`);
  }
  return lines;
}

/** kafka-python and its codecs (snappy, lz4, zstd). */
export const KAFKA_PYTHON_MODULES = ["kafka", "snappy", "lz4", "zstandard"] as const;
export const CONFLUENT_KAFKA_MODULES = ["confluent_kafka"] as const;
