import { execFileSync } from 'node:child_process';
import path from 'node:path';
import type { DocumentRequest } from '@portal/contracts';
import { OutboxService } from '@portal/core';
import { startTestApp, type TestApp } from '@portal/testing';
import { alive, exited, killAll, ownRedis, redisServerInstalled, startWorkerProcess, until, type OwnRedis } from '../support/processes.js';

/**
 * A document job killed mid-render and retried gives exactly one document, and the serials stay gap-free:
 * worker A (a real process off BullMQ on a Redis of our own) is SIGKILLed while it issues certificates,
 * worker B takes over the jobs A held once their locks (JOB_LOCK_MS = 2 s) lapse. The serial is taken
 * inside the transaction that stores the document, so A's unfinished transactions leave no number behind.
 */

const ROOT = path.resolve(import.meta.dirname, '../..');
const N = 300;
const JOB_LOCK_MS = '2000';

const describeWithRedis = redisServerInstalled('document-job-kill.test.ts') ? describe : describe.skip;

let t: TestApp | undefined;
let redis: OwnRedis;

const request = (i: number, holderOrgId: number): DocumentRequest => ({
  kind: 'certificate',
  subjectKey: `fault:${i}`,
  generation: 1,
  holderOrgId,
  holderName: `温州故障测试企业${i}有限公司`,
  countyCode: '330302',
  authority: '温州市教育局',
  body: '经企业申报、县（市、区）推荐、市级复核、专家评审和公示，你单位被认定为温州市市级产教融合型企业。特发此证。',
  facts: [
    { label: '统一社会信用代码', value: '91330302MA2C8X1Y03' },
    { label: '认定级别', value: '市级' },
  ],
  validUntil: '2028-03-01T00:00:00.000Z',
});

const count = async (sql: string, params: unknown[] = []): Promise<number> => Number((await t!.ds.query(sql, params))[0].n);
const documents = () => count(`SELECT count(*)::int AS n FROM documents WHERE subject_key LIKE 'fault:%'`);
const unprocessed = () => count(`SELECT count(*)::int AS n FROM outbox WHERE job_name = 'documents.issue' AND processed_at IS NULL`);

describeWithRedis('a document worker killed mid-render', () => {
  beforeAll(async () => {
    // the worker runs the built code: make sure dist matches the sources under test
    execFileSync('npx', ['tsc', '-b', 'apps/api', 'apps/worker', 'libs/server/testing'], { cwd: ROOT, stdio: 'pipe', timeout: 240_000 });
    // our own Redis on a free port (never the machine's on 6379), in memory only
    redis = await ownRedis();
    // this process only writes outbox rows: the workers run the jobs
    t = await startTestApp({ JOBS_ENABLED: 'false' });
  }, 300_000);

  afterAll(async () => {
    await killAll(10_000);
    await t?.close();
  }, 60_000);

  it(`issues each of ${N} certificates exactly once, with consecutive serials, after worker A is SIGKILLed and worker B retries`, async () => {
    const [{ id: holderOrgId }] = await t!.ds.query(`SELECT id FROM organisations WHERE kind = 'enterprise' LIMIT 1`);
    const outbox = t!.app.get(OutboxService);
    await t!.ds.transaction(async (em) => {
      for (let i = 0; i < N; i++) {
        const r = request(i, holderOrgId);
        await outbox.enqueue(em, 'documents.issue', r, { dedupeKey: `document:${r.kind}:${r.subjectKey}:${r.generation}` });
      }
    });
    expect(await unprocessed()).toBe(N);

    const a = await startWorkerProcess('A', { DATABASE_URL: t!.config.databaseUrl!, REDIS_URL: redis.url, JOB_LOCK_MS });
    expect(await until(async () => (await documents()) >= 1, 60_000, 20)).toBe(true);
    a.kill('SIGKILL');
    await exited(a, 10_000);
    expect(a.signalCode).toBe('SIGKILL');

    const atKill = await documents();
    // A was killed part-way: documents remain to be issued, and A held jobs it never finished
    expect(atKill).toBeGreaterThanOrEqual(1);
    expect(atKill).toBeLessThan(N);
    expect(
      await count(`SELECT count(*)::int AS n FROM outbox WHERE job_name = 'documents.issue' AND published_at IS NOT NULL AND processed_at IS NULL`),
    ).toBeGreaterThan(0);

    const b = await startWorkerProcess('B', { DATABASE_URL: t!.config.databaseUrl!, REDIS_URL: redis.url, JOB_LOCK_MS });
    const finished = await until(async () => (await unprocessed()) === 0, 180_000, 250);
    expect({ finished, unprocessed: await unprocessed(), documents: await documents() }).toEqual({ finished: true, unprocessed: 0, documents: N });
    expect(alive(b)).toBe(true);

    // exactly one document per subject
    expect(await t!.ds.query(`SELECT subject_key, count(*)::int AS n FROM documents WHERE subject_key LIKE 'fault:%' GROUP BY 1 HAVING count(*) <> 1`)).toEqual(
      [],
    );
    expect(await count(`SELECT count(DISTINCT subject_key)::int AS n FROM documents WHERE subject_key LIKE 'fault:%'`)).toBe(N);

    // serials distinct and consecutive, with no number taken by A's killed transactions
    const rows: Array<{ serial: string }> = await t!.ds.query(`SELECT serial FROM documents WHERE kind = 'certificate' ORDER BY serial`);
    expect(rows).toHaveLength(N);
    expect(new Set(rows.map((r) => r.serial)).size).toBe(N);
    const year = rows[0].serial.split('-')[1];
    expect(rows.every((r) => r.serial.split('-')[1] === year)).toBe(true);
    const numbers = rows.map((r) => Number(r.serial.split('-')[2]));
    expect(numbers).toEqual(Array.from({ length: N }, (_, i) => i + 1));
    expect(await t!.ds.query(`SELECT last FROM document_serials WHERE kind = 'certificate'`)).toEqual([{ last: N }]);

    // the killed renders left no stored bytes behind, and every document's bytes are there
    expect(await count(`SELECT count(*)::int AS n FROM blobs b WHERE NOT EXISTS (SELECT 1 FROM documents d WHERE d.blob_key = b.key)`)).toBe(0);
    expect(
      await count(`SELECT count(*)::int AS n FROM documents d JOIN blobs b ON b.key = d.blob_key AND b.sha256 = d.sha256 WHERE d.subject_key LIKE 'fault:%'`),
    ).toBe(N);
    // and no job ended in failure
    expect(await count(`SELECT count(*)::int AS n FROM outbox WHERE job_name = 'documents.issue' AND last_error IS NOT NULL`)).toBe(0);
  }, 300_000);
});
