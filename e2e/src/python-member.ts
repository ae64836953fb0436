import type { GroupMember } from "./group-scenario.js";
import type { Consumed } from "./messages.js";
import { LineProcess } from "./processes.js";

type MemberEvent =
  | { event: "assigned" | "revoked"; partitions: number[] }
  | ({ event: "consumed" } & Consumed)
  | { event: "commit_failed" | "error" | "closed" | "output"; [k: string]: unknown };

/** A group member run by one of the *_group_member.py scripts (one process per member). */
export function startPythonMember(script: string, name: string, config: Record<string, unknown>): GroupMember {
  const proc = LineProcess.python<MemberEvent>(name, script, { ...config, name });
  let consumed: Consumed[] = [];
  let seen = 0;
  const consumedNow = () => {
    if (seen < proc.events.length) {
      for (const e of proc.events.slice(seen)) {
        if (e.event === "consumed") consumed.push({ partition: e.partition, offset: e.offset, key: e.key, value: e.value });
      }
      seen = proc.events.length;
    }
    return consumed;
  };
  return {
    name,
    consumed: consumedNow,
    assigned: () => {
      for (let i = proc.events.length - 1; i >= 0; i--) {
        const e = proc.events[i]!;
        if (e.event === "assigned") return e.partitions;
        if (e.event === "revoked") return [];
      }
      return undefined;
    },
    stop: async () => {
      await proc.stop();
      consumedNow();
    },
    describe: () => {
      const shown = proc.describe().split("\n").filter((l) => !l.includes('"consumed"'));
      consumed = consumedNow();
      return `${shown.join("\n")}\n(${consumed.length} consumed events not shown)`;
    },
  };
}
