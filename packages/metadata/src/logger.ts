/**
 * What this package logs through: a subset of pino's `Logger` (`logger.warn({ err }, "msg")`),
 * so a pino logger or child logger can be passed as is. Library code never writes to the console.
 */
export interface MetadataLogger {
  warn(obj: object, msg: string): void;
}

/** A logger that drops everything; the default. */
export const silentLogger: MetadataLogger = { warn() {} };
