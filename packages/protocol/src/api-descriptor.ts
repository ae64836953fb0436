import type { MessageCodec } from "./codec/index.js";

/** One Kafka API as the spec folder describes it. */
export interface ApiDescriptor<Req = unknown, Res = unknown> {
  readonly apiKey: number;
  readonly name: string;
  readonly minVersion: number;
  readonly maxVersion: number;
  /** The first flexible version, or -1 when no version is flexible. */
  readonly flexibleMinVersion: number;
  readonly deprecatedVersions: { readonly min: number; readonly max: number } | null;
  /** True when the spec marks the newest version as not yet stable. */
  readonly latestVersionUnstable: boolean;
  /** Which Kafka listeners serve it: "broker", "controller", "zkBroker". */
  readonly listeners: readonly string[];
  readonly request: MessageCodec<Req>;
  readonly response: MessageCodec<Res>;
}
