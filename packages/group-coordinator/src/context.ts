/** What the broker knows about the request it hands to the coordinator. */
export interface RequestContext {
  /** The request's API version: answers and some rules depend on it. */
  readonly apiVersion: number;
  /** The client id from the request header (new member ids start with it). */
  readonly clientId: string;
  /** The client's address, as DescribeGroups shows it (Kafka shows "/" + IP). */
  readonly clientHost: string;
}
