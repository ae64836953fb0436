/** The machine a broker benchmark ran on: CPU, RAM, OS, Node, disk, client versions. */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import os from "node:os";
import { clientVersions } from "./clients.js";

export function machine(tmp: string): Record<string, string> {
  let cpuinfo = "";
  try {
    cpuinfo = readFileSync("/proc/cpuinfo", "utf8");
  } catch {
    // not Linux
  }
  const model = /model name\s*:\s*(.+)/.exec(cpuinfo)?.[1] ?? os.cpus()[0]?.model ?? "?";
  const lsblk = spawnSync("lsblk", ["-d", "-n", "-o", "NAME,ROTA,SIZE,TYPE"], { encoding: "utf8" });
  const df = spawnSync("df", ["--output=source,fstype", tmp], { encoding: "utf8" });
  const v = clientVersions();
  return {
    nproc: String(os.availableParallelism()),
    cpu: model,
    ram: `${(os.totalmem() / 2 ** 30).toFixed(1)} GiB`,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: `${process.version} (V8 ${process.versions.v8})`,
    disk: `${(df.stdout ?? "").trim().split("\n").at(-1)?.replace(/\s+/g, " ") ?? "?"}; lsblk: ${(lsblk.stdout ?? "").trim().replace(/\n/g, "; ").replace(/\s+/g, " ")}`,
    kcat: `${v.kcat} (librdkafka ${v.librdkafkaKcat})`,
    confluentKafka: `${v.confluentKafka} (librdkafka ${v.librdkafkaPython})`,
  };
}

/** Versions of the S3 + etcd servers (Debian packages), for the s3-etcd backend's header. */
export function serverVersions(): Record<string, string> {
  const first = (cmd: string, args: string[]) => {
    const r = spawnSync(cmd, args, { encoding: "utf8" });
    return r.status === 0 ? `${r.stdout}${r.stderr}`.trim().split("\n")[0]! : "?";
  };
  return { etcd: first("etcd", ["--version"]), ceph: first("radosgw", ["--version"]) };
}
