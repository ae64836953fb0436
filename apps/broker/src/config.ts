import { parseArgs } from "node:util";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { BrokerConfig, EtcdSettings, S3Settings } from "@kafscale/broker";
import { OPTIONS, type OptionSpec } from "./options.js";

/** The engine's configuration plus what only the service uses. */
export interface BrokerAppConfig extends BrokerConfig {
  advertisedPort: number;
  dataDir: string;
  logLevel: string;
}

export class ConfigError extends Error {
  override readonly name = "ConfigError";
}

function parseValue(spec: OptionSpec, raw: string, from: string): string | number | boolean {
  switch (spec.kind) {
    case "int": {
      if (!/^-?\d+$/.test(raw.trim())) throw new ConfigError(`${from}: expected an integer, got ${JSON.stringify(raw)}`);
      return Number(raw);
    }
    case "bool": {
      const v = raw.trim().toLowerCase();
      if (["true", "1", "yes", "on"].includes(v)) return true;
      if (["false", "0", "no", "off"].includes(v)) return false;
      throw new ConfigError(`${from}: expected true or false, got ${JSON.stringify(raw)}`);
    }
    default:
      return raw;
  }
}

/**
 * Reads the configuration: flags win over environment variables, which win over defaults.
 * Unknown flags are an error; unknown KAFSCALE_* variables are ignored.
 */
export function loadConfig(argv: string[], env: NodeJS.ProcessEnv): BrokerAppConfig {
  const { values } = parseArgs({
    args: argv,
    options: Object.fromEntries(OPTIONS.map((o) => [o.flag, { type: "string" as const }])),
    strict: true,
    allowPositionals: false,
  });
  const out: Record<string, string | number | boolean> = {};
  for (const spec of OPTIONS as readonly OptionSpec[]) {
    const flag = values[spec.flag];
    const raw = typeof flag === "string" ? flag : env[spec.env];
    if (raw !== undefined && raw !== "") out[spec.key] = parseValue(spec, raw, typeof flag === "string" ? `--${spec.flag}` : spec.env);
    else if (spec.default !== "") out[spec.key] = parseValue(spec, spec.default, `default of ${spec.env}`);
  }
  const dataDir = resolve(String(out.dataDir));
  const { s3, etcd, rest } = backendSettings(out);
  const config = {
    ...rest,
    dataDir,
    advertisedPort: (out.advertisedPort as number | undefined) ?? (out.port as number),
    storageUrl: s3 !== undefined ? `s3://${s3.bucket}` : ((out.storageUrl as string | undefined) ?? pathToFileURL(resolve(dataDir, "segments")).href),
    metadataUrl: etcd !== undefined ? `etcd://${etcd.endpoints.map((e) => e.replace(/^https?:\/\//, "")).join(",")}` : ((out.metadataUrl as string | undefined) ?? pathToFileURL(resolve(dataDir, "metadata")).href),
    ...(s3 !== undefined ? { s3 } : {}),
    ...(etcd !== undefined ? { etcd } : {}),
  } as BrokerAppConfig;
  if (config.defaultPartitions < 1) throw new ConfigError("KAFSCALE_DEFAULT_PARTITIONS must be at least 1");
  if (config.maxFrameBytes < 1024) throw new ConfigError("KAFSCALE_MAX_FRAME_BYTES must be at least 1024");
  return config;
}

type Parsed = Record<string, string | number | boolean>;

/**
 * The S3 and etcd settings, present only when their bucket or endpoints are set; `rest` is
 * everything else. Partial credentials are refused rather than silently ignored.
 */
function backendSettings(out: Parsed): { s3?: S3Settings; etcd?: EtcdSettings; rest: Parsed } {
  const rest: Parsed = {};
  for (const [k, v] of Object.entries(out)) if (!k.startsWith("s3") && !k.startsWith("etcd")) rest[k] = v;
  let s3: S3Settings | undefined;
  if (typeof out.s3Bucket === "string") {
    const accessKeyId = out.s3AccessKeyId as string | undefined;
    const secretAccessKey = out.s3SecretAccessKey as string | undefined;
    if ((accessKeyId === undefined) !== (secretAccessKey === undefined)) {
      throw new ConfigError("KAFSCALE_S3_ACCESS_KEY_ID and KAFSCALE_S3_SECRET_ACCESS_KEY must be set together (or neither, for the AWS SDK's default chain)");
    }
    s3 = {
      bucket: out.s3Bucket,
      region: out.s3Region as string,
      forcePathStyle: out.s3PathStyle as boolean,
      requestTimeoutMs: positive(out, "s3RequestTimeoutMs", "KAFSCALE_S3_REQUEST_TIMEOUT_MS"),
      operationTimeoutMs: positive(out, "s3OperationTimeoutMs", "KAFSCALE_S3_OPERATION_TIMEOUT_MS"),
      maxAttempts: positive(out, "s3MaxAttempts", "KAFSCALE_S3_MAX_ATTEMPTS"),
      maxConcurrency: positive(out, "s3MaxConcurrency", "KAFSCALE_S3_MAX_CONCURRENCY"),
      ...(typeof out.s3Endpoint === "string" ? { endpoint: out.s3Endpoint } : {}),
      ...(accessKeyId !== undefined && secretAccessKey !== undefined ? { credentials: { accessKeyId, secretAccessKey } } : {}),
    };
  }
  let etcd: EtcdSettings | undefined;
  if (typeof out.etcdEndpoints === "string") {
    const endpoints = out.etcdEndpoints.split(",").map((e) => e.trim()).filter((e) => e !== "");
    for (const e of endpoints) {
      if (!/^(https?:\/\/)?[^/\s]+:\d+\/?$/.test(e)) throw new ConfigError(`KAFSCALE_ETCD_ENDPOINTS: ${JSON.stringify(e)} is not http://host:port`);
    }
    if (endpoints.length === 0) throw new ConfigError("KAFSCALE_ETCD_ENDPOINTS: no endpoint given");
    const username = out.etcdUsername as string | undefined;
    const password = out.etcdPassword as string | undefined;
    if ((username === undefined) !== (password === undefined)) throw new ConfigError("KAFSCALE_ETCD_USERNAME and KAFSCALE_ETCD_PASSWORD must be set together");
    etcd = {
      endpoints: endpoints.map((e) => (/^https?:\/\//.test(e) ? e : `http://${e}`).replace(/\/$/, "")),
      requestTimeoutMs: positive(out, "etcdRequestTimeoutMs", "KAFSCALE_ETCD_REQUEST_TIMEOUT_MS"),
      ...(username !== undefined && password !== undefined ? { username, password } : {}),
    };
  }
  return { ...(s3 !== undefined ? { s3 } : {}), ...(etcd !== undefined ? { etcd } : {}), rest };
}

function positive(out: Parsed, key: string, env: string): number {
  const v = out[key] as number;
  if (!(v > 0)) throw new ConfigError(`${env} must be positive, got ${v}`);
  return v;
}

/** The configuration with every secret replaced by "<redacted>", for the start-up log line. */
export function redactedConfig(config: BrokerAppConfig): Record<string, unknown> {
  const copy: Record<string, unknown> = { ...config };
  if (config.s3?.credentials !== undefined) copy.s3 = { ...config.s3, credentials: { accessKeyId: config.s3.credentials.accessKeyId, secretAccessKey: "<redacted>" } };
  if (config.etcd?.password !== undefined) copy.etcd = { ...config.etcd, password: "<redacted>" };
  return copy;
}
