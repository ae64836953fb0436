export { ProtocolError } from "./protocol-error.js";
export type { ProtocolErrorCode } from "./protocol-error.js";
export { Reader } from "./reader.js";
export { Writer, ZERO_COPY_MIN_BYTES } from "./writer.js";
export { ZERO_UUID, uuidToBytes, uuidToString } from "./uuid.js";
export { readUnknownTaggedField, writeTaggedFields } from "./tagged-fields.js";
export type { TaggedFieldWrite, UnknownTaggedField } from "./tagged-fields.js";
export { EMPTY_BYTES, defineMessage, nullNotAllowed } from "./message.js";
export type { MessageCodec } from "./message.js";
