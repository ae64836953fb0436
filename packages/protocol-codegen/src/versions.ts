/** An inclusive version range; `max` is Infinity for "N+"; empty when min > max ("none"). */
export interface VersionRange {
  min: number;
  max: number;
}

export const NO_VERSIONS: VersionRange = { min: 0, max: -1 };

export function parseVersions(text: string | undefined): VersionRange {
  if (text === undefined || text === "none") return NO_VERSIONS;
  if (text.endsWith("+")) return { min: Number(text.slice(0, -1)), max: Infinity };
  const dash = text.indexOf("-");
  if (dash < 0) return { min: Number(text), max: Number(text) };
  return { min: Number(text.slice(0, dash)), max: Number(text.slice(dash + 1)) };
}

export function isEmpty(r: VersionRange): boolean {
  return r.min > r.max;
}

export function intersect(a: VersionRange, b: VersionRange): VersionRange {
  return { min: Math.max(a.min, b.min), max: Math.min(a.max, b.max) };
}

/** True when every version of `inner` is in `outer`. */
export function covers(outer: VersionRange, inner: VersionRange): boolean {
  return isEmpty(inner) || (outer.min <= inner.min && outer.max >= inner.max);
}

export function formatRange(r: VersionRange): string {
  if (isEmpty(r)) return "none";
  if (r.max === Infinity) return `${r.min}+`;
  return r.min === r.max ? `${r.min}` : `${r.min}-${r.max}`;
}

/**
 * A TypeScript condition that is true for the versions of `r` within `scope` (the versions the
 * code can run at), simplified so that always-true conditions become "true".
 */
export function versionCondition(r: VersionRange, scope: VersionRange, v = "v"): string {
  const s = intersect(r, scope);
  if (isEmpty(s)) return "false";
  const parts: string[] = [];
  if (s.min > scope.min) parts.push(`${v} >= ${s.min}`);
  if (s.max < scope.max) parts.push(`${v} <= ${s.max}`);
  return parts.length === 0 ? "true" : parts.join(" && ");
}
