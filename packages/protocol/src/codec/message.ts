import { ProtocolError } from "./protocol-error.js";
import { Reader } from "./reader.js";
import { Writer } from "./writer.js";

/** The codec of one message (a request, response, header or data message) across all its versions. */
export interface MessageCodec<T> {
  readonly name: string;
  /** The API key, or -1 for headers and data messages. */
  readonly apiKey: number;
  readonly minVersion: number;
  readonly maxVersion: number;
  /** The first flexible version, or -1 when no version is flexible. */
  readonly flexibleMinVersion: number;
  isFlexible(version: number): boolean;
  /** Reads the message at the reader's position; bytes after it are left unread. */
  read(r: Reader, version: number): T;
  write(w: Writer, message: T, version: number): void;
  /** Decodes a message from the start of `bytes`; trailing bytes are ignored, as Kafka does. */
  decode(bytes: Uint8Array, version: number): T;
  encode(message: T, version: number): Uint8Array;
  /** Encodes as a list of views for a vectored write: large byte fields are referenced, not copied. */
  encodeChunks(message: T, version: number): Uint8Array[];
}

export const EMPTY_BYTES: Uint8Array = new Uint8Array(0);

export function nullNotAllowed(field: string): never {
  throw new ProtocolError("NULL_NOT_ALLOWED", `${field} is not nullable at this version`);
}

export function defineMessage<T>(
  name: string,
  apiKey: number,
  minVersion: number,
  maxVersion: number,
  flexibleMinVersion: number,
  read: (r: Reader, version: number) => T,
  write: (w: Writer, message: T, version: number) => void,
): MessageCodec<T> {
  const check = (version: number): void => {
    if (!Number.isInteger(version) || version < minVersion || version > maxVersion) {
      throw new ProtocolError("UNSUPPORTED_VERSION", `${name} has versions ${minVersion}-${maxVersion}, not ${version}`);
    }
  };
  const writeAll = (message: T, version: number): Writer => {
    check(version);
    const w = new Writer();
    write(w, message, version);
    return w;
  };
  return {
    name,
    apiKey,
    minVersion,
    maxVersion,
    flexibleMinVersion,
    isFlexible: (version) => flexibleMinVersion >= 0 && version >= flexibleMinVersion,
    read: (r, version) => {
      check(version);
      return read(r, version);
    },
    write: (w, message, version) => {
      check(version);
      write(w, message, version);
    },
    decode: (bytes, version) => {
      check(version);
      return read(new Reader(bytes), version);
    },
    encode: (message, version) => writeAll(message, version).finish(),
    encodeChunks: (message, version) => writeAll(message, version).chunks(),
  };
}
