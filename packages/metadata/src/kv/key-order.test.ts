import { describe, expect, it } from "vitest";
import { compareKeys } from "./key-order.js";

const utf8Order = (a: string, b: string) => Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8"));

describe("compareKeys()", () => {
  it.each([
    ["a", "b"],
    ["a", "a/"],
    ["a-b", "a/"],
    ["z", "é"],
    ["\uFFFF", "\u{10000}"],
    ["\uE000", "\u{1F600}"],
    ["\uD7FF", "\uE000"],
    ["\u{10000}", "\u{10001}"],
    ["x\u{1F600}", "x\uFFFD"],
  ])("orders %j and %j as their UTF-8 bytes do", (a, b) => {
    expect(Math.sign(compareKeys(a, b))).toBe(Math.sign(utf8Order(a, b)));
    expect(Math.sign(compareKeys(b, a))).toBe(Math.sign(utf8Order(b, a)));
  });

  it("agrees with UTF-8 byte order on a mixed set", () => {
    const keys = ["/k/\u{1F600}", "/k/\uE000", "/k/é", "/k/z", "/k/Z", "/k", "/k/", "/k/\u{10FFFF}", "/k/\uFFFF", "/k/a/b"];
    expect([...keys].sort(compareKeys)).toEqual([...keys].sort(utf8Order));
    expect(compareKeys("same", "same")).toBe(0);
  });
});
