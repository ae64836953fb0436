/**
 * The slice of a pino logger this package uses: structured fields first,
 * message second (`logger.warn({ err, key }, "orphan deleted")`). A pino
 * instance (or a child of one) can be passed as is.
 */
export interface StorageLogger {
  debug(fields: Record<string, unknown>, message: string): void;
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
  error(fields: Record<string, unknown>, message: string): void;
}

const noop = (): void => {};

/** A logger that drops everything: the default. */
export const silentLogger: StorageLogger = { debug: noop, info: noop, warn: noop, error: noop };
