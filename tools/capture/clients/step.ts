/** Shared by the Node scenario scripts: run a step, print "STEP <name> ok|failed: <why>". */
export const STEP_TIMEOUT_MS = 20_000;

export async function step(name: string, fn: () => Promise<unknown>): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  try {
    const result = await Promise.race([
      fn(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`step took longer than ${STEP_TIMEOUT_MS / 1000}s`)), STEP_TIMEOUT_MS);
      }),
    ]);
    console.log(`STEP ${name} ok`);
    if (result !== undefined) console.log(`  [${name}] ${JSON.stringify(result, bigintReplacer)?.slice(0, 400)}`);
  } catch (err) {
    const message = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    console.log(`STEP ${name} failed: ${message.replace(/\s+/g, " ").slice(0, 300)}`);
  } finally {
    clearTimeout(timer);
  }
}

function bigintReplacer(_key: string, value: unknown): unknown {
  return typeof value === "bigint" ? value.toString() : value;
}

export function env(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
