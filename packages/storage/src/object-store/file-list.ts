import { readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import { errnoCode } from "./fs-errors.js";
import { compareKeys } from "./keys.js";
import type { ObjectListEntry } from "./object-store.js";

/**
 * Lists the files under `root` as object keys in S3 order.
 *
 * Walking a tree with each directory's entries sorted by name is not key
 * order: `a-c` sorts before `a/b` (`-` < `/`), yet the directory `a` sorts
 * before the file `a-c`. Sorting siblings by name with a `/` appended to
 * directories fixes that: every key below directory `a` starts with `a/`, and
 * no sibling name contains `/`. Subtrees that cannot hold a matching key (by
 * prefix or by `startAfter`) are skipped without being read, and the walk
 * starts in the deepest directory the prefix names.
 *
 * `skipRootEntry` names a root-level entry that is not an object (the
 * backend's temp directory).
 */
export async function* listFiles(
  root: string,
  prefix: string,
  startAfter: string | undefined,
  skipRootEntry: string,
): AsyncGenerator<ObjectListEntry> {
  const startDir = prefix.slice(0, prefix.lastIndexOf("/") + 1);
  if (!isWalkableDir(startDir, skipRootEntry)) return;
  yield* walk(root, startDir, prefix, startAfter, skipRootEntry);
}

async function* walk(
  root: string,
  dir: string,
  prefix: string,
  startAfter: string | undefined,
  skipRootEntry: string,
): AsyncGenerator<ObjectListEntry> {
  let dirents;
  try {
    dirents = await readdir(join(root, dir), { withFileTypes: true });
  } catch (err) {
    if (errnoCode(err) === "ENOENT" || errnoCode(err) === "ENOTDIR") return;
    throw err;
  }
  const entries = dirents
    .filter((d) => (d.isDirectory() || d.isFile()) && !(dir === "" && d.name === skipRootEntry))
    .map((d) => ({ isDir: d.isDirectory(), key: dir + d.name + (d.isDirectory() ? "/" : "") }))
    .sort((a, b) => compareKeys(a.key, b.key));
  for (const { isDir, key } of entries) {
    if (isDir) {
      const mayMatchPrefix = key.startsWith(prefix) || prefix.startsWith(key);
      const allBeforeStart = startAfter !== undefined && compareKeys(key, startAfter) < 0 && !startAfter.startsWith(key);
      if (mayMatchPrefix && !allBeforeStart) yield* walk(root, key, prefix, startAfter, skipRootEntry);
      continue;
    }
    if (!key.startsWith(prefix)) continue;
    if (startAfter !== undefined && compareKeys(key, startAfter) <= 0) continue;
    let size: number;
    try {
      size = (await stat(join(root, key))).size;
    } catch (err) {
      if (errnoCode(err) === "ENOENT") continue; // deleted while listing
      throw err;
    }
    yield { key, size };
  }
}

/** False when no valid key can live under `dir` (so the walk must not leave the root). */
function isWalkableDir(dir: string, skipRootEntry: string): boolean {
  if (dir === "") return true;
  const segments = dir.slice(0, -1).split("/");
  if (segments[0] === skipRootEntry) return false;
  return segments.every((s) => s !== "" && s !== "." && s !== ".." && !s.includes("\\") && !s.includes("\0"));
}
