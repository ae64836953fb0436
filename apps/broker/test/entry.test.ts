import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";

const MAIN = new URL("../dist/main.cjs", import.meta.url).pathname;
const dirs: string[] = [];

afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function withoutThreadPoolSize(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const { UV_THREADPOOL_SIZE: _, ...rest } = env;
  return rest;
}

/** Starts the built broker on the embedded default; resolves with its thread count once it serves, then stops it. */
async function threadsOfRunningBroker(env: Record<string, string>): Promise<{ threads: number; exitCode: number | null }> {
  const dataDir = mkdtempSync(join(tmpdir(), "kafscale-entry-"));
  dirs.push(dataDir);
  const child = spawn(process.execPath, [MAIN], {
    env: { ...withoutThreadPoolSize(process.env), KAFSCALE_PORT: "0", KAFSCALE_LISTEN_HOST: "127.0.0.1", KAFSCALE_DATA_DIR: dataDir, ...env },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    let out = "";
    const timer = setTimeout(() => reject(new Error(`broker did not start: ${out}`)), 20_000);
    child.stdout!.on("data", (d: Buffer) => {
      out += d.toString();
      if (out.includes('"msg":"broker started"')) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
  const threads = readdirSync(`/proc/${child.pid}/task`).length;
  child.kill("SIGTERM");
  return { threads, exitCode: await exited };
}

/**
 * libuv's thread pool (file creation and fsync of the embedded default) is sized once, at its
 * first use, and Node's ES module loader uses it to read the entry module: only a CommonJS entry
 * can size it. A regression here quietly serialises flushes behind 4 threads.
 */
describe("the broker's entry point", () => {
  it("sizes libuv's thread pool to 64 threads before anything uses it", async () => {
    expect(existsSync(MAIN), `${MAIN} is missing: run pnpm build first`).toBe(true);
    const { threads, exitCode } = await threadsOfRunningBroker({});
    expect(threads).toBeGreaterThan(64);
    expect(exitCode).toBe(0);
  }, 30_000);

  it("keeps an operator's own UV_THREADPOOL_SIZE", async () => {
    const { threads, exitCode } = await threadsOfRunningBroker({ UV_THREADPOOL_SIZE: "6" });
    expect(threads).toBeLessThan(20);
    expect(exitCode).toBe(0);
  }, 30_000);
});
