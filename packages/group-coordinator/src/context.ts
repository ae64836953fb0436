/**
 * What the broker knows about the request it hands to the coordinator. The broker's own
 * handler context (which has more fields) fits as it is.
 */
export interface RequestContext {
  /** The request's API version: answers and some rules depend on it. */
  readonly apiVersion: number;
  /** The client id from the request header, null when absent (new member ids start with it). */
  readonly clientId: string | null;
  /** The client's address, as DescribeGroups shows it (Kafka shows "/" + IP). */
  readonly clientHost: string;
}
