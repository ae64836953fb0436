import { describe, expect, it } from "vitest";
import { decodeGroupId, encodeGroupId } from "./group-id-encoding.js";

describe("encodeGroupId()", () => {
  it.each([
    ["my-group.v1_x", "my-group.v1_x"],
    ["", ""],
    ["a/b", "a%2Fb"],
    ["100%", "100%25"],
    ["a%2Fb", "a%252Fb"],
    ["späti", "sp%C3%A4ti"],
    ["😀", "%F0%9F%98%80"],
    [" ~*'()", "%20%7E%2A%27%28%29"],
  ])("encodes %j as %j and decodes it back", (id, encoded) => {
    expect(encodeGroupId(id)).toBe(encoded);
    expect(decodeGroupId(encoded)).toBe(id);
  });

  it("never produces '/' and never maps two ids to one segment", () => {
    const ids = ["a", "a/", "a/b", "a%2Fb", "a%2fb", "A", "a b", "a+b", "ä", "a\u0308", "/", "%", "%25", ""];
    const encoded = ids.map(encodeGroupId);
    expect(encoded.some((e) => e.includes("/"))).toBe(false);
    expect(new Set(encoded).size).toBe(ids.length);
  });

  it("refuses ids with lone surrogates", () => {
    expect(() => encodeGroupId("a\uD800b")).toThrow(/lone surrogate/);
  });
});

describe("decodeGroupId()", () => {
  it.each(["a%2fb", "a%41", "%", "%ZZ", "a%2", "%C3"])("refuses the non-canonical or malformed segment %j", (segment) => {
    expect(decodeGroupId(segment)).toBeUndefined();
  });
});
