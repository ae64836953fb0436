import { spawn } from "node:child_process";
import { reapOnExit } from "./process-reaper.js";

/** A long-running child process started by {@link startDaemon}. */
export interface Daemon {
  readonly name: string;
  readonly pid: number;
  /** Resolves when the process has exited (with its exit code, or null when killed by a signal). */
  readonly exited: Promise<number | null>;
  isRunning(): boolean;
  /** The last few KiB of its stdout and stderr. */
  output(): string;
  /** SIGKILLs the process (if running) and waits until it has exited. */
  kill(): Promise<void>;
}

const OUTPUT_TAIL_BYTES = 16 * 1024;

/**
 * Starts `command` in the background, keeping the tail of its output, and
 * registers it with {@link reapOnExit} so it cannot outlive the test run
 * (`removeDirOnExit` is deleted too if this process exits first).
 */
export function startDaemon(
  name: string,
  command: string,
  args: readonly string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; removeDirOnExit?: string } = {},
): Daemon {
  const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ["ignore", "pipe", "pipe"] });
  let tail = "";
  const keep = (chunk: Buffer): void => {
    tail = (tail + chunk.toString("utf8")).slice(-OUTPUT_TAIL_BYTES);
  };
  child.stdout.on("data", keep);
  child.stderr.on("data", keep);
  let running = true;
  const exited = new Promise<number | null>((resolve) => {
    child.once("error", (err) => {
      running = false;
      keep(Buffer.from(`${String(err)}\n`));
      resolve(null);
    });
    child.once("exit", (code) => {
      running = false;
      resolve(code);
    });
  });
  reapOnExit(child, options.removeDirOnExit === undefined ? {} : { removeDir: options.removeDirOnExit });
  return {
    name,
    pid: child.pid ?? -1,
    exited,
    isRunning: () => running,
    output: () => tail,
    async kill() {
      if (running) child.kill("SIGKILL");
      await exited;
    },
  };
}
