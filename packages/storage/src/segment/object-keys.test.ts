import { describe, expect, it } from "vitest";
import { indexObjectKey, parseSegmentObjectKey, partitionKeyPrefix, segmentObjectKey } from "./object-keys.js";

describe("object keys", () => {
  it("lays keys out as {namespace}/{topic}/{partition}/segment-{baseOffset:020d}.kfs|.index", () => {
    const prefix = partitionKeyPrefix({ topic: "orders", partition: 3 });
    expect(prefix).toBe("default/orders/3/");
    expect(segmentObjectKey(prefix, 42n)).toBe("default/orders/3/segment-00000000000000000042.kfs");
    expect(indexObjectKey(prefix, 42n)).toBe("default/orders/3/segment-00000000000000000042.index");
    expect(segmentObjectKey(partitionKeyPrefix({ namespace: "prod", topic: "t", partition: 0 }), 2n ** 63n - 1n)).toBe(
      "prod/t/0/segment-09223372036854775807.kfs",
    );
  });

  it("sorts keys lexically in offset order", () => {
    const offsets = [0n, 9n, 10n, 99n, 100n, 12345678901n];
    const keys = offsets.map((o) => segmentObjectKey("p/", o));
    expect([...keys].sort()).toEqual(keys);
  });

  it("parses keys back", () => {
    expect(parseSegmentObjectKey("default/orders/3/segment-00000000000000000042.index")).toEqual({
      prefix: "default/orders/3/",
      baseOffset: 42n,
      kind: "index",
    });
    expect(parseSegmentObjectKey("default/orders/3/segment-42.kfs")).toBeNull();
  });

  it.each([
    [{ topic: "a/b", partition: 0 }],
    [{ topic: "", partition: 0 }],
    [{ topic: "..", partition: 0 }],
    [{ topic: "t", partition: -1 }],
    [{ topic: "t", partition: 1.5 }],
    [{ namespace: "", topic: "t", partition: 0 }],
  ])("refuses %o", (location) => {
    expect(() => partitionKeyPrefix(location)).toThrow(expect.objectContaining({ code: "INVALID_ARGUMENT" }));
  });

  it("refuses negative base offsets", () => {
    expect(() => segmentObjectKey("p/", -1n)).toThrow(expect.objectContaining({ code: "INVALID_ARGUMENT" }));
  });
});
