import { ApiKey, ErrorCode, type ApiVersionsResponse } from "@kafscale/protocol";
import { defineHandler } from "./handler.js";
import type { HandlerRegistry } from "./handler-registry.js";

/** ApiVersions v0-4: the ranges of exactly the handlers this broker has. */
export function apiVersionsHandler(registry: HandlerRegistry) {
  return defineHandler({
    apiKey: ApiKey.ApiVersions,
    minVersion: 0,
    maxVersion: 4,
    handle: (): ApiVersionsResponse => apiVersionsResponse(registry, ErrorCode.NONE),
  });
}

/**
 * The ApiVersions answer; also sent, at v0, to an ApiVersions request of a version the broker
 * does not know, with UNSUPPORTED_VERSION, so the client can retry with one it supports.
 */
export function apiVersionsResponse(registry: HandlerRegistry, errorCode: number): ApiVersionsResponse {
  return {
    errorCode,
    apiKeys: registry.versionRanges(),
    throttleTimeMs: 0,
  };
}
