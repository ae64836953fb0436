import type { JoinGroupResponse } from "@kafscale/protocol";
import type { JoinWaiter, MemberProtocol } from "./member.js";

/** A JoinGroup request, normalized across versions. */
export interface JoinParams {
  readonly apiVersion: number;
  readonly memberId: string;
  readonly groupInstanceId: string | null;
  readonly clientId: string;
  readonly clientHost: string;
  readonly sessionTimeoutMs: number;
  readonly rebalanceTimeoutMs: number;
  readonly protocolType: string;
  readonly protocols: readonly MemberProtocol[];
}

/** An answer given at once. */
export const answer = (response: JoinGroupResponse): Promise<JoinGroupResponse> => Promise.resolve(response);

/** A JoinGroup answer to be given later, through the waiter. */
export function park(apiVersion: number): { promise: Promise<JoinGroupResponse>; waiter: JoinWaiter } {
  let resolve: (response: JoinGroupResponse) => void = () => {};
  const promise = new Promise<JoinGroupResponse>((r) => {
    resolve = r;
  });
  return { promise, waiter: { apiVersion, resolve } };
}
