import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { Daemon } from "./process-daemon.js";

const POLL_MS = 200;

/** The state of one Ceph start: its directory, deadline and daemons started so far. */
export interface CephStartup {
  dir: string;
  deadline: number;
  timeoutMs: number;
  daemons: Daemon[];
}

/**
 * Polls `probe` until it returns true. Fails at once when a daemon has exited,
 * and at the deadline (see {@link startupError} for the logs).
 */
export async function waitFor(s: CephStartup, what: string, probe: () => Promise<boolean>): Promise<void> {
  let lastError: unknown;
  for (;;) {
    const dead = s.daemons.find((d) => !d.isRunning());
    if (dead !== undefined) throw new Error(`${dead.name} exited while waiting for ${what}`);
    try {
      if (await probe()) return;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > s.deadline) {
      const last = lastError instanceof Error ? ` (last error: ${lastError.message})` : "";
      throw new Error(`Ceph did not start within ${s.timeoutMs} ms: still waiting for ${what}${last}`);
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/** Why the start failed, followed by the last lines of each daemon's log file and output. */
export async function startupError(s: CephStartup, cause: unknown): Promise<Error> {
  const message = `starting Ceph RGW failed: ${cause instanceof Error ? cause.message : String(cause)}`;
  const sections: string[] = [];
  for (const log of ["mon.a.log", "osd.0.log", "client.rgw.kafscale.log"]) {
    const text = await readFile(join(s.dir, "log", log), "utf8").catch(() => "");
    if (text !== "") sections.push(`--- ${log} (tail) ---\n${tailLines(text, 15)}`);
  }
  for (const d of s.daemons) {
    if (d.output().trim() !== "") sections.push(`--- ${d.name} output (tail) ---\n${tailLines(d.output(), 15)}`);
  }
  return new Error([message, ...sections].join("\n"), { cause });
}

function tailLines(text: string, n: number): string {
  return text.trimEnd().split("\n").slice(-n).join("\n");
}
