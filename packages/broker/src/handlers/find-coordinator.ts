import { ApiKey, ErrorCode, type FindCoordinatorResponse, type FindCoordinatorResponseCoordinator } from "@kafscale/protocol";
import type { BrokerServices } from "../services.js";
import { defineHandler } from "./handler.js";

/** FindCoordinator key types. */
const GROUP_KEY = 0;
const TRANSACTION_KEY = 1;

const TRANSACTIONS_UNSUPPORTED = "Kafscale does not support transactions yet: there is no transaction coordinator";

interface Lookup {
  errorCode: number;
  errorMessage: string | null;
  nodeId: number;
  host: string;
  port: number;
}

/**
 * FindCoordinator v0-6. This broker coordinates every group, so a group key (type 0) is answered
 * with this broker. There is no transaction coordinator yet: a transactional id (type 1) gets
 * COORDINATOR_NOT_AVAILABLE with a message saying so; any other key type is an INVALID_REQUEST.
 * v0-3 ask for one key; v4+ for a batch of keys of one type, each answered on its own.
 */
export function findCoordinatorHandler(services: BrokerServices) {
  const { node } = services;

  function lookup(keyType: number): Lookup {
    const failed = (errorCode: number, errorMessage: string): Lookup => ({ errorCode, errorMessage, nodeId: -1, host: "", port: -1 });
    switch (keyType) {
      case GROUP_KEY:
        return { errorCode: ErrorCode.NONE, errorMessage: null, nodeId: node.nodeId, host: node.host, port: node.port };
      case TRANSACTION_KEY:
        return failed(ErrorCode.COORDINATOR_NOT_AVAILABLE, TRANSACTIONS_UNSUPPORTED);
      default:
        return failed(ErrorCode.INVALID_REQUEST, `unknown coordinator key type ${keyType}`);
    }
  }

  return defineHandler({
    apiKey: ApiKey.FindCoordinator,
    minVersion: 0,
    maxVersion: 6,
    handle(request, ctx): FindCoordinatorResponse {
      const found = lookup(request.keyType ?? GROUP_KEY);
      if (ctx.apiVersion < 4) return { throttleTimeMs: 0, ...found };
      const coordinators = (request.coordinatorKeys ?? []).map((key): FindCoordinatorResponseCoordinator => ({ key, ...found }));
      return { throttleTimeMs: 0, coordinators };
    },
  });
}
