import { CalendarService, shanghaiDate } from '@portal/workflow';
import { startTestApp, type TestApp } from '@portal/testing';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const auth = async (u: string) => `Bearer ${await t.token(u)}`;

describe('the holiday and 调休 calendar as editable data', () => {
  it('lists the seeded official days of a year', async () => {
    const res = await t
      .http()
      .get('/api/calendar-days?filter={"year":2026}&range=[0,199]')
      .set('Authorization', await auth('city'));
    expect(res.status).toBe(200);
    expect(res.headers['content-range']).toMatch(/^calendar-days 0-\d+\/\d+$/);
    const days = new Map(res.body.map((d: { day: string; kind: string }) => [d.day, d.kind]));
    expect(days.get('2026-10-01')).toBe('holiday');
    expect(days.get('2026-02-14')).toBe('workday');
  });

  it('lets an admin (only) declare a day, and the working-day arithmetic follows at once', async () => {
    const calendar = t.app.get(CalendarService);
    // Mon 2027-03-08 + 1 working day = Tue 03-09
    const from = new Date('2027-03-08T10:00:00+08:00');
    expect(shanghaiDate(await calendar.addWorkingDays(from, 1))).toBe('2027-03-09');
    expect(
      (
        await t
          .http()
          .put('/api/calendar-days/2027-03-09')
          .set('Authorization', await auth('city'))
          .send({ kind: 'holiday' })
      ).status,
    ).toBe(403);
    const put = await t
      .http()
      .put('/api/calendar-days/2027-03-09')
      .set('Authorization', await auth('admin'))
      .send({ kind: 'holiday', name: '测试假日' });
    expect(put.status).toBe(200);
    expect(shanghaiDate(await calendar.addWorkingDays(from, 1))).toBe('2027-03-10');
    expect(
      (
        await t
          .http()
          .delete('/api/calendar-days/2027-03-09')
          .set('Authorization', await auth('admin'))
      ).status,
    ).toBe(200);
    expect(shanghaiDate(await calendar.addWorkingDays(from, 1))).toBe('2027-03-09');
  });

  it('names a bad date or kind in Chinese and writes nothing', async () => {
    const before = (await t.ds.query(`SELECT count(*)::int AS n FROM calendar_days`))[0].n;
    for (const [day, body] of [
      ['2027-02-30', { kind: 'holiday' }],
      ['tomorrow', { kind: 'holiday' }],
      ['2027-03-01', { kind: 'weekend' }],
    ] as const) {
      const res = await t
        .http()
        .put(`/api/calendar-days/${day}`)
        .set('Authorization', await auth('admin'))
        .send(body);
      expect(res.status).toBe(400);
      expect(res.body.message).toMatch(/[\u4e00-\u9fff]/);
    }
    expect((await t.ds.query(`SELECT count(*)::int AS n FROM calendar_days`))[0].n).toBe(before);
  });
});
