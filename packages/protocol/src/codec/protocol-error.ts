/**
 * The one error class of the codec. Every failure to read or write Kafka bytes is a
 * `ProtocolError` whose `code` is one of `ProtocolErrorCode`:
 *
 * - `TRUNCATED`: the bytes end before the value being read is complete.
 * - `INVALID_LENGTH`: a length or count is negative where that is not allowed, or larger than
 *   the bytes left (checked before anything is allocated).
 * - `INVALID_VARINT`: a varint runs longer than its type allows.
 * - `NULL_NOT_ALLOWED`: a null was read or written where the spec does not allow one.
 * - `UNKNOWN_API_KEY`: the API key is not in the spec folder the codec was generated from.
 * - `UNSUPPORTED_VERSION`: the API exists but not at that version.
 * - `FRAME_TOO_LARGE`: a frame's size prefix is above the configured maximum.
 * - `INVALID_FRAME`: a frame's size prefix is negative or too small to hold a header.
 * - `INVALID_VALUE`: a value cannot be written as the spec says (for example a malformed UUID).
 */
export type ProtocolErrorCode =
  | "TRUNCATED"
  | "INVALID_LENGTH"
  | "INVALID_VARINT"
  | "NULL_NOT_ALLOWED"
  | "UNKNOWN_API_KEY"
  | "UNSUPPORTED_VERSION"
  | "FRAME_TOO_LARGE"
  | "INVALID_FRAME"
  | "INVALID_VALUE";

export class ProtocolError extends Error {
  override readonly name = "ProtocolError";
  readonly code: ProtocolErrorCode;

  constructor(code: ProtocolErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}
