import { pino } from "pino";
import { Broker, StartupCheckError } from "@kafscale/broker";
import { ConfigError, loadConfig, redactedConfig } from "./config.js";

/**
 * The broker service (loaded by main.cts): reads KAFSCALE_* variables and flags, starts the engine, and stops it in
 * two phases on SIGTERM or SIGINT (a second signal exits at once).
 */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig(process.argv.slice(2), process.env);
  } catch (err) {
    if (err instanceof ConfigError || (err as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")) {
      process.stderr.write(`kafscale-broker: ${(err as Error).message}\n`);
      process.exit(2);
    }
    throw err;
  }
  const log = pino({ level: config.logLevel, base: { service: "kafscale-broker", nodeId: config.nodeId } });
  log.info({ config: redactedConfig(config) }, "configuration");
  // Handlers go in before the broker starts: a signal that arrived before them would kill the
  // process outright, and one during start-up stops the broker as soon as it has started.
  let broker: Broker | undefined;
  let signals = 0;
  const shutDown = (b: Broker): void => {
    b.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        log.error({ err }, "shutdown failed");
        process.exit(1);
      },
    );
  };
  const onSignal = (signal: string): void => {
    signals++;
    if (signals > 1) {
      log.warn({ signal }, "second signal: exiting now");
      process.exit(1);
    }
    log.info({ signal }, "shutting down");
    if (broker !== undefined) shutDown(broker);
  };
  process.on("SIGTERM", () => onSignal("SIGTERM"));
  process.on("SIGINT", () => onSignal("SIGINT"));
  try {
    broker = await Broker.start(config, log);
  } catch (err) {
    log.fatal({ err }, "broker failed to start");
    if (err instanceof StartupCheckError) process.stderr.write(`kafscale-broker: ${err.message}\n`);
    process.exit(1);
  }
  if (signals > 0) shutDown(broker);
}

void main();
