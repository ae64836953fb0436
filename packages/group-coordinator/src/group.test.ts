import { describe, expect, it } from "vitest";
import { ClassicGroup } from "./group.js";
import { GroupMember } from "./member.js";

const member = (memberId: string, protocols: string[], groupInstanceId: string | null = null) =>
  new GroupMember({
    memberId,
    groupInstanceId,
    clientId: "c",
    clientHost: "h",
    rebalanceTimeoutMs: 1000,
    sessionTimeoutMs: 1000,
    protocolType: "consumer",
    protocols: protocols.map((name) => ({ name, metadata: new Uint8Array([name.length]) })),
  });

describe("ClassicGroup", () => {
  it("selectProtocol() takes the most voted protocol among those every member supports", () => {
    const g = new ClassicGroup("g");
    g.add(member("a", ["roundrobin", "range", "sticky"]));
    g.add(member("b", ["sticky", "range"]));
    g.add(member("c", ["range", "sticky"]));
    expect(g.candidateProtocols()).toEqual(new Set(["range", "sticky"]));
    expect(g.selectProtocol()).toBe("range"); // a: range, b: sticky, c: range
  });

  it("selectProtocol() breaks ties by the earliest vote", () => {
    const g = new ClassicGroup("g");
    g.add(member("a", ["sticky", "range"]));
    g.add(member("b", ["range", "sticky"]));
    expect(g.selectProtocol()).toBe("sticky");
  });

  it("supportsProtocols() needs a protocol every current member supports, and the group's type", () => {
    const g = new ClassicGroup("g");
    expect(g.supportsProtocols("consumer", [])).toBe(false);
    expect(g.supportsProtocols("", ["range"])).toBe(false);
    g.add(member("a", ["range", "roundrobin"]));
    g.add(member("b", ["range"]));
    g.state = "Stable";
    expect(g.supportsProtocols("consumer", ["roundrobin"])).toBe(false);
    expect(g.supportsProtocols("consumer", ["roundrobin", "range"])).toBe(true);
    expect(g.supportsProtocols("connect", ["range"])).toBe(false);
  });

  it("remove() hands leadership to the oldest remaining member and forgets static ids", () => {
    const g = new ClassicGroup("g");
    g.add(member("a", ["range"], "ia"));
    g.add(member("b", ["range"]));
    expect(g.leaderId).toBe("a");
    g.remove("a");
    expect(g.leaderId).toBe("b");
    expect(g.currentStaticMemberId("ia")).toBeUndefined();
  });

  it("replaceStaticMember() keeps place, leadership and pending SyncGroup under the new id", () => {
    const g = new ClassicGroup("g");
    g.add(member("a", ["range"], "ia"));
    g.pendingSyncMembers.add("a");
    const m = g.replaceStaticMember("ia", "a", "a2");
    expect(m.memberId).toBe("a2");
    expect(g.leaderId).toBe("a2");
    expect(g.currentStaticMemberId("ia")).toBe("a2");
    expect([...g.pendingSyncMembers]).toEqual(["a2"]);
  });

  it("transitionTo() refuses transitions Kafka does not allow", () => {
    const g = new ClassicGroup("g");
    expect(() => g.transitionTo("Stable")).toThrow("cannot move from Empty to Stable");
    g.transitionTo("PreparingRebalance");
    g.transitionTo("CompletingRebalance");
    g.transitionTo("Stable");
  });
});
