import { ApiKey, ErrorCode, type DescribeClusterResponse } from "@kafscale/protocol";
import type { BrokerServices } from "../services.js";
import { defineHandler } from "./handler.js";

/** Kafka's "authorized operations not requested" value. */
const NO_OPERATIONS = -2147483648;

/** DescribeCluster endpoint types (v1+). */
const EndpointType = { UNKNOWN: 0, BROKER: 1, CONTROLLER: 2 } as const;

/**
 * DescribeCluster v0-1: this broker, which is also the cluster's controller as far as clients
 * can tell. Kafscale listeners are broker endpoints: asking for controllers (v1 endpointType
 * 2) answers MISMATCHED_ENDPOINT_TYPE and any other type UNSUPPORTED_ENDPOINT_TYPE, with the
 * messages of Kafka's `AuthHelper.computeDescribeClusterResponse`.
 */
export function describeClusterHandler(services: BrokerServices) {
  const { node, settings } = services;

  return defineHandler({
    apiKey: ApiKey.DescribeCluster,
    minVersion: 0,
    maxVersion: 1,
    handle(request, ctx): DescribeClusterResponse {
      const endpointType = ctx.apiVersion >= 1 ? (request.endpointType ?? EndpointType.BROKER) : EndpointType.BROKER;
      const refuse = (errorCode: number, errorMessage: string): DescribeClusterResponse => ({
        throttleTimeMs: 0,
        errorCode,
        errorMessage,
        endpointType,
        clusterId: settings.clusterId,
        controllerId: -1,
        brokers: [],
        clusterAuthorizedOperations: NO_OPERATIONS,
      });
      if (endpointType === EndpointType.CONTROLLER) {
        return refuse(ErrorCode.MISMATCHED_ENDPOINT_TYPE, "The request was sent to an endpoint of type BROKER, but we wanted an endpoint of type CONTROLLER");
      }
      if (endpointType !== EndpointType.BROKER) return refuse(ErrorCode.UNSUPPORTED_ENDPOINT_TYPE, `Unsupported endpoint type ${endpointType}`);
      return {
        throttleTimeMs: 0,
        errorCode: ErrorCode.NONE,
        errorMessage: null,
        endpointType,
        clusterId: settings.clusterId,
        controllerId: node.nodeId,
        brokers: [{ brokerId: node.nodeId, host: node.host, port: node.port, rack: node.rack }],
        clusterAuthorizedOperations: NO_OPERATIONS,
      };
    },
  });
}
