import { parseArgs } from "node:util";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { BrokerConfig } from "@kafscale/broker";
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
  const config = {
    ...out,
    dataDir,
    advertisedPort: (out.advertisedPort as number | undefined) ?? (out.port as number),
    storageUrl: (out.storageUrl as string | undefined) ?? pathToFileURL(resolve(dataDir, "segments")).href,
    metadataUrl: (out.metadataUrl as string | undefined) ?? pathToFileURL(resolve(dataDir, "metadata")).href,
  } as BrokerAppConfig;
  if (config.defaultPartitions < 1) throw new ConfigError("KAFSCALE_DEFAULT_PARTITIONS must be at least 1");
  if (config.maxFrameBytes < 1024) throw new ConfigError("KAFSCALE_MAX_FRAME_BYTES must be at least 1024");
  return config;
}
