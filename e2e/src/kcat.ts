import { run } from "./processes.js";
import type { Consumed, OutMessage } from "./messages.js";

/** Key delimiter of kcat -P input lines ("key<TAB>value"). */
const TAB = "\t";

export interface KcatJsonMessage {
  topic: string;
  partition: number;
  offset: number;
  ts: number;
  key: string | null;
  payload: string | null;
  headers?: string[];
}

/**
 * Produces keyed messages in one kcat -P run (one line each, in order). kcat exits non-zero if
 * any message is not acknowledged (-X acks=all).
 */
export async function kcatProduce(
  bootstrap: string,
  topic: string,
  messages: readonly OutMessage[],
  options: { codec?: string; headers?: Record<string, string>; extra?: string[] } = {},
): Promise<void> {
  const input = messages.map((m) => `${m.key ?? ""}${TAB}${m.value}\n`).join("");
  const args = ["-P", "-b", bootstrap, "-t", topic, "-K", TAB, "-X", "acks=all", "-X", "enable.idempotence=false"];
  if (options.codec !== undefined) args.push("-z", options.codec);
  for (const [k, v] of Object.entries(options.headers ?? {})) args.push("-H", `${k}=${v}`);
  args.push(...(options.extra ?? []));
  await run("kcat", args, { input, timeoutMs: 30_000 });
}

/** kcat -C -J from `offset` (beginning, s@<ms>, ...) of every partition until their ends (-e). */
export async function kcatConsume(bootstrap: string, topic: string, offset = "beginning", extra: string[] = []): Promise<Consumed[]> {
  const result = await run("kcat", ["-C", "-b", bootstrap, "-t", topic, "-o", offset, "-e", "-J", ...extra], { timeoutMs: 30_000 });
  return parseKcatJson(result.stdout);
}

export function parseKcatJson(stdout: string): Consumed[] {
  return stdout
    .split("\n")
    .filter((l) => l.startsWith("{"))
    .map((l) => {
      const m = JSON.parse(l) as KcatJsonMessage;
      const headers: Record<string, string> = {};
      const h = m.headers ?? [];
      for (let i = 0; i + 1 < h.length; i += 2) headers[h[i]!] = h[i + 1]!;
      return { partition: m.partition, offset: m.offset, key: m.key, value: m.payload ?? "", headers, timestamp: m.ts };
    });
}
