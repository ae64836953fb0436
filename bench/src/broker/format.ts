/** Number formatting and output of the broker benchmark. */
import { median } from "./stats.js";

export const MB = 1e6;
export const MiB = 2 ** 20;
export const GiB = 2 ** 30;
export const f1 = (x: number): string => (Number.isFinite(x) ? x.toFixed(1) : "–");
export const f2 = (x: number): string => (Number.isFinite(x) ? x.toFixed(2) : "–");
export const f0 = (x: number): string => (Number.isFinite(x) ? Math.round(x).toLocaleString("en-US") : "–");
export const mbps = (bytes: number, s: number): number => bytes / s / MB;

/** The median of `xs`, with the range in brackets when there are several. */
export function spread(xs: number[], fmt: (x: number) => string): string {
  const ys = xs.filter((x) => Number.isFinite(x));
  if (ys.length === 0) return "–";
  if (ys.length === 1) return fmt(ys[0]!);
  return `${fmt(median(ys))} (${fmt(Math.min(...ys))}–${fmt(Math.max(...ys))})`;
}

export function log(line = ""): void {
  process.stdout.write(`${line}\n`);
}

export const status = (ok: boolean): string => (ok ? "met" : "NOT met");
