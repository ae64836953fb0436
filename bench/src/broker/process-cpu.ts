/**
 * CPU time of the processes that share this machine's cores during an s3-etcd phase — the broker,
 * the gateway (radosgw, ceph-osd, ceph-mon), etcd, and this process (the counting proxy, the raw
 * PUT client) — and of the whole machine (/proc/stat), so the report can say where the cores
 * went. On a 2-core machine the broker, its client and the object store compete for the same CPU.
 */
import { readdirSync, readFileSync } from "node:fs";

/** Clock ticks per second of /proc (USER_HZ: 100 on every Linux this runs on). */
const CLK_TCK = 100;

/** utime + stime of a process (all its threads), seconds; NaN when it is gone. */
export function processCpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const rest = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(rest[11]) + Number(rest[12])) / CLK_TCK;
  } catch {
    return Number.NaN;
  }
}

/** The machine's busy and total CPU seconds (all cores) since boot, from /proc/stat. */
export function machineCpuSeconds(): { busy: number; total: number } {
  const line = readFileSync("/proc/stat", "utf8").split("\n")[0]!;
  const f = line.trim().split(/\s+/).slice(1).map(Number);
  const idle = (f[3] ?? 0) + (f[4] ?? 0); // idle + iowait
  const total = f.slice(0, 8).reduce((a, b) => a + b, 0); // user..steal (guest is inside user)
  return { busy: (total - idle) / CLK_TCK, total: total / CLK_TCK };
}

/** The pid of the process whose command line contains `needle` (e.g. etcd's data directory). */
export function findPid(needle: string): number | undefined {
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const cmdline = readFileSync(`/proc/${name}/cmdline`, "utf8");
      if (cmdline.includes(needle)) return Number(name);
    } catch {
      // gone
    }
  }
  return undefined;
}

/** CPU seconds of named processes plus this one and the machine, read together. */
export interface CpuSnapshot {
  /** Seconds per process label. */
  processes: Record<string, number>;
  /** This process (user + system), seconds. */
  self: number;
  machineBusy: number;
  machineTotal: number;
}

export function cpuSnapshot(pids: Record<string, number>): CpuSnapshot {
  const processes: Record<string, number> = {};
  for (const [label, pid] of Object.entries(pids)) processes[label] = processCpuSeconds(pid);
  const u = process.cpuUsage();
  const m = machineCpuSeconds();
  return { processes, self: (u.user + u.system) / 1e6, machineBusy: m.busy, machineTotal: m.total };
}

/** after − before. */
export function cpuDelta(before: CpuSnapshot, after: CpuSnapshot): CpuSnapshot {
  const processes: Record<string, number> = {};
  for (const k of Object.keys(after.processes)) processes[k] = after.processes[k]! - (before.processes[k] ?? Number.NaN);
  return { processes, self: after.self - before.self, machineBusy: after.machineBusy - before.machineBusy, machineTotal: after.machineTotal - before.machineTotal };
}
