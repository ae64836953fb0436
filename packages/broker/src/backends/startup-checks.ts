import type { MetadataStore } from "@kafscale/metadata";
import { checkObjectStoreWritable, type ObjectStore } from "@kafscale/storage";

/** A start-up check failed: the broker cannot work with the stores it was given. The message says which and why. */
export class StartupCheckError extends Error {
  override readonly name = "StartupCheckError";
}

const reason = (err: unknown) => (err instanceof Error ? err.message : String(err));

/**
 * Before serving, the broker proves it can read the metadata store and write to the object
 * store (a probe object under `{namespace}/_kafscale/probes/`, written, read back and deleted), so
 * that a wrong endpoint, bucket or credential stops it at once with a clear message instead of
 * failing the first produce.
 */
export async function runStartupChecks(metadata: MetadataStore, objects: ObjectStore, where: { metadata: string; segments: string; namespace: string }): Promise<void> {
  try {
    await metadata.listBrokers();
  } catch (err) {
    throw new StartupCheckError(`cannot read the metadata store (${where.metadata}): ${reason(err)}`, { cause: err });
  }
  try {
    await checkObjectStoreWritable(objects, `${where.namespace}/_kafscale/probes/`);
  } catch (err) {
    throw new StartupCheckError(`cannot write to the segment store (${where.segments}): ${reason(err)}`, { cause: err });
  }
}
