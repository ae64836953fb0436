import { describe, expect, it } from "vitest";
import { MetadataKeys } from "./keys.js";

describe("MetadataKeys", () => {
  const keys = new MetadataKeys();

  it("builds the reference design's keys", () => {
    expect(keys.topicConfig("orders")).toBe("/kafscale/topics/orders/config");
    expect(keys.partition("orders", 3)).toBe("/kafscale/topics/orders/partitions/3");
    expect(keys.groupMetadata("billing")).toBe("/kafscale/consumers/billing/metadata");
    expect(keys.offset("billing", "orders", 3)).toBe("/kafscale/consumers/billing/offsets/orders/3");
    expect(keys.broker(1)).toBe("/kafscale/brokers/1");
    expect(keys.assignment("orders", 3)).toBe("/kafscale/assignments/orders/3");
    expect(new MetadataKeys("/prod-eu").topicConfig("t")).toBe("/prod-eu/topics/t/config");
  });

  it("parses its own keys and nothing else", () => {
    expect(keys.parseTopicConfigKey("/kafscale/topics/orders/config")).toBe("orders");
    expect(keys.parseTopicConfigKey("/kafscale/topics/orders/partitions/0")).toBeUndefined();
    expect(keys.parsePartitionKey("/kafscale/topics/orders/partitions/12")).toEqual({ topic: "orders", partition: 12 });
    expect(keys.parsePartitionKey("/kafscale/topics/orders/partitions/012")).toBeUndefined();
    expect(keys.parseConsumerKey("/kafscale/consumers/a%2Fb/offsets/orders/3")).toEqual({ kind: "offset", groupId: "a/b", topic: "orders", partition: 3 });
    expect(keys.parseConsumerKey("/kafscale/consumers//metadata")).toEqual({ kind: "metadata", groupId: "" });
    expect(keys.parseConsumerKey("/kafscale/consumers/a/b/metadata")).toBeUndefined();
    expect(keys.parseBrokerKey("/kafscale/brokers/7")).toBe(7);
    expect(keys.parseBrokerKey("/kafscale/brokers/x")).toBeUndefined();
    expect(keys.parseAssignmentKey("/kafscale/assignments/orders/0")).toEqual({ topic: "orders", partition: 0 });
  });

  it.each(["kafscale", "/kafscale/", "/", ""])("refuses the prefix %j", (prefix) => {
    expect(() => new MetadataKeys(prefix)).toThrow(/key prefix/);
  });
});
