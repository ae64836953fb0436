/**
 * @kafscale/protocol: the Kafka wire codec, generated from Kafka 3.9's message specs.
 *
 * - Every message: `ProduceRequest.decode(bytes, version)`, `ProduceRequest.encode(message, version)`,
 *   with one TypeScript type per message across all versions (all names from "./gen/index.js").
 * - A generic surface for tools: `decodeRequest(apiKey, version, body)` and friends, headers,
 *   a frame splitter, the API table and the error-code table.
 * - RecordBatch v2 lives in `@kafscale/protocol/records`.
 */
export * from "./gen/index.js";
export type { ApiDescriptor } from "./api-descriptor.js";
export {
  allApis,
  apiByKey,
  decodeRequest,
  decodeResponse,
  encodeRequest,
  encodeRequestFrame,
  encodeResponse,
  encodeResponseFrame,
} from "./api.js";
export {
  decodeRequestHeader,
  decodeResponseHeader,
  encodeRequestHeader,
  encodeResponseHeader,
  requestHeaderVersion,
  responseHeaderVersion,
} from "./headers.js";
export type { DecodedRequestHeader, DecodedResponseHeader } from "./headers.js";
export { DEFAULT_MAX_FRAME_BYTES, FrameSplitter } from "./frame-splitter.js";
export type { FrameSplitterOptions } from "./frame-splitter.js";
export { EMPTY_BYTES, ProtocolError, Reader, Writer, ZERO_COPY_MIN_BYTES, ZERO_UUID } from "./codec/index.js";
export type { MessageCodec, ProtocolErrorCode, UnknownTaggedField } from "./codec/index.js";
export { ErrorCode, KAFKA_ERRORS, errorInfo, isRetriable } from "./error-codes.js";
export type { KafkaErrorInfo } from "./error-codes.js";
