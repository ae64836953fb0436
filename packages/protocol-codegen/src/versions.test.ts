import { describe, expect, it } from "vitest";
import { covers, formatRange, intersect, isEmpty, parseVersions, versionCondition } from "./versions.js";
import { apiName, camelCase, kebabCase } from "./names.js";
import { stripComments } from "./spec.js";

describe("parseVersions()", () => {
  it.each([
    ["0+", { min: 0, max: Infinity }],
    ["3-5", { min: 3, max: 5 }],
    ["7", { min: 7, max: 7 }],
    ["none", { min: 0, max: -1 }],
  ])("reads %s", (text, range) => {
    expect(parseVersions(text)).toEqual(range);
  });
});

describe("versionCondition()", () => {
  it("drops bounds the scope already guarantees", () => {
    const scope = parseVersions("0-11");
    expect(versionCondition(parseVersions("0+"), scope)).toBe("true");
    expect(versionCondition(parseVersions("3+"), scope)).toBe("v >= 3");
    expect(versionCondition(parseVersions("0-7"), scope)).toBe("v <= 7");
    expect(versionCondition(parseVersions("4-7"), scope)).toBe("v >= 4 && v <= 7");
    expect(versionCondition(parseVersions("12+"), scope)).toBe("false");
    expect(versionCondition(parseVersions("3+"), parseVersions("5-9"))).toBe("true");
  });

  it("intersects, covers and formats ranges", () => {
    expect(intersect(parseVersions("2+"), parseVersions("0-4"))).toEqual({ min: 2, max: 4 });
    expect(isEmpty(intersect(parseVersions("5+"), parseVersions("0-4")))).toBe(true);
    expect(covers(parseVersions("0+"), parseVersions("3-4"))).toBe(true);
    expect(covers(parseVersions("4+"), parseVersions("3-4"))).toBe(false);
    expect([formatRange(parseVersions("9+")), formatRange(parseVersions("2-2")), formatRange(parseVersions("none"))]).toEqual(["9+", "2", "none"]);
  });
});

describe("names", () => {
  it("turn spec names into property, file and API names", () => {
    expect(camelCase("ThrottleTimeMs")).toBe("throttleTimeMs");
    expect(kebabCase("OffsetForLeaderEpoch")).toBe("offset-for-leader-epoch");
    expect(kebabCase("DescribeUserScramCredentials")).toBe("describe-user-scram-credentials");
    expect(apiName("ProduceResponse")).toBe("Produce");
  });
});

describe("stripComments()", () => {
  it("removes // comments but not // inside strings", () => {
    expect(JSON.parse(stripComments('// head\n{ "a": "x // y", // tail\n "b": 1 }'))).toEqual({ a: "x // y", b: 1 });
  });
});
