import { hostname } from 'node:os';
import { instanceName } from './core.module.js';

describe('instanceName: what pg_stat_activity shows of a process', () => {
  it('is the role, the host and the pid', () => {
    expect(instanceName('portal-api')).toBe(`portal-api@${hostname().slice(0, 63 - 'portal-api@'.length - `:${process.pid}`.length)}:${process.pid}`);
  });

  it('fits PostgreSQL’s 63 bytes keeping the role and the pid whole', () => {
    const name = instanceName('portal-worker-with-a-long-role-name-for-the-test');
    expect(name.length).toBeLessThanOrEqual(63);
    expect(name.startsWith('portal-worker-with-a-long-role-name-for-the-test@')).toBe(true);
    expect(name.endsWith(`:${process.pid}`)).toBe(true);
  });
});
