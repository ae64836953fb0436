import { ApiKey, type JoinGroupResponse } from "@kafscale/protocol";
import type { BrokerServices } from "../services.js";
import { defineHandler, type RequestContext } from "./handler.js";

/**
 * JoinGroup v0-9, answered by the group coordinator. The answer may wait for the other members
 * (up to the rebalance timeout); the connection keeps answering its requests in order meanwhile.
 */
export function joinGroupHandler(services: BrokerServices) {
  return defineHandler({
    apiKey: ApiKey.JoinGroup,
    minVersion: 0,
    maxVersion: 9,
    handle: (request, ctx): Promise<JoinGroupResponse> =>
      services.groups.joinGroup(request, { apiVersion: ctx.apiVersion, clientId: ctx.clientId, clientHost: kafkaClientHost(ctx) }),
  });
}

/**
 * The member's host as Kafka shows it in DescribeGroups: Java's `InetAddress.toString()`, "/"
 * and the address, with an IPv4 address seen through an IPv6 socket written as IPv4.
 */
export function kafkaClientHost(ctx: Pick<RequestContext, "clientHost">): string {
  const host = ctx.clientHost.startsWith("::ffff:") && ctx.clientHost.includes(".") ? ctx.clientHost.slice("::ffff:".length) : ctx.clientHost;
  return `/${host}`;
}
