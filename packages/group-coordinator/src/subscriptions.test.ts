import { ConsumerProtocolSubscription } from "@kafscale/protocol";
import { describe, expect, it } from "vitest";
import { subscribedTopics } from "./subscriptions.js";

function metadata(version: number, topics: string[], bodyVersion = version): Uint8Array {
  const body = ConsumerProtocolSubscription.encode(
    { topics, userData: new Uint8Array([1, 2]), ownedPartitions: [{ topic: "x", partitions: [0] }], generationId: 4, rackId: "r" },
    bodyVersion,
  );
  const out = new Uint8Array(2 + body.length);
  new DataView(out.buffer).setInt16(0, version);
  out.set(body, 2);
  return out;
}

describe("subscribedTopics()", () => {
  it.each([0, 1, 2, 3])("reads the topics of a v%i subscription", (v) => {
    expect(subscribedTopics(metadata(v, ["a", "b"]))).toEqual(["a", "b"]);
  });

  it("reads versions above the codec's highest as the highest", () => {
    expect(subscribedTopics(metadata(7, ["a"], 3))).toEqual(["a"]);
  });

  it("falls back to the version-0 prefix when the declared version does not parse", () => {
    expect(subscribedTopics(metadata(3, ["a"], 0))).toEqual(["a"]);
  });

  it("returns null for bytes that are not a subscription", () => {
    expect(subscribedTopics(new Uint8Array([0]))).toBeNull();
    expect(subscribedTopics(new Uint8Array([0xff, 0xff, 0, 0]))).toBeNull();
    expect(subscribedTopics(new Uint8Array([0, 0, 0, 0, 0, 9]))).toBeNull();
  });
});
