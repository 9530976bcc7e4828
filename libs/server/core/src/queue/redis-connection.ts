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
