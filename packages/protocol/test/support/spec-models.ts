import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { buildMessage, type MessageModel } from "@kafscale/protocol-codegen/model";
import { loadSpecs } from "@kafscale/protocol-codegen/spec";

/**
 * The message models built straight from Kafka's JSON specs, for tests that cross-check the
 * generated codec against the spec. Tests only: nothing at run time reads the spec folder.
 */
export const SPEC_DIR = process.env.KAFKA_SPEC_DIR ?? fileURLToPath(new URL("../../../../../shared/kafka-message-spec", import.meta.url));

export function loadModels(): MessageModel[] {
  if (!existsSync(SPEC_DIR)) {
    throw new Error(`Kafka message specs not found at ${SPEC_DIR}: put shared/ beside the repo or set KAFKA_SPEC_DIR`);
  }
  return loadSpecs(SPEC_DIR).map(buildMessage);
}
