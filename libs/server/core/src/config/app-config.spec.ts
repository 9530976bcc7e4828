import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { AppConfig } from './app-config.js';

const here = path.dirname(fileURLToPath(import.meta.url));

describe('AppConfig', () => {
  it('has working defaults with an empty environment', () => {
    const c = AppConfig.fromEnv({});
    expect(c.port).toBe(3000);
    expect(c.databaseUrl).toBeUndefined();
    expect(c.redisUrl).toBeUndefined();
    expect(c.queueMode).toBe('embedded');
    expect(c.publicBaseUrl).toBe('http://localhost:3000');
    expect(c.dataDir).toBe(path.resolve('.data'));
  });

  it('reads and validates the documented variables', () => {
    const c = AppConfig.fromEnv({ PORT: '8080', REDIS_URL: 'redis://127.0.0.1:6379', PUBLIC_BASE_URL: 'https://cjrh.wenzhou.example/', LOG_PRETTY: 'yes' });
    expect(c.port).toBe(8080);
    expect(c.queueMode).toBe('bullmq');
    expect(c.publicBaseUrl).toBe('https://cjrh.wenzhou.example');
    expect(c.logPretty).toBe(true);
  });

  it('refuses to start on malformed values, naming every one', () => {
    expect(() => AppConfig.fromEnv({ PORT: 'eighty', DATABASE_URL: 'mysql://x', JWT_SECRET: 'short', SEED_DEMO: 'maybe' })).toThrow(
      /PORT[\s\S]*DATABASE_URL[\s\S]*JWT_SECRET[\s\S]*SEED_DEMO/,
    );
  });

  it('TRUST_PROXY: none by default, a list of addresses and CIDRs, anything else refused', () => {
    expect(AppConfig.fromEnv({}).trustProxy).toEqual([]);
    expect(AppConfig.fromEnv({ TRUST_PROXY: '172.28.0.10, 10.0.0.0/8,::1, fd00::/8' }).trustProxy).toEqual(['172.28.0.10', '10.0.0.0/8', '::1', 'fd00::/8']);
    for (const bad of ['true', '*', '10.0.0.0/33', 'proxy.local', '10.0.0.1/8/1', '::1/129']) {
      expect(() => AppConfig.fromEnv({ TRUST_PROXY: bad })).toThrow(/TRUST_PROXY/);
    }
  });

  it('JSON_MAX_DEPTH defaults to 32', () => {
    expect(AppConfig.fromEnv({}).jsonMaxDepth).toBe(32);
    expect(AppConfig.fromEnv({ JSON_MAX_DEPTH: '8' }).jsonMaxDepth).toBe(8);
    expect(() => AppConfig.fromEnv({ JSON_MAX_DEPTH: '1' })).toThrow(/JSON_MAX_DEPTH/);
  });

  it('DEMO_CITY_SIZE defaults to a city of 120 enterprises; 0 turns it off; a non-integer or negative size is refused', () => {
    expect(AppConfig.fromEnv({}).demoCitySize).toBe(120);
    expect(AppConfig.fromEnv({ DEMO_CITY_SIZE: '0' }).demoCitySize).toBe(0);
    for (const bad of ['-1', 'many', '1.5', '300000']) expect(() => AppConfig.fromEnv({ DEMO_CITY_SIZE: bad })).toThrow(/DEMO_CITY_SIZE must be an integer/);
  });

  it('documents in the README every variable it reads', () => {
    const source = readFileSync(path.join(here, 'app-config.ts'), 'utf8');
    const read = [...source.matchAll(/(?:int|str|bool|url)\('([A-Z_]+)'/g)].map((m) => m[1]);
    expect(read.length).toBeGreaterThan(10);
    const readme = readFileSync(path.resolve(here, '../../../../../README.md'), 'utf8');
    const documented = [...readme.matchAll(/^\| `([A-Z_]+)` \|/gm)].map((m) => m[1]);
    expect([...new Set(read)].sort()).toEqual([...new Set(documented)].sort());
  });
});
