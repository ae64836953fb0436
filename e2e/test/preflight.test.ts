import { describe, expect, it } from "vitest";
import { assertBrokerBuilt } from "../src/broker-process.js";
import { CONFLUENT_KAFKA_MODULES, KAFKA_PYTHON_MODULES, requireKcat, requirePythonModules } from "../src/preflight.js";

/** The external clients must be installed: the suite fails (never skips) and says how to install them. */
describe("preflight", () => {
  it("has the built broker app", () => {
    expect(() => assertBrokerBuilt()).not.toThrow();
  });

  it("has kcat", () => {
    expect(requireKcat()).toMatch(/librdkafka/);
  });

  it("has kafka-python with snappy, lz4 and zstandard under /usr/bin/python3", () => {
    expect(requirePythonModules(KAFKA_PYTHON_MODULES)).toHaveLength(KAFKA_PYTHON_MODULES.length);
  });

  it("has confluent-kafka under /usr/bin/python3", () => {
    expect(requirePythonModules(CONFLUENT_KAFKA_MODULES)).toHaveLength(CONFLUENT_KAFKA_MODULES.length);
  });
});
