import { describe, expect, it } from "vitest";
import { isEtcdUrl, parseEtcdUrl } from "./etcd-url.js";

describe("parseEtcdUrl()", () => {
  it.each([
    ["etcd://127.0.0.1:2379", ["http://127.0.0.1:2379"]],
    ["etcd://etcd-0.etcd:2379,etcd-1.etcd:2379/", ["http://etcd-0.etcd:2379", "http://etcd-1.etcd:2379"]],
    ["etcd://etcd", ["http://etcd:2379"]],
    ["etcd://[::1]:2380,[::1]", ["http://[::1]:2380", "http://[::1]:2379"]],
    ["etcd+https://etcd.example.com:443", ["https://etcd.example.com:443"]],
  ])("reads %j as %j", (url, endpoints) => {
    expect(isEtcdUrl(url)).toBe(true);
    expect(parseEtcdUrl(url)).toEqual(endpoints);
  });

  it.each(["etcd://", "etcd://a b:1", "etcd://host:2379/prefix", "etcd://u:p@host:2379", "etcd:host"])("refuses %j (INVALID_ARGUMENT)", (url) => {
    expect(() => parseEtcdUrl(url)).toThrow(expect.objectContaining({ code: "INVALID_ARGUMENT" }));
  });

  it("tells etcd URLs from others", () => {
    expect(["file:///x", "memory://", "etcd:x", "http://etcd:2379"].map(isEtcdUrl)).toEqual([false, false, false, false]);
  });
});
