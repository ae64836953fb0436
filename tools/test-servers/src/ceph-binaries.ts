import { accessSync, constants } from "node:fs";
import { delimiter, join } from "node:path";

/** The Debian packages that hold every binary the Ceph harness runs. */
export const CEPH_APT_INSTALL = "apt-get install -y --no-install-recommends radosgw ceph-mon ceph-osd";

const BINARIES = ["ceph-authtool", "monmaptool", "ceph-mon", "ceph-osd", "ceph", "radosgw", "radosgw-admin"] as const;

/** Absolute paths of the Ceph binaries the harness runs. */
export type CephBinaries = Record<(typeof BINARIES)[number], string>;

/**
 * Finds the Ceph binaries on `searchPath` (a PATH-style list). Throws an Error
 * naming the missing ones and the apt command that installs them: a test that
 * needs Ceph fails rather than skips.
 */
export function findCephBinaries(searchPath: string = process.env["PATH"] ?? ""): CephBinaries {
  const dirs = searchPath.split(delimiter).filter((d) => d !== "");
  const found: Partial<Record<string, string>> = {};
  const missing: string[] = [];
  for (const name of BINARIES) {
    const path = dirs.map((d) => join(d, name)).find(isExecutable);
    if (path === undefined) missing.push(name);
    else found[name] = path;
  }
  if (missing.length > 0) {
    throw new Error(`Ceph RADOS Gateway binaries not found on PATH (${missing.join(", ")}); install them with: ${CEPH_APT_INSTALL}`);
  }
  return found as CephBinaries;
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
