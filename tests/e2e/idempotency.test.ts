import { startTestApp, userId, type TestApp } from '@portal/testing';
import { auth, cityReviewer, countOf, newApplicant } from '../support/certification.js';

/**
 * Identical creation requests sent many times at once (a double click, a client's retries): with an
 * `Idempotency-Key` they answer the first request's result; without one a natural key (one open record
 * case per enterprise, level and document number; one active delegation per principal, delegate and
 * period) lets one through and answers the others 409. Never a second row, never a 5xx.
 */

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
  await cityReviewer(t, 'city_idem_b');
});
afterAll(() => t.close());

const statuses = (rs: Array<{ status: number }>) => {
  const by: Record<number, number> = {};
  for (const r of rs) by[r.status] = (by[r.status] ?? 0) + 1;
  return by;
};

const BODY = { level: 'provincial', documentNo: '浙发改社会〔2025〕31号', certifiedAt: '2025-05-01' };

describe('POST /certification-records', () => {
  it('20 identical requests at once without a key: one record case, the other 19 are 409 naming the record', async () => {
    const e = await newApplicant(t);
    const token = await auth(t, e);
    const rs = await Promise.all(Array.from({ length: 20 }, () => t.http().post('/api/certification-records').set('Authorization', token).send(BODY)));
    expect(statuses(rs)).toEqual({ 201: 1, 409: 19 });
    const created = rs.find((r) => r.status === 201)!;
    for (const r of rs.filter((x) => x.status === 409)) {
      expect(r.body.message).toContain('文号');
      expect(r.body.details).toMatchObject({ id: created.body.id });
    }
    expect(await countOf(t, `SELECT count(*)::int AS n FROM certification_records WHERE enterprise_id = $1`, [e.organisationId])).toBe(1);
    expect(await countOf(t, `SELECT count(*)::int AS n FROM cases WHERE owner_org_id = $1 AND workflow_key = 'certification-record'`, [e.organisationId])).toBe(
      1,
    );
    // the same document number written differently (spaces) is the same document
    const again = await t
      .http()
      .post('/api/certification-records')
      .set('Authorization', token)
      .send({ ...BODY, documentNo: ' 浙发改社会 〔2025〕31号' });
    expect(again.status).toBe(409);
    // another document, or the other level, is another record
    expect(
      (
        await t
          .http()
          .post('/api/certification-records')
          .set('Authorization', token)
          .send({ ...BODY, documentNo: '浙发改社会〔2025〕32号' })
      ).status,
    ).toBe(201);
    expect(
      (
        await t
          .http()
          .post('/api/certification-records')
          .set('Authorization', token)
          .send({ ...BODY, level: 'national' })
      ).status,
    ).toBe(201);
  });

  it('20 identical requests at once with one Idempotency-Key: one row, every answer is that record', async () => {
    const e = await newApplicant(t);
    const token = await auth(t, e);
    const rs = await Promise.all(
      Array.from({ length: 20 }, () => t.http().post('/api/certification-records').set('Authorization', token).set('Idempotency-Key', 'rec-0001').send(BODY)),
    );
    expect(rs.filter((r) => r.status >= 500)).toEqual([]);
    expect(statuses(rs)).toEqual({ 201: 20 });
    expect(new Set(rs.map((r) => r.body.id)).size).toBe(1);
    expect(rs.filter((r) => r.headers['idempotent-replayed'] === 'true')).toHaveLength(19);
    expect(await countOf(t, `SELECT count(*)::int AS n FROM certification_records WHERE enterprise_id = $1`, [e.organisationId])).toBe(1);
    // the key reused for a different request is refused, and writes nothing
    const other = await t
      .http()
      .post('/api/certification-records')
      .set('Authorization', token)
      .set('Idempotency-Key', 'rec-0001')
      .send({ ...BODY, documentNo: '浙发改社会〔2025〕99号' });
    expect(other.status).toBe(409);
    expect(other.body.message).toContain('Idempotency-Key');
    expect(await countOf(t, `SELECT count(*)::int AS n FROM certification_records WHERE enterprise_id = $1`, [e.organisationId])).toBe(1);
    // a malformed key is a 400 naming the header
    const bad = await t
      .http()
      .post('/api/certification-records')
      .set('Authorization', token)
      .set('Idempotency-Key', 'x'.repeat(200))
      .send({ ...BODY, documentNo: '浙发改社会〔2025〕98号' });
    expect(bad.status).toBe(400);
    expect(bad.body.details).toEqual([{ field: 'Idempotency-Key', messages: expect.any(Array) }]);
  });

  it('once the first record case is decided, the same document may be proposed again', async () => {
    const e = await newApplicant(t);
    const token = await auth(t, e);
    const first = await t.http().post('/api/certification-records').set('Authorization', token).send(BODY);
    expect(first.status).toBe(201);
    const withdrawn = await t.http().post(`/api/certification-records/${first.body.id}/actions`).set('Authorization', token).send({ action: 'withdraw' });
    expect(withdrawn.status).toBe(200);
    expect((await t.http().post('/api/certification-records').set('Authorization', token).send(BODY)).status).toBe(201);
  });
});

describe('POST /certification-records: the date', () => {
  it('is compared with today in Asia/Shanghai: today (Shanghai) is accepted, tomorrow is a 400 naming certifiedAt', async () => {
    const e = await newApplicant(t);
    const token = await auth(t, e);
    const day = (offset: number) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date(Date.now() + offset * 86_400_000));
    const today = await t
      .http()
      .post('/api/certification-records')
      .set('Authorization', token)
      .send({ ...BODY, documentNo: '浙发改社会〔2025〕77号', certifiedAt: day(0) });
    expect(today.status).toBe(201);
    const tomorrow = await t
      .http()
      .post('/api/certification-records')
      .set('Authorization', token)
      .send({ ...BODY, documentNo: '浙发改社会〔2025〕78号', certifiedAt: day(1) });
    expect(tomorrow.status).toBe(400);
    expect(tomorrow.body.details).toEqual([{ field: 'certifiedAt', messages: ['不能晚于今天'] }]);
  });
});

describe('POST /delegations', () => {
  const period = () => ({ startsAt: new Date(Date.now() - 60_000).toISOString(), endsAt: new Date(Date.now() + 3 * 86_400_000).toISOString(), reason: '出差' });

  it('20 identical requests at once without a key: one delegation, the other 19 are 409', async () => {
    const delegateId = await userId(t, 'city_idem_b');
    const token = await auth(t, 'city');
    const body = { delegateId, ...period() };
    const rs = await Promise.all(Array.from({ length: 20 }, () => t.http().post('/api/delegations').set('Authorization', token).send(body)));
    expect(statuses(rs)).toEqual({ 201: 1, 409: 19 });
    expect(rs.find((r) => r.status === 409)!.body.message).toContain('委托');
    const principal = await userId(t, 'city');
    expect(await countOf(t, `SELECT count(*)::int AS n FROM delegations WHERE principal_id = $1 AND delegate_id = $2`, [principal, delegateId])).toBe(1);
    // an overlapping period to the same colleague is the same delegation: 409
    const overlap = await t
      .http()
      .post('/api/delegations')
      .set('Authorization', token)
      .send({ delegateId, startsAt: new Date(Date.now() + 86_400_000).toISOString(), endsAt: new Date(Date.now() + 5 * 86_400_000).toISOString() });
    expect(overlap.status).toBe(409);
    // once ended, a new one may be made
    const created = rs.find((r) => r.status === 201)!;
    expect((await t.http().delete(`/api/delegations/${created.body.id}`).set('Authorization', token)).status).toBe(200);
    expect(
      (
        await t
          .http()
          .post('/api/delegations')
          .set('Authorization', token)
          .send({ delegateId, ...period() })
      ).status,
    ).toBe(201);
    const [{ id }] = await t.ds.query(`SELECT id FROM delegations WHERE principal_id = $1 AND ends_at > now()`, [principal]);
    expect((await t.http().delete(`/api/delegations/${id}`).set('Authorization', token)).status).toBe(200);
  });

  it('20 identical requests at once with one Idempotency-Key: one delegation, every answer is that delegation', async () => {
    const delegateId = await userId(t, 'city_idem_b');
    const token = await auth(t, 'city');
    const body = { delegateId, ...period() };
    const rs = await Promise.all(
      Array.from({ length: 20 }, () => t.http().post('/api/delegations').set('Authorization', token).set('Idempotency-Key', 'dlg-7').send(body)),
    );
    expect(statuses(rs)).toEqual({ 201: 20 });
    expect(new Set(rs.map((r) => r.body.id)).size).toBe(1);
    const principal = await userId(t, 'city');
    expect(await countOf(t, `SELECT count(*)::int AS n FROM delegations WHERE principal_id = $1 AND ends_at > now()`, [principal])).toBe(1);
  });
});
