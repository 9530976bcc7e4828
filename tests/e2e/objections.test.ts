import type { CertificationApplicationDto } from '@portal/contracts';
import { startTestApp, type TestApp } from '@portal/testing';
import { act, atPanel, auth, countOf, newApplicant, SCORES, setSetting } from '../support/certification.js';

/**
 * Objections during 公示 (anyone may lodge one, with a real name and phone): one open objection per case
 * and phone, daily limits per phone and per client address (settings), the city resolving many at once
 * with each ruling on the case's audit chain, and the objector's phone shown in full only to the city
 * reviewers who resolve objections.
 */

let t: TestApp;
beforeAll(async () => {
  // the portal behind a reverse proxy on this host: its X-Forwarded-For names the client (each test lodges from its own addresses)
  t = await startTestApp({ TRUST_PROXY: '127.0.0.1, ::1, ::ffff:127.0.0.1' });
});
afterAll(() => t.close());

/** An application on 公示 (scored by the panel and published by the city). */
async function onNotice(): Promise<CertificationApplicationDto> {
  const e = await newApplicant(t);
  const app = await atPanel(t, e);
  for (const u of ['expert1', 'expert2', 'expert3']) expect((await act(t, u, app.id, { action: 'score', scores: SCORES })).status).toBe(200);
  const res = await act(t, 'city', app.id, { action: 'publicize' });
  expect(res.body.case?.state).toBe('publicity');
  return res.body;
}

let phoneSeq = 0;
/** A fresh mobile number per call, so tests do not share the per-phone limit. */
const newPhone = () => `139${String(10_000_000 + ++phoneSeq * 7919).slice(-8)}`;
let ipSeq = 0;
const newIp = () => `10.9.${Math.floor(++ipSeq / 250)}.${(ipSeq % 250) + 1}`;

function lodge(app: CertificationApplicationDto, phone: string, ip = newIp(), name = '王五') {
  return t
    .http()
    .post(`/api/publicity-notices/${app.id}/objections`)
    .set('X-Forwarded-For', ip)
    .send({ name, phone, content: '该企业申报的合作办学情况与实际不符，请予核查。' });
}

const openCount = (caseId: number) => countOf(t, `SELECT count(*)::int AS n FROM objections WHERE case_id = $1 AND status = 'open'`, [caseId]);

describe('lodging', () => {
  it('a second objection from the same phone while the first is open is a 409 in Chinese; after the ruling it may object again', async () => {
    const app = await onNotice();
    const phone = newPhone();
    const first = await lodge(app, phone);
    expect(first.status).toBe(201);
    // the same number written with spaces, a dash or +86 is the same phone
    for (const variant of [phone, `${phone.slice(0, 3)} ${phone.slice(3, 7)} ${phone.slice(7)}`, `+86 ${phone.slice(0, 3)}-${phone.slice(3)}`]) {
      const again = await lodge(app, variant);
      expect(again.status).toBe(409);
      expect(again.body.message).toMatch(/该电话号码.*异议.*尚未处理/);
    }
    expect(await openCount(app.case.caseId)).toBe(1);
    // another phone may object
    expect((await lodge(app, newPhone())).status).toBe(201);
    const resolved = await t
      .http()
      .post(`/api/objections/${first.body.id}/resolve`)
      .set('Authorization', await auth(t, 'city'))
      .send({ outcome: 'dismissed', resolution: '经核查，材料属实' });
    expect(resolved.status).toBe(200);
    expect((await lodge(app, phone)).status).toBe(201);
  });

  it('10 objections from one phone at once on one case: one is accepted, nine are 409, none a 5xx', async () => {
    const app = await onNotice();
    const phone = newPhone();
    const rs = await Promise.all(Array.from({ length: 10 }, () => lodge(app, phone)));
    expect(rs.map((r) => r.status).sort()).toEqual([201, ...Array(9).fill(409)]);
    expect(await openCount(app.case.caseId)).toBe(1);
  });

  it('a phone may lodge at most the daily limit (setting) across cases: the next is a 429 and writes nothing', async () => {
    await setSetting(t, 'objections.maxPerPhonePerDay', 2);
    try {
      const apps = [await onNotice(), await onNotice(), await onNotice()];
      const phone = newPhone();
      expect((await lodge(apps[0], phone)).status).toBe(201);
      expect((await lodge(apps[1], phone)).status).toBe(201);
      const third = await lodge(apps[2], phone);
      expect(third.status).toBe(429);
      expect(third.body.message).toContain('电话号码');
      expect(await openCount(apps[2].case.caseId)).toBe(0);
    } finally {
      await setSetting(t, 'objections.maxPerPhonePerDay', 5);
    }
  });

  it('a flood from one address: 40 at once with limit 5 per address → 5 accepted, 35 are 429, none a 5xx; other addresses are unaffected', async () => {
    await setSetting(t, 'objections.maxPerAddressPerDay', 5);
    try {
      const app = await onNotice();
      const ip = newIp();
      const rs = await Promise.all(Array.from({ length: 40 }, () => lodge(app, newPhone(), ip)));
      expect(rs.filter((r) => r.status >= 500)).toEqual([]);
      expect(rs.filter((r) => r.status === 201)).toHaveLength(5);
      expect(rs.filter((r) => r.status === 429)).toHaveLength(35);
      expect(rs.find((r) => r.status === 429)!.body.message).toContain('异议');
      expect(await openCount(app.case.caseId)).toBe(5);
      expect((await lodge(app, newPhone(), newIp())).status).toBe(201);
    } finally {
      await setSetting(t, 'objections.maxPerAddressPerDay', 20);
    }
  });
});

describe('the objector’s phone', () => {
  it('is shown in full only to the city reviewers who resolve objections; everyone else, the objector’s answer included, sees 138****1234', async () => {
    const app = await onNotice();
    const res = await t
      .http()
      .post(`/api/cases/${app.caseRef}/objections`)
      .set('X-Forwarded-For', newIp())
      .send({ name: '赵六', phone: '13812341234', idNumber: '330302199001011234', content: '该企业近三年发生过安全事故，请核查。' });
    expect(res.status).toBe(201);
    expect(res.body.phone).toBe('138****1234');
    const seen = async (who: string) =>
      (
        await t
          .http()
          .get(`/api/cases/${app.caseRef}/objections`)
          .set('Authorization', await auth(t, who))
      ).body[0].phone;
    expect(await seen('city')).toBe('13812341234');
    for (const who of ['county', 'expert1', 'admin']) expect(await seen(who)).toBe('138****1234');
    const [{ phone }] = await t.ds.query(`SELECT phone FROM objections WHERE id = $1`, [res.body.id]);
    expect(phone).toBe('13812341234');
  });

  it('the applicant sees the masked phone (not the number), and not the objector’s name', async () => {
    const e = await newApplicant(t);
    const app = await atPanel(t, e);
    for (const u of ['expert1', 'expert2', 'expert3']) await act(t, u, app.id, { action: 'score', scores: SCORES });
    await act(t, 'city', app.id, { action: 'publicize' });
    expect((await lodge(app, '13955556666')).status).toBe(201);
    const mine = (
      await t
        .http()
        .get(`/api/cases/${app.caseRef}/objections`)
        .set('Authorization', await auth(t, e))
    ).body[0];
    expect(mine).toMatchObject({ name: '王**', phone: '139****6666', idNumberMasked: null });
  });
});

describe('resolving several objections at once', () => {
  it('the city resolves the selected objections in one request; each ruling is its own audited event; one already resolved is reported, not redone', async () => {
    const app = await onNotice();
    const ids: number[] = [];
    for (let i = 0; i < 4; i++) ids.push((await lodge(app, newPhone())).body.id);
    const city = await auth(t, 'city');
    expect(
      (await t.http().post(`/api/objections/${ids[0]}/resolve`).set('Authorization', city).send({ outcome: 'upheld', resolution: '情况属实' })).status,
    ).toBe(200);

    // not the city: refused, nothing changes
    const denied = await t
      .http()
      .post('/api/objections/batch-resolve')
      .set('Authorization', await auth(t, 'county'))
      .send({ ids, outcome: 'dismissed', resolution: '批量驳回' });
    expect(denied.status).toBe(403);
    expect(await openCount(app.case.caseId)).toBe(3);
    // bad input names the fields and writes nothing
    const bad = await t.http().post('/api/objections/batch-resolve').set('Authorization', city).send({ ids: [], outcome: 'maybe' });
    expect(bad.status).toBe(400);
    expect(bad.body.details.map((d: { field: string }) => d.field).sort()).toEqual(['ids', 'outcome', 'resolution']);

    const res = await t
      .http()
      .post('/api/objections/batch-resolve')
      .set('Authorization', city)
      .send({ ids, outcome: 'dismissed', resolution: '经核查，异议不成立' });
    expect(res.status).toBe(200);
    expect(res.body.results).toEqual([
      { id: ids[0], ok: false, status: 409, message: expect.stringContaining('已处理') },
      { id: ids[1], ok: true, status: 200 },
      { id: ids[2], ok: true, status: 200 },
      { id: ids[3], ok: true, status: 200 },
    ]);
    expect(await openCount(app.case.caseId)).toBe(0);
    const rows = await t.ds.query(`SELECT id::int, status FROM objections WHERE id = ANY($1) ORDER BY id`, [ids]);
    expect(rows.map((r: { status: string }) => r.status)).toEqual(['upheld', 'dismissed', 'dismissed', 'dismissed']);
    // every ruling is on the case's hash chain, and the chain verifies
    const events = await t.ds.query(`SELECT payload FROM case_events WHERE case_id = $1 AND action = 'resolve_objection' ORDER BY seq`, [app.case.caseId]);
    expect(events.map((e: { payload: { objection: number; outcome: string } }) => [e.payload.objection, e.payload.outcome])).toEqual([
      [ids[0], 'upheld'],
      [ids[1], 'dismissed'],
      [ids[2], 'dismissed'],
      [ids[3], 'dismissed'],
    ]);
    expect((await t.http().get(`/api/cases/${app.caseRef}/events/verify`).set('Authorization', city)).body).toMatchObject({ valid: true });
  });
});
