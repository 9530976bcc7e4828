import { act, openTestCase, startTestApp, type TestApp } from '@portal/testing';
let t: TestApp;
beforeAll(async () => { t = await startTestApp({ DATABASE_POOL_SIZE: '2' }, { testWorkflow: true }); });
afterAll(() => t.close());
it('pool', async () => {
  const c = await openTestCase(t, 'enterprise');
  await act(t, 'enterprise', c.ref, { action: 'submit' });
  await t.token('county');
  await new Promise((r) => setTimeout(r, 2100));
  const rs = await Promise.all(Array.from({ length: 10 }, () => act(t, 'county', c.ref, { action: 'approve', version: 2 })));
  console.log(rs.map((r) => r.status));
}, 20000);
