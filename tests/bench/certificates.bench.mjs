// Certificates per second through the full job path (outbox → job → render → blob → row) versus bare
// pdfkit rendering the same page with the same parsed font, side by side in one run; then the memory of
// a 10,000-certificate batch. Run: `npm run build && node tests/bench/certificates.bench.mjs [N] [BATCH]`.
// Uses DATABASE_URL's server when set, else an embedded PostgreSQL in a temporary directory.
import { NestFactory } from '@nestjs/core';
import { AppConfig, JobsService, OutboxService } from '@portal/core';
import { renderDocument } from '@portal/documents';
import { WorkerModule } from '@portal/worker';
import { DataSource } from 'typeorm';
import { scratchDatabase } from './scratch-database.mjs';

const N = Number(process.argv[2] ?? 300);
const BATCH = Number(process.argv[3] ?? 10_000);

const request = (i) => ({
  kind: 'certificate',
  subjectKey: `bench:${i}`,
  generation: 1,
  holderOrgId: 0,
  holderName: `温州瓯江电气科技有限公司${i}`,
  countyCode: '330302',
  authority: '温州市教育局',
  body: '经企业申报、县（市、区）推荐、市级复核、专家评审和公示，你单位被认定为温州市市级产教融合型企业。特发此证。',
  facts: [
    { label: '统一社会信用代码', value: '91330302MA2C8X1Y03' },
    { label: '认定级别', value: '市级' },
    { label: '有效期', value: '三年' },
  ],
  validUntil: '2029-11-22T00:00:00Z',
});

async function bare(n) {
  await renderDocument(request(-1), { serial: 'WZCJ-2026-00000', issuedAt: new Date(), verifyUrl: 'http://localhost:3000/verify/X' }); // parse the font once
  const t0 = performance.now();
  for (let i = 0; i < n; i++)
    await renderDocument(request(i), {
      serial: `WZCJ-2026-${String(i).padStart(5, '0')}`,
      issuedAt: new Date(),
      verifyUrl: `http://localhost:3000/verify/${i}`,
    });
  return n / ((performance.now() - t0) / 1000);
}

async function main() {
  const db = await scratchDatabase({ demoPassword: 'Bench@2025' });
  const url = db.url;
  // the worker context with in-process jobs (no REDIS_URL): the embedded default's full job path
  const config = AppConfig.fromEnv({ DATABASE_URL: url, LOG_LEVEL: 'silent', JOBS_ENABLED: 'true' });
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(config), { logger: false });
  await app.init();
  const ds = app.get(DataSource);
  const outbox = app.get(OutboxService);
  const jobs = app.get(JobsService);
  const [{ id: orgId }] = await ds.query(`SELECT id FROM organisations WHERE kind = 'enterprise' LIMIT 1`);

  async function throughJobs(from, n, sample) {
    await ds.transaction(async (em) => {
      for (let i = from; i < from + n; i++) await outbox.enqueue(em, 'documents.issue', { ...request(i), holderOrgId: orgId });
    });
    const t0 = performance.now();
    await jobs.drain(3_600_000);
    const secs = (performance.now() - t0) / 1000;
    sample?.();
    return n / secs;
  }

  const bareRate = await bare(N);
  const jobRate = await throughJobs(0, N);
  console.log(
    `certificates/s: bare pdfkit ${bareRate.toFixed(1)}, full job path ${jobRate.toFixed(1)}, ratio ${(jobRate / bareRate).toFixed(2)} (goal ≥ 0.5 and ≥ 50/s)`,
  );

  const [{ avg }] = await ds.query(`SELECT avg(size)::int AS avg FROM documents`);
  console.log(`average certificate size: ${(avg / 1024).toFixed(1)} KB (goal < 200 KB)`);

  if (BATCH > 0) {
    let peak = 0;
    const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 100);
    const rate = await throughJobs(N, BATCH);
    clearInterval(timer);
    peak = Math.max(peak, process.memoryUsage().rss);
    const [{ n }] = await ds.query(`SELECT count(*)::int AS n FROM documents`);
    console.log(
      `batch of ${BATCH}: ${rate.toFixed(1)} certificates/s, peak worker RSS ${(peak / 1024 / 1024).toFixed(0)} MB (goal < 500 MB), documents stored ${n}`,
    );
  }
  await app.close();
  await db.close();
}

await main();
