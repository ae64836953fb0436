import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../src/config.js";
import { configurationTable } from "../src/config-docs.js";

describe("loadConfig()", () => {
  it("uses the documented defaults with nothing set", () => {
    const c = loadConfig([], {});
    expect(c).toMatchObject({ nodeId: 0, port: 9092, listenHost: "0.0.0.0", advertisedHost: "localhost", advertisedPort: 9092, autoCreateTopics: true, defaultPartitions: 1, flushAgeMs: 10 });
    expect(c.storageUrl).toMatch(/^file:\/\/.*\/kafscale-data\/segments$/);
    expect(c.metadataUrl).toMatch(/^file:\/\/.*\/kafscale-data\/metadata$/);
  });

  it("takes KAFSCALE_* variables, and flags over them", () => {
    const c = loadConfig(["--port", "19092", "--auto-create-topics", "false"], { KAFSCALE_PORT: "1", KAFSCALE_DEFAULT_PARTITIONS: "4", KAFSCALE_DATA_DIR: "/tmp/x" });
    expect(c).toMatchObject({ port: 19092, advertisedPort: 19092, autoCreateTopics: false, defaultPartitions: 4, dataDir: "/tmp/x", storageUrl: "file:///tmp/x/segments" });
  });

  it("refuses bad values and unknown flags with a clear message", () => {
    expect(() => loadConfig([], { KAFSCALE_PORT: "abc" })).toThrow(new ConfigError('KAFSCALE_PORT: expected an integer, got "abc"'));
    expect(() => loadConfig([], { KAFSCALE_AUTO_CREATE_TOPICS: "maybe" })).toThrow(ConfigError);
    expect(() => loadConfig(["--no-such-flag", "1"], {})).toThrow(/no-such-flag/);
  });
});

describe("docs/configuration.md", () => {
  it("holds the table of every setting, as the code defines them", () => {
    const doc = readFileSync(new URL("../../../docs/configuration.md", import.meta.url), "utf8");
    expect(doc).toContain(configurationTable());
  });
});
