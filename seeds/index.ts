import { dataSourceOptions, withAdvisoryLock } from '@portal/core';
import { DataSource } from 'typeorm';
import { seedCalendar } from './calendar.seed.js';
import { seedDemoData } from './demo.seed.js';
import { seedReferenceData } from './reference.seed.js';

export * from './calendar.seed.js';
export * from './demo.seed.js';
export * from './reference.seed.js';

const SEED_LOCK = 724_002;

/** Load reference data (always) and demo data (when asked), idempotently, one process at a time. */
export async function runSeeds(url: string, opts: { demoPassword?: string }): Promise<void> {
  const ds = new DataSource(dataSourceOptions({ url, poolSize: 2, applicationName: 'portal-seed' }));
  await ds.initialize();
  try {
    await withAdvisoryLock(ds, SEED_LOCK, () =>
      ds.transaction(async (em) => {
        await seedReferenceData(em);
        await seedCalendar(em);
        if (opts.demoPassword) await seedDemoData(em, opts.demoPassword);
      }),
    );
  } finally {
    await ds.destroy();
  }
}
