import { fromBinary, toBinary } from "@bufbuild/protobuf";
import type { DescMessage, MessageShape } from "@bufbuild/protobuf";
import { MetadataError } from "../errors.js";

/** A message as stored: protobuf binary. */
export function encodeValue<Desc extends DescMessage>(schema: Desc, message: MessageShape<Desc>): Uint8Array {
  return toBinary(schema, message);
}

/** Decodes a stored value; a value that is not a valid `schema` throws `CORRUPT_DATA` naming the key. */
export function decodeValue<Desc extends DescMessage>(schema: Desc, key: string, value: Uint8Array): MessageShape<Desc> {
  try {
    return fromBinary(schema, value);
  } catch (err) {
    throw new MetadataError("CORRUPT_DATA", `value of ${key} is not a valid ${schema.typeName} (${value.length} bytes)`, { cause: err });
  }
}
