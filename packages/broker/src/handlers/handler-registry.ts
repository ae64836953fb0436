import { apiByKey, type ApiKey } from "@kafscale/protocol";
import type { ApiHandler } from "./handler.js";

/** The handlers a broker serves, by API key. ApiVersions is derived from this registry. */
export class HandlerRegistry {
  private readonly byKey = new Map<number, ApiHandler>();

  constructor(handlers: readonly ApiHandler[]) {
    for (const h of handlers) this.register(h);
  }

  register(handler: ApiHandler): void {
    const api = apiByKey(handler.apiKey);
    if (api === undefined) throw new Error(`no API with key ${handler.apiKey}`);
    if (handler.minVersion < api.minVersion || handler.maxVersion > api.maxVersion || handler.minVersion > handler.maxVersion) {
      throw new Error(`${api.name} handler serves v${handler.minVersion}-${handler.maxVersion}, outside the codec's v${api.minVersion}-${api.maxVersion}`);
    }
    if (this.byKey.has(handler.apiKey)) throw new Error(`two handlers for ${api.name}`);
    this.byKey.set(handler.apiKey, handler as ApiHandler);
  }

  get(apiKey: number): ApiHandler | undefined {
    return this.byKey.get(apiKey);
  }

  /** True when the registry has a handler for the key at that version. */
  supports(apiKey: number, version: number): boolean {
    const h = this.byKey.get(apiKey);
    return h !== undefined && version >= h.minVersion && version <= h.maxVersion;
  }

  /** The ranges ApiVersions advertises, in key order. */
  versionRanges(): { apiKey: ApiKey; minVersion: number; maxVersion: number }[] {
    return [...this.byKey.values()]
      .map((h) => ({ apiKey: h.apiKey, minVersion: h.minVersion, maxVersion: h.maxVersion }))
      .sort((a, b) => a.apiKey - b.apiKey);
  }
}
