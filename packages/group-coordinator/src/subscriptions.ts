import { ConsumerProtocolSubscription } from "@kafscale/protocol";

/** The protocol type of Kafka consumers, whose metadata is a ConsumerProtocolSubscription. */
export const CONSUMER_PROTOCOL_TYPE = "consumer";

/**
 * The topics a consumer subscribes to, read from its JoinGroup protocol metadata: an INT16
 * version, then the ConsumerProtocolSubscription struct at that version (versions above the
 * codec's highest are read as the highest, as Kafka does). When that fails the prefix shared by
 * every version (version 0: topics, user data) is tried. Returns null when the bytes are not a
 * subscription.
 */
export function subscribedTopics(metadata: Uint8Array): string[] | null {
  if (metadata.length < 2) return null;
  const version = new DataView(metadata.buffer, metadata.byteOffset, metadata.byteLength).getInt16(0);
  if (version < 0) return null;
  const body = metadata.subarray(2);
  const declared = Math.min(version, ConsumerProtocolSubscription.maxVersion);
  for (const v of declared === 0 ? [0] : [declared, 0]) {
    try {
      return ConsumerProtocolSubscription.decode(body, v).topics;
    } catch {
      // try the version-0 prefix next
    }
  }
  return null;
}
