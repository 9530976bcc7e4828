/** The little of the HTTP reply and request the controllers touch (Fastify's, without depending on it). */
export interface ReplyHeaders {
  header(name: string, value: string): unknown;
}
export interface RequestInfo {
  ip?: string;
  headers: Record<string, string | string[] | undefined>;
}
