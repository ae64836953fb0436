import { RevisionConflictError } from "../errors.js";
import type { Revision, TxnCompare } from "../kv/kv-store.js";
import { ConsumerGroupSchema } from "../gen/kafscale/metadata/v1/metadata_pb.js";
import type { ConsumerGroup } from "../gen/kafscale/metadata/v1/metadata_pb.js";
import { decodeValue, encodeValue } from "./codec.js";
import type { StoreContext, Versioned } from "./context.js";
import { validateRevision } from "./names.js";

export async function getGroup(ctx: StoreContext, groupId: string): Promise<Versioned<ConsumerGroup> | null> {
  const kv = await ctx.kv.get(ctx.keys.groupMetadata(groupId));
  return kv === null ? null : { value: decodeValue(ConsumerGroupSchema, kv.key, kv.value), revision: kv.modRevision };
}

export async function putGroup(ctx: StoreContext, group: ConsumerGroup, expectedRevision: Revision): Promise<Revision> {
  validateRevision(expectedRevision);
  const key = ctx.keys.groupMetadata(group.groupId);
  const result = await ctx.kv.txn({
    compare: [{ key, modRevision: expectedRevision }],
    success: [{ type: "put", key, value: encodeValue(ConsumerGroupSchema, group) }],
  });
  if (!result.succeeded) throw new RevisionConflictError(key, expectedRevision);
  return result.revision;
}

export async function deleteGroup(ctx: StoreContext, groupId: string, expectedRevision?: Revision): Promise<Revision> {
  const compare: TxnCompare[] = [];
  if (expectedRevision !== undefined) {
    validateRevision(expectedRevision);
    compare.push({ key: ctx.keys.groupMetadata(groupId), modRevision: expectedRevision });
  }
  const result = await ctx.kv.txn({ compare, success: [{ type: "deletePrefix", prefix: ctx.keys.groupPrefix(groupId) }] });
  if (!result.succeeded) throw new RevisionConflictError(ctx.keys.groupMetadata(groupId), expectedRevision ?? 0);
  return result.revision;
}

export async function listGroups(ctx: StoreContext): Promise<Array<Versioned<ConsumerGroup>>> {
  const out: Array<Versioned<ConsumerGroup> & { id: string }> = [];
  for (const kv of await ctx.kv.range(ctx.keys.consumersPrefix)) {
    const parsed = ctx.keys.parseConsumerKey(kv.key);
    if (parsed?.kind !== "metadata") continue;
    out.push({ id: parsed.groupId, value: decodeValue(ConsumerGroupSchema, kv.key, kv.value), revision: kv.modRevision });
  }
  return out.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)).map(({ value, revision }) => ({ value, revision }));
}
