import { spawn, type ChildProcess } from "node:child_process";
import { rmSync } from "node:fs";

const children = new Map<ChildProcess, string | undefined>();
let exitHookInstalled = false;

/**
 * Makes sure `child` does not outlive this process: it is SIGKILLed on a
 * normal exit (`process.on("exit")`), and a detached watchdog shell kills it
 * if this process dies without running exit hooks (SIGKILL, a crashed vitest
 * worker). Either way `removeDir`, when given, is deleted afterwards. The
 * watchdog ends by itself once the child has exited.
 */
export function reapOnExit(child: ChildProcess, options: { removeDir?: string } = {}): void {
  if (child.pid === undefined) return;
  children.set(child, options.removeDir);
  child.once("exit", () => children.delete(child));
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.on("exit", () => {
      for (const c of children.keys()) c.kill("SIGKILL");
      for (const dir of children.values()) if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
    });
  }
  const cleanup = options.removeDir === undefined ? "" : `; rm -rf '${options.removeDir.replace(/'/g, "'\\''")}'`;
  const watch =
    `while kill -0 ${process.pid} 2>/dev/null && kill -0 ${child.pid} 2>/dev/null; do sleep 1; done; ` +
    `kill -0 ${process.pid} 2>/dev/null || { kill -9 ${child.pid} 2>/dev/null${cleanup}; }`;
  const watchdog = spawn("sh", ["-c", watch], { detached: true, stdio: "ignore" });
  watchdog.on("error", () => {});
  watchdog.unref();
}
