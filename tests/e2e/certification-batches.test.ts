import { startTestApp, type TestApp } from '@portal/testing';
import { atDecision, auth, cityReviewer, newApplicant, submitted } from '../support/certification.js';

/**
 * Issue 9, items 3 and 6: a batch decision reports each skipped application with its reason, and a
 * batch's progress and state come from its items, so a batch cut short by a crash says so instead of
 * "5/25, running" forever, and a batch where nothing passed never says "已全部签发".
 */

let t: TestApp;
let decider: string;
beforeAll(async () => {
  t = await startTestApp();
  decider = await cityReviewer(t, 'city_batches');
});
afterAll(() => t.close());

async function runBatch(ids: number[]) {
  return t
    .http()
    .post('/api/certification-applications/batch-actions')
    .set('Authorization', await auth(t, decider))
    .send({ ids, action: 'certify' });
}
async function batchDto(id: number) {
  const res = await t
    .http()
    .get(`/api/document-batches/${id}`)
    .set('Authorization', await auth(t, decider));
  expect(res.status).toBe(200);
  return res.body;
}

describe('batch progress from its items', () => {
  it('a batch where every application is skipped lists each with its reason and is finished with nothing to issue', async () => {
    const a = await submitted(t, await newApplicant(t)); // at 县级初审: not a decision to take
    const res = await runBatch([a.id, 999_999]);
    expect(res.status).toBe(200);
    expect(res.body.results).toEqual([
      { id: a.id, ok: false, status: 409, message: expect.stringContaining('县级初审') },
      { id: 999_999, ok: false, status: 404, message: expect.any(String) },
    ]);
    await t.drain();
    const b = await batchDto(res.body.batchId);
    expect(b).toMatchObject({ state: 'finished', items: 2, acted: 0, skipped: 2, pending: 0, total: 0, done: 0, failed: 0, finished: true });
    expect(b.skippedItems).toEqual([
      { id: a.id, label: a.enterpriseName, reason: expect.stringContaining('县级初审') },
      { id: 999_999, label: null, reason: expect.stringMatching(/[\u4e00-\u9fa5]/) },
    ]);
  });

  it('a batch cut short by a crash shows its real progress and "interrupted", not running forever', async () => {
    const apps = [];
    for (let i = 0; i < 3; i++) apps.push(await atDecision(t, await newApplicant(t)));
    // the second decision crashes the run (as a dying process would): the database refuses its update
    await t.ds.query(`CREATE FUNCTION crash_batch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'simulated crash'; END $$`);
    await t.ds.query(
      `CREATE TRIGGER crash_batch BEFORE UPDATE ON cases FOR EACH ROW WHEN (NEW.id = ${Number(apps[1].case.caseId)} AND NEW.state = 'certified') EXECUTE FUNCTION crash_batch()`,
    );
    try {
      const res = await runBatch(apps.map((a) => a.id));
      expect(res.status).toBe(500);
    } finally {
      await t.ds.query(`DROP TRIGGER crash_batch ON cases; DROP FUNCTION crash_batch()`);
    }
    await t.drain();
    const [{ id }] = await t.ds.query(`SELECT max(id)::int AS id FROM document_batches`);
    const b = await batchDto(id);
    expect(b).toMatchObject({ state: 'interrupted', items: 3, acted: 1, skipped: 0, pending: 2, total: 1, done: 1, failed: 0, finished: true });
  });
});
