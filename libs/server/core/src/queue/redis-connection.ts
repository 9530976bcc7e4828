import { Redis, type RedisOptions } from 'ioredis';

/**
 * Options for every Redis connection we open. `enableOfflineQueue: false` makes commands fail at once
 * while Redis is down instead of waiting forever (STACK.md) — state changes never wait on Redis.
 */
export function redisOptions(url: string, extra: RedisOptions = {}): RedisOptions & { url: string } {
  return { url, enableOfflineQueue: false, maxRetriesPerRequest: null, lazyConnect: true, ...extra };
}

export function createRedis(url: string, extra: RedisOptions = {}): Redis {
  const { url: u, ...opts } = redisOptions(url, extra);
  return new Redis(u, opts);
}

/** Ping Redis with a deadline; answers 'up' or the reason it is not. */
export async function pingRedis(url: string, timeoutMs = 1000): Promise<{ status: 'up' | 'down'; error?: string }> {
  const client = createRedis(url, { retryStrategy: () => null, connectTimeout: timeoutMs });
  client.on('error', () => {});
  try {
    await Promise.race([client.connect().then(() => client.ping()), new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), timeoutMs))]);
    return { status: 'up' };
  } catch (e) {
    return { status: 'down', error: (e as Error).message };
  } finally {
    client.disconnect();
  }
}

/**
 * Whether Redis answers, on one long-lived connection (the health check): not a new connection per request, which a
 * busy health check (a load balancer's, or anyone's: the route is public) would turn into a connection storm. While
 * Redis is down a ping fails at once (no offline queue) and the client reconnects by itself.
 */
export class RedisProbe {
  private client?: Redis;

  constructor(private readonly url: string) {}

  /** the connection's name in Redis's CLIENT LIST */
  static readonly connectionName = `portal:health:${process.pid}`;

  async ping(timeoutMs = 1000): Promise<{ status: 'up' | 'down'; error?: string }> {
    let timer: NodeJS.Timeout | undefined;
    try {
      if (!this.client) {
        this.client = createRedis(this.url, { connectTimeout: timeoutMs, connectionName: RedisProbe.connectionName });
        this.client.on('error', () => {});
      }
      const client = this.client;
      const ping = (client.status === 'wait' ? client.connect() : Promise.resolve()).then(() => client.ping());
      await Promise.race([ping, new Promise((_, reject) => (timer = setTimeout(() => reject(new Error('timeout')), timeoutMs)))]);
      return { status: 'up' };
    } catch (e) {
      return { status: 'down', error: (e as Error).message };
    } finally {
      clearTimeout(timer);
    }
  }

  close(): void {
    this.client?.disconnect();
    this.client = undefined;
  }
}
