import { jest } from '@jest/globals';
import type { EvidenceItem } from '@portal/contracts';
import { LinkedEvidenceRegistry } from '@portal/core';
import { startTestApp, type TestApp } from '@portal/testing';
import { act, auth, draft, fill, newApplicant, type Applicant } from '../support/certification.js';

/**
 * The portal's own records count as an enterprise's cooperation evidence (DOMAIN.md §1): what the registered
 * sources find for the enterprise is shown on its application, counted by the eligibility rules and frozen by
 * the submission. The features' own sources (order classes, practice) are tested with them; here a source of
 * the test's own stands for them.
 */
let t: TestApp;
const found = new Map<number, EvidenceItem[]>();

beforeAll(async () => {
  t = await startTestApp({ JOBS_ENABLED: 'false' });
  // the features register their own sources when the app boots (order classes: 'order_class'); the test's stand-in
  // answers for all of them, so that what it finds is exactly what the test put there
  jest.spyOn(t.app.get(LinkedEvidenceRegistry), 'list').mockImplementation((_em, orgId) => Promise.resolve(found.get(orgId) ?? []));
});
afterAll(async () => {
  await t.close();
});

const item = (n: number): EvidenceItem => ({
  type: 'order_class',
  description: `订单班 ${n}`,
  schoolName: '温州职业技术学院',
  year: 2024,
  count: 1,
  source: 'order_class',
  sourceRef: `order-classes/${n}`,
});

async function withOneTypedItem(who: Applicant) {
  const app = await fill(t, who, await draft(t, who));
  const res = await t
    .http()
    .put(`/api/certification-applications/${app.id}`)
    .set('Authorization', await auth(t, who))
    .send({ dataVersion: app.dataVersion, evidence: [{ type: 'internship', description: '接收实习生', year: 2024, count: 10, source: 'manual' }] });
  expect(res.status).toBe(200);
  return res.body as { id: number; dataVersion: number; caseRef: string };
}

const rule = async (who: Applicant, id: number) =>
  (
    await t
      .http()
      .get(`/api/certification-applications/${id}/eligibility`)
      .set('Authorization', await auth(t, who))
  ).body.find((r: { code: string }) => r.code === 'evidence_count') as { status: string; message: string };

it('the detail lists the linked items beside the typed ones; the eligibility rule counts both', async () => {
  const who = await newApplicant(t);
  const app = await withOneTypedItem(who);
  expect(await rule(who, app.id)).toMatchObject({ status: 'block', message: '校企合作佐证 1 条，不足 3 条' });

  found.set(who.organisationId, [item(1), item(2)]);
  const detail = await t
    .http()
    .get(`/api/certification-applications/${app.id}`)
    .set('Authorization', await auth(t, who));
  expect(detail.body.evidence).toHaveLength(1);
  // the stand-in's items name order classes that are not this enterprise's to open: shown, but not linked (who gets
  // a link to which record: evidence-links.test.ts)
  expect(detail.body.linkedEvidence).toEqual([item(1), item(2)].map(({ sourceRef: _, ...unlinked }) => unlinked));
  expect(await rule(who, app.id)).toMatchObject({ status: 'pass', message: '已提供 3 条校企合作佐证' });

  // lists carry no linked evidence (no per-row queries)
  const list = await t
    .http()
    .get(`/api/certification-applications?filter=${encodeURIComponent(JSON.stringify({ id: [app.id] }))}`)
    .set('Authorization', await auth(t, who));
  expect(list.status).toBe(200);
  expect(list.body).toHaveLength(1);
  expect(list.body[0].linkedEvidence).toBeUndefined();
});

it('the submission freezes the linked items as they were', async () => {
  const who = await newApplicant(t);
  const app = await withOneTypedItem(who);
  found.set(who.organisationId, [item(3), item(4)]);
  const res = await act(t, who, app.id, { action: 'submit' });
  expect(res.status).toBe(200);
  found.set(who.organisationId, []);
  const [snap] = await t.ds.query<Array<{ data: { linkedEvidence: EvidenceItem[]; evidence: EvidenceItem[] } }>>(
    `SELECT data FROM case_snapshots WHERE case_id = $1 ORDER BY seq DESC LIMIT 1`,
    [Number(app.caseRef.split(':')[1])],
  );
  expect(snap.data.linkedEvidence).toEqual([item(3), item(4)]);
  expect(snap.data.evidence).toHaveLength(1);
});
