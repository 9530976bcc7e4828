import { certificationWorkflow, recordWorkflow } from '@portal/certification';
import { createFieldCipher, type AppConfig } from '@portal/core';
import { hashPassword } from '@portal/identity';
import type { DataSource, EntityManager } from 'typeorm';
import { seedAttachments } from './attachments.js';
import { seedCertification } from './certification.js';
import { seedDocuments } from './documents.js';
import { seedCityPeople } from './identity.js';
import { seedNotifications } from './notifications.js';
import { orderClassWorkflow } from '@portal/order-classes';
import { practiceWorkflow } from '@portal/practice';
import { seedOrderClasses } from './order-classes.js';
import { seedPractice } from './practice.js';
import { Prng } from './random.js';
import { seedRecords } from './records.js';
import { citySizes } from './sizes.js';
import { Timeline } from './timeline.js';

export * from './sizes.js';
export { MAX_DOCUMENTS } from './documents.js';
export { ATTACHED_CASES } from './attachments.js';

/** The marker of a generated city in seed_runs: a second run (or a second start) adds nothing. */
export const CITY_SEED = 'demo-city';

export interface CityResult {
  created: boolean;
  size: number;
  seconds: number;
  counts: Record<string, number>;
}

/**
 * Generate a believable Wenzhou of `size` enterprises (seeds/city; ratios in sizes.ts), deterministically (a
 * seeded PRNG: the same size gives the same city, its times anchored on today), inside the caller's transaction
 * and after the demo accounts exist. Rows are written set-based, per feature in its own file.
 */
export async function seedCity(
  em: EntityManager,
  ds: DataSource,
  config: AppConfig,
  size: number,
  password: string,
  log: (line: string) => void = () => {},
): Promise<CityResult> {
  const started = Date.now();
  const [done] = await em.query<Array<{ size: number; counts: Record<string, number> }>>(`SELECT size, counts FROM seed_runs WHERE name = $1`, [CITY_SEED]);
  if (done || size <= 0) return { created: false, size: done?.size ?? 0, seconds: 0, counts: done?.counts ?? {} };
  const sizes = citySizes(size);
  const rnd = new Prng(20_231_032 + size);
  const time = new Timeline();
  const cipher = await createFieldCipher(config, ds);
  const step = async <T>(name: string, fn: () => Promise<T>): Promise<T> => {
    const at = Date.now();
    const out = await fn();
    log(`demo city: ${name} in ${((Date.now() - at) / 1000).toFixed(1)} s`);
    return out;
  };
  const hash = await hashPassword(password);
  const people = await step('organisations and users', () => seedCityPeople(em, sizes, hash, rnd, ''));
  // the cases this run writes: every id from here on
  const [{ first }] = await em.query<Array<{ first: string }>>(`SELECT coalesce(max(id), 0) + 1 AS first FROM cases`);
  const cert = await step('certification', () => seedCertification(em, people, sizes.applications, rnd, time));
  const records = await step('provincial and national records', () => seedRecords(em, people, sizes.records, cert.paidCity, rnd, time));
  const classes = await step('order classes', () => seedOrderClasses(em, people, sizes.orderClasses, cipher, rnd, time));
  const practice = await step('practice', () => seedPractice(em, people, { records: sizes.practiceRecords, posts: sizes.posts }, rnd, time));
  const attachments = await step('attachments', () => seedAttachments(em, ds, Number(first)));
  const documents = await step('documents requested', () => seedDocuments(em, people));
  const none = () => undefined;
  const definitions = [
    certificationWorkflow(none),
    recordWorkflow(none),
    orderClassWorkflow({ complete: none, hasStudents: none, outcomesReported: none }, async () => {}),
    practiceWorkflow,
  ];
  const notifications = await step('notifications', () =>
    seedNotifications(em, definitions, Number(first), documents.notices, {
      orgs: [people.demo.enterprise.id, people.demo.school.id],
      users: [people.demo.teacherId],
    }),
  );
  const counts = {
    enterprises: sizes.enterprises,
    schools: people.schools.length,
    applications: sizes.applications + 1,
    certified: cert.certified,
    orderClasses: classes.classes,
    students: classes.students,
    teachers: practice.teachers,
    practiceRecords: practice.records,
    posts: practice.posts,
    postApplications: practice.applications,
    records: records.records,
    recordedCertifications: records.recorded,
    objections: cert.objections,
    attachments,
    ...documents.counts,
    notifications,
  };
  const seconds = (Date.now() - started) / 1000;
  await em.query(`INSERT INTO seed_runs (name, size, counts, seconds) VALUES ($1, $2, $3, $4)`, [CITY_SEED, size, JSON.stringify(counts), seconds.toFixed(2)]);
  return { created: true, size, seconds, counts };
}
