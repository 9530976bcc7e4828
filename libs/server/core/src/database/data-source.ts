import { PORTAL_TIME_ZONE } from '@portal/contracts';
import pg from 'pg';
import { DataSource, QueryFailedError, type DataSourceOptions, type MixedList, type EntitySchema } from 'typeorm';
import { SnakeNamingStrategy } from './naming-strategy.js';

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
type Ctor = Function;

const DATE_OID = 1082;

/**
 * A `date` column is a calendar date, not an instant: it reaches the code as its `YYYY-MM-DD` text. (node-pg's
 * default makes it a Date at the process's local midnight, which shifts it by a day in some time zones.)
 */
const portalTypes = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === DATE_OID && format !== 'binary'
      ? (v: string) => v
      : (pg.types.getTypeParser(oid, format) as (v: string) => unknown)) as typeof pg.types.getTypeParser,
};

/** The one shape of TypeORM options every process uses; synchronize is always off (migrations only). */
export function dataSourceOptions(params: {
  url: string;
  entities?: MixedList<Ctor | string | EntitySchema>;
  migrations?: MixedList<Ctor | string>;
  poolSize?: number;
  applicationName?: string;
}): DataSourceOptions {
  return {
    type: 'postgres',
    url: params.url,
    entities: params.entities ?? [],
    migrations: params.migrations ?? [],
    synchronize: false,
    migrationsRun: false,
    namingStrategy: new SnakeNamingStrategy(),
    poolSize: params.poolSize ?? 10,
    applicationName: params.applicationName ?? 'portal',
    // Sessions run in the portal's time zone: current_date, ::date and date_trunc give Wenzhou's dates.
    extra: { options: `-c timezone=${PORTAL_TIME_ZONE}`, types: portalTypes },
  };
}

/** Run `fn` holding a cluster-wide advisory lock so that several instances starting at once take turns. */
export async function withAdvisoryLock<T>(ds: DataSource, key: number, fn: () => Promise<T>): Promise<T> {
  const runner = ds.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [key]);
    try {
      return await fn();
    } finally {
      await runner.query('SELECT pg_advisory_unlock($1)', [key]);
    }
  } finally {
    await runner.release();
  }
}

/**
 * Rows of a statement that (nearly) every request runs, prepared once per pooled connection (PostgreSQL parses and
 * plans it once, then only binds and executes) and sent on the pool under TypeORM without its query runner, whose
 * wrapping cost more than the statement. A failure is a QueryFailedError, as through TypeORM. `name` must be unique
 * to `text` in the process.
 */
export async function preparedRows<T extends pg.QueryResultRow>(ds: DataSource, name: string, text: string, values: unknown[]): Promise<T[]> {
  const pool = (ds.driver as unknown as { master: pg.Pool }).master;
  try {
    return (await pool.query<T>({ name, text, values })).rows;
  } catch (e) {
    throw new QueryFailedError(text, values, e as Error);
  }
}

/**
 * `SELECT 1` on the pool under TypeORM (the health check): a plain-text simple query, as any pg client sends it — no
 * query runner (TypeORM creates and releases one per statement), no named statement (node-postgres copies an object
 * query config property by property and sends a prepared statement's messages in several parts). Rejects as the
 * query would.
 */
export async function pingDatabase(ds: DataSource): Promise<void> {
  const pool = (ds.driver as unknown as { master: pg.Pool }).master;
  await pool.query('SELECT 1');
}
