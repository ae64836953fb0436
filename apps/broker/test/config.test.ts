import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig, redactedConfig } from "../src/config.js";
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

describe("loadConfig() with S3 and etcd", () => {
  const env = {
    KAFSCALE_S3_BUCKET: "segments",
    KAFSCALE_S3_ENDPOINT: "http://127.0.0.1:7480",
    KAFSCALE_S3_PATH_STYLE: "true",
    KAFSCALE_S3_ACCESS_KEY_ID: "AKIDEXAMPLE",
    KAFSCALE_S3_SECRET_ACCESS_KEY: "s3-secret-value",
    KAFSCALE_ETCD_ENDPOINTS: "http://10.0.0.1:2379, http://10.0.0.2:2379/",
    KAFSCALE_ETCD_USERNAME: "kafscale",
    KAFSCALE_ETCD_PASSWORD: "etcd-secret-value",
  };

  it("uses S3 and etcd when their bucket and endpoints are set, with the documented defaults", () => {
    const c = loadConfig([], env);
    expect(c.storageUrl).toBe("s3://segments");
    expect(c.metadataUrl).toBe("etcd://10.0.0.1:2379,10.0.0.2:2379");
    expect(c.s3).toEqual({
      bucket: "segments",
      region: "us-east-1",
      endpoint: "http://127.0.0.1:7480",
      forcePathStyle: true,
      credentials: { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "s3-secret-value" },
      requestTimeoutMs: 5000,
      operationTimeoutMs: 15000,
      maxAttempts: 6,
      maxConcurrency: 64,
    });
    expect(c.etcd).toEqual({ endpoints: ["http://10.0.0.1:2379", "http://10.0.0.2:2379"], username: "kafscale", password: "etcd-secret-value", requestTimeoutMs: 5000 });
    expect(c).not.toHaveProperty("s3Bucket");
    expect(c.brokerLeaseTtlMs).toBe(10000);
  });

  it("keeps the embedded default when neither is set", () => {
    const c = loadConfig([], {});
    expect(c.s3).toBeUndefined();
    expect(c.etcd).toBeUndefined();
  });

  it("refuses half-given credentials and malformed endpoints", () => {
    expect(() => loadConfig([], { KAFSCALE_S3_BUCKET: "b", KAFSCALE_S3_ACCESS_KEY_ID: "x" })).toThrow(/must be set together/);
    expect(() => loadConfig([], { KAFSCALE_ETCD_ENDPOINTS: "http://a:2379", KAFSCALE_ETCD_PASSWORD: "p" })).toThrow(/must be set together/);
    expect(() => loadConfig([], { KAFSCALE_ETCD_ENDPOINTS: "not an endpoint" })).toThrow(/is not http:\/\/host:port/);
    expect(() => loadConfig([], { KAFSCALE_S3_BUCKET: "b", KAFSCALE_S3_REQUEST_TIMEOUT_MS: "0" })).toThrow(/must be positive/);
  });

  it("never puts a secret in the logged configuration", () => {
    const logged = JSON.stringify(redactedConfig(loadConfig([], env)));
    expect(logged).not.toContain("s3-secret-value");
    expect(logged).not.toContain("etcd-secret-value");
    expect(logged).toContain("AKIDEXAMPLE");
    expect(logged).toContain("<redacted>");
  });
});

describe("docs/configuration.md", () => {
  it("holds the table of every setting, as the code defines them", () => {
    const doc = readFileSync(new URL("../../../docs/configuration.md", import.meta.url), "utf8");
    expect(doc).toContain(configurationTable());
  });
});
