import { execFile } from "node:child_process";

/** Options of {@link runCommand}. */
export interface RunCommandOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Kill the command after this long (default 30 s). */
  timeoutMs?: number;
}

/**
 * Runs a command to completion and returns its stdout. Rejects with an Error
 * naming the command, its exit status and the tail of its output when it
 * fails, times out or cannot be started.
 */
export function runCommand(command: string, args: readonly string[], options: RunCommandOptions = {}): Promise<string> {
  const { cwd, env, timeoutMs = 30_000 } = options;
  return new Promise((resolve, reject) => {
    execFile(
      command,
      args,
      { cwd, env, timeout: timeoutMs, killSignal: "SIGKILL", maxBuffer: 16 * 1024 * 1024, encoding: "utf8" },
      (err, stdout, stderr) => {
        if (err === null) return resolve(stdout);
        const status = err.killed ? `killed after ${timeoutMs} ms` : `exit ${String(err.code ?? err.signal)}`;
        const output = `${stdout}${stderr}`.trim().split("\n").slice(-20).join("\n");
        reject(new Error(`${command} ${args.join(" ")}: ${status}\n${output}`, { cause: err }));
      },
    );
  });
}
