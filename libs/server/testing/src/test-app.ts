import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createApp } from '@portal/api';
import { AppConfig } from '@portal/core';
import type { DataSource } from 'typeorm';
import { DataSource as DataSourceToken } from 'typeorm';
import request from 'supertest';
import { createTestDatabase, demoPassword } from './test-database.js';

export interface TestApp {
  app: NestFastifyApplication;
  config: AppConfig;
  ds: DataSource;
  /** supertest against the app's server (no port needed) */
  http(): ReturnType<typeof request>;
  /** A bearer token for a user (demo password by default); cached per username. */
  token(username: string, password?: string): Promise<string>;
  /** Listen on a free loopback port (browser tests); answers the base URL. */
  listen(): Promise<string>;
  close(): Promise<void>;
}

/**
 * The whole API on its own cloned database, as `npm start` builds it (validation, filter, guards,
 * helmet, rate limits), minus the log output. `env` adds or overrides configuration variables.
 */
export async function startTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  const db = await createTestDatabase();
  const config = AppConfig.fromEnv({
    NODE_ENV: 'test',
    DATABASE_URL: db.url,
    DATABASE_POOL_SIZE: '5',
    RATE_LIMIT_PER_MINUTE: '1000000',
    LOG_LEVEL: 'silent',
    DEMO_PASSWORD: demoPassword(),
    ...env,
  });
  const app = await createApp(config, { logger: false });
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  const tokens = new Map<string, string>();
  const http = () => request(app.getHttpServer());
  return {
    app,
    config,
    ds: app.get(DataSourceToken),
    http,
    async token(username, password = demoPassword()) {
      const key = `${username}\u0000${password}`;
      const cached = tokens.get(key);
      if (cached) return cached;
      const res = await http().post('/api/auth/login').send({ username, password });
      if (res.status !== 200) throw new Error(`login as ${username} failed: ${res.status} ${JSON.stringify(res.body)}`);
      tokens.set(key, res.body.token);
      return res.body.token as string;
    },
    async listen() {
      await app.listen({ port: 0, host: '127.0.0.1' });
      const addr = app.getHttpServer().address();
      if (!addr || typeof addr === 'string') throw new Error('no address');
      return `http://127.0.0.1:${addr.port}`;
    },
    async close() {
      await app.close();
      await db.drop();
    },
  };
}
