import { AppConfig, dataSourceOptions, withAdvisoryLock } from '@portal/core';
import { DataSource } from 'typeorm';
import { seedCity, type CityResult } from './city/index.js';
import { seedCalendar } from './calendar.seed.js';
import { seedDemoData } from './demo.seed.js';
import { seedReferenceData } from './reference.seed.js';

export * from './calendar.seed.js';
export * from './demo.seed.js';
export * from './reference.seed.js';
export * from './city/index.js';

const SEED_LOCK = 724_002;

/**
 * Load reference data (always) and demo data (when asked), idempotently, one process at a time. With a demo
 * password and `citySize` > 0, the demo city too (seeds/city), once: its marker row makes a second run add nothing.
 * `config` gives the field-encryption key the city's sealed personal data uses (AppConfig from the environment
 * when not given).
 */
export async function runSeeds(
  url: string,
  opts: { demoPassword?: string; citySize?: number; config?: AppConfig; log?: (line: string) => void },
): Promise<CityResult | undefined> {
  const ds = new DataSource(dataSourceOptions({ url, poolSize: 3, applicationName: 'portal-seed' }));
  await ds.initialize();
  try {
    return await withAdvisoryLock(ds, SEED_LOCK, () =>
      ds.transaction(async (em) => {
        await seedReferenceData(em);
        await seedCalendar(em);
        if (!opts.demoPassword) return undefined;
        await seedDemoData(em, opts.demoPassword);
        if (!opts.citySize) return undefined;
        return seedCity(em, ds, (opts.config ?? AppConfig.fromEnv()).with({ databaseUrl: url }), opts.citySize, opts.demoPassword, opts.log);
      }),
    );
  } finally {
    await ds.destroy();
  }
}
