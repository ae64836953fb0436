/**
 * The logging surface the coordinator uses; a pino logger (or a pino child logger) fits it.
 * Every call passes an object of fields first and a message second.
 */
export interface Logger {
  debug(fields: object, message?: string): void;
  info(fields: object, message?: string): void;
  warn(fields: object, message?: string): void;
}

/** A logger that drops everything: the default. */
export const silentLogger: Logger = {
  debug: () => {},
  info: () => {},
  warn: () => {},
};
