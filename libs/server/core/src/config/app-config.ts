import { randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import path from 'node:path';

type Env = Record<string, string | undefined>;

/**
 * Typed, validated configuration: the only place that reads process.env (DESIGN.md). Everything else
 * asks for AppConfig through dependency injection or receives it as an argument.
 */
export class AppConfig {
  readonly nodeEnv: string;
  readonly host: string;
  readonly port: number;
  readonly dataDir: string;
  /** Set when the operator gives DATABASE_URL; otherwise the embedded PostgreSQL is started under dataDir. */
  readonly databaseUrl: string | undefined;
  readonly databasePoolSize: number;
  readonly redisUrl: string | undefined;
  readonly publicBaseUrl: string;
  /** When unset, a secret is generated once and kept in the database, shared by every instance. */
  readonly jwtSecret: string | undefined;
  /**
   * The secret that personal data (ID numbers, phones) is encrypted and hashed under (FIELD_ENCRYPTION_KEY,
   * at least 32 characters). When unset, one is generated on first start and kept in the database — fine for
   * a trial; in production give it from outside the database, or a copy of the database carries its own key.
   */
  readonly fieldEncryptionKey: string | undefined;
  readonly logLevel: string;
  readonly logPretty: boolean;
  /** LOG_FILE: append the JSON log lines to this file instead of standard output */
  readonly logFile: string | undefined;
  readonly bodyLimitBytes: number;
  /** Deepest nesting of arrays and objects a JSON body may have (checked in one pass before parsing). */
  readonly jsonMaxDepth: number;
  /**
   * Proxies whose X-Forwarded-For is believed (addresses or CIDRs, as Fastify's trustProxy takes them);
   * empty: none, the client address is the socket's, whatever headers say.
   */
  readonly trustProxy: string[];
  readonly webDist: string | undefined;
  readonly demoPassword: string;
  readonly seedDemo: boolean;
  /**
   * How many enterprises the generated demo city has (seeds/city; other counts follow by fixed ratios); 0 = none.
   * Loaded with the demo accounts (SEED_DEMO) on first start only.
   */
  readonly demoCitySize: number;
  readonly rateLimitPerMinute: number;
  readonly smtpUrl: string | undefined;
  /** Whether this process runs background jobs at all (tests of pure HTTP behaviour may turn it off). */
  readonly jobsEnabled: boolean;
  /** How long a BullMQ worker holds a job before another may take it (a killed worker's job comes back after this). */
  readonly jobLockMs: number;

  private constructor(env: Env, overrides: Partial<AppConfig> = {}) {
    const errors: string[] = [];
    const int = (name: string, def: number, min = 0, max = Number.MAX_SAFE_INTEGER): number => {
      const raw = env[name];
      if (raw === undefined || raw === '') return def;
      const n = Number(raw);
      if (!Number.isInteger(n) || n < min || n > max) {
        errors.push(`${name} must be an integer in [${min}, ${max}], got "${raw}"`);
        return def;
      }
      return n;
    };
    const str = (name: string): string | undefined => {
      const v = env[name];
      return v === undefined || v.trim() === '' ? undefined : v.trim();
    };
    const bool = (name: string, def: boolean): boolean => {
      const v = str(name);
      if (v === undefined) return def;
      if (/^(1|true|yes|on)$/i.test(v)) return true;
      if (/^(0|false|no|off)$/i.test(v)) return false;
      errors.push(`${name} must be true or false, got "${v}"`);
      return def;
    };
    const url = (name: string, protocols: string[]): string | undefined => {
      const v = str(name);
      if (v === undefined) return undefined;
      try {
        const u = new URL(v);
        if (!protocols.includes(u.protocol)) errors.push(`${name} must use ${protocols.join(' or ')}, got "${u.protocol}"`);
      } catch {
        errors.push(`${name} is not a valid URL`);
      }
      return v;
    };

    this.nodeEnv = str('NODE_ENV') ?? 'production';
    this.host = str('HOST') ?? '127.0.0.1';
    this.port = int('PORT', 3000, 0, 65535);
    this.dataDir = path.resolve(str('DATA_DIR') ?? '.data');
    this.databaseUrl = url('DATABASE_URL', ['postgres:', 'postgresql:']);
    this.databasePoolSize = int('DATABASE_POOL_SIZE', 10, 1, 200);
    this.redisUrl = url('REDIS_URL', ['redis:', 'rediss:']);
    this.publicBaseUrl = (str('PUBLIC_BASE_URL') ?? `http://localhost:${this.port}`).replace(/\/+$/, '');
    this.jwtSecret = str('JWT_SECRET');
    if (this.jwtSecret !== undefined && this.jwtSecret.length < 32) errors.push('JWT_SECRET must be at least 32 characters');
    this.fieldEncryptionKey = str('FIELD_ENCRYPTION_KEY');
    if (this.fieldEncryptionKey !== undefined && this.fieldEncryptionKey.length < 32) errors.push('FIELD_ENCRYPTION_KEY must be at least 32 characters');
    this.logLevel = str('LOG_LEVEL') ?? 'info';
    this.logPretty = bool('LOG_PRETTY', false);
    this.logFile = str('LOG_FILE');
    this.bodyLimitBytes = int('BODY_LIMIT_BYTES', 1024 * 1024, 1024, 100 * 1024 * 1024);
    this.jsonMaxDepth = int('JSON_MAX_DEPTH', 32, 2, 1000);
    const proxies = str('TRUST_PROXY');
    this.trustProxy =
      proxies === undefined
        ? []
        : proxies
            .split(',')
            .map((p) => p.trim())
            .filter(Boolean);
    const badProxies = this.trustProxy.filter((p) => !isAddressOrCidr(p));
    if (badProxies.length) errors.push(`TRUST_PROXY must list IP addresses or CIDRs (e.g. 10.0.0.5, 172.28.0.0/16), got "${badProxies.join('", "')}"`);
    this.webDist = str('WEB_DIST');
    this.demoPassword = str('DEMO_PASSWORD') ?? 'Demo@2025';
    this.seedDemo = bool('SEED_DEMO', true);
    this.demoCitySize = int('DEMO_CITY_SIZE', 120, 0, 200_000);
    this.rateLimitPerMinute = int('RATE_LIMIT_PER_MINUTE', 600, 1, 1_000_000);
    this.smtpUrl = url('SMTP_URL', ['smtp:', 'smtps:']);
    this.jobsEnabled = bool('JOBS_ENABLED', true);
    this.jobLockMs = int('JOB_LOCK_MS', 30_000, 1000, 3_600_000);

    Object.assign(this, overrides);
    if (errors.length) throw new Error(`Invalid configuration:\n  - ${errors.join('\n  - ')}`);
  }

  /** Read and validate the environment; throws listing every bad variable. */
  static fromEnv(env: Env = process.env, overrides: Partial<AppConfig> = {}): AppConfig {
    return new AppConfig(env, overrides);
  }

  /** A copy with some values replaced (tests, and the resolved embedded database URL). */
  with(overrides: Partial<AppConfig>): AppConfig {
    const copy = Object.create(AppConfig.prototype) as AppConfig;
    Object.assign(copy, this, overrides);
    return copy;
  }

  get isProduction(): boolean {
    return this.nodeEnv === 'production';
  }

  get queueMode(): 'bullmq' | 'embedded' {
    return this.redisUrl ? 'bullmq' : 'embedded';
  }
}

/** `10.0.0.5`, `172.28.0.0/16`, `::1`, `fd00::/8`: an address, or a network with a prefix length that fits it. */
export function isAddressOrCidr(value: string): boolean {
  const [address, prefix, ...rest] = value.split('/');
  const family = isIP(address ?? '');
  if (!family || rest.length) return false;
  if (prefix === undefined) return true;
  if (!/^\d{1,3}$/.test(prefix)) return false;
  return Number(prefix) <= (family === 4 ? 32 : 128);
}

export function randomSecret(): string {
  return randomBytes(32).toString('base64url');
}
