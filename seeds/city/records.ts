import { recordWorkflow } from '@portal/certification';
import { portalDate, SETTING_DEFINITIONS as SETTINGS } from '@portal/contracts';
import type { EntityManager } from 'typeorm';
import { insertRows, reserveIds, writeCases, type CasePath, type PathStep, type PlannedCase } from './engine.js';
import type { CityPeople, Org } from './identity.js';
import type { Prng } from './random.js';
import type { Timeline } from './timeline.js';

/**
 * Provincial and national 产教融合型企业 of a generated city (certification_records and their record cases, and
 * the certifications with source 'recorded' and subsidies they bring): recorded by the city directly
 * (CertificationsService.record: a record case opened and confirmed at once), or proposed by the enterprise with the
 * published list attached and confirmed by the city (RecordsService, then the 'certification.record' effect) — and
 * proposals still waiting for the city or returned for more. Follows migrations up to SeedRuns1795930000001.
 */

const submit: PathStep = { action: 'submit', by: 'owner', role: 'owner' };

export const RECORD_PATHS: Array<CasePath & { weight: number; direct: boolean; granted: boolean }> = [
  {
    key: 'recorded',
    weight: 3,
    direct: true,
    granted: true,
    steps: [{ action: 'record', by: 'city', role: 'city_reviewer', payload: { certifiedAt: '§certifiedAt§', documentNo: '§documentNo§', level: '§level§' } }],
  },
  {
    key: 'confirmed',
    weight: 3,
    direct: false,
    granted: true,
    steps: [submit, { action: 'confirm', by: 'city', role: 'city_reviewer', comment: '已与公布名单核对一致，予以确认' }],
  },
  { key: 'city_confirm', weight: 1, direct: false, granted: false, steps: [submit] },
  {
    key: 'returned',
    weight: 1,
    direct: false,
    granted: false,
    steps: [submit, { action: 'return', by: 'city', role: 'city_reviewer', items: ['请上传加盖公章的公布名单或认定文件扫描件'] }],
  },
];

const DAY = 86_400;
const LEVEL_FEN = {
  provincial: Number(SETTINGS['certification.subsidyProvincialYuan'].default) * 100,
  national: Number(SETTINGS['certification.subsidyNationalYuan'].default) * 100,
};

export async function seedRecords(
  em: EntityManager,
  people: CityPeople,
  count: number,
  candidates: Org[],
  rnd: Prng,
  time: Timeline,
): Promise<{ records: number; recorded: number; proposals: number[] }> {
  // enterprises already certified by the city first (a provincial certification usually follows), then any other
  const seen = new Set(candidates.map((c) => c.id));
  const orgs = [...candidates, ...people.enterprises.filter((e) => !seen.has(e.id))].slice(0, count);
  if (!orgs.length) return { records: 0, recorded: 0, proposals: [] };
  const caseBase = await reserveIds(em, 'cases', orgs.length);
  const weighted = RECORD_PATHS.map((p) => [p, p.weight] as const);
  const plan: Array<PlannedCase & { org: Org; def: (typeof RECORD_PATHS)[number]; level: 'provincial' | 'national'; documentNo: string; certifiedAt: string }> =
    [];
  for (const [i, org] of orgs.entries()) {
    const path = i < RECORD_PATHS.length ? RECORD_PATHS[i] : rnd.weighted(weighted);
    const when = time.place(path.steps.length + 1, path.granted, rnd);
    const level = i % 4 === 1 ? 'national' : 'provincial';
    const certifiedAt = portalDate(new Date((when.t0 - rnd.int(20, 90) * DAY) * 1000));
    const year = certifiedAt.slice(0, 4);
    const documentNo = level === 'national' ? `发改社会〔${year}〕${rnd.int(100, 1999)}号` : `浙发改社会〔${year}〕${rnd.int(10, 399)}号`;
    const label = level === 'national' ? '国家级' : '省级';
    plan.push({
      caseId: caseBase + i,
      path: path.key,
      ownerOrgId: org.id,
      countyCode: org.countyCode,
      title: path.direct ? `${org.name}（${label}认定登记）` : `${org.name}（${label}认定备案）`,
      createdBy: path.direct ? people.fixed.city : org.userId,
      creatorRole: path.direct ? 'city_reviewer' : 'enterprise_applicant',
      ownerUserId: null,
      party: null,
      countyReviewerId: null,
      schoolAdminId: null,
      t0: when.t0,
      gap: when.gap,
      vars: { certifiedAt, documentNo, level },
      org,
      def: path,
      level,
      documentNo,
      certifiedAt,
    });
  }
  await writeCases(
    em,
    recordWorkflow(() => undefined),
    RECORD_PATHS,
    plan,
    people.fixed,
  );
  await insertRows(
    em,
    'certification_records',
    { case_id: 'bigint', enterprise_id: 'int', level: 'text', document_no: 'text', certified_at: 'date' },
    plan.map((c) => [c.caseId, c.org.id, c.level, c.documentNo, c.certifiedAt]),
    {
      into: 'case_id, enterprise_id, level, document_no, certified_at, created_at',
      select: 'u.case_id, u.enterprise_id, u.level, u.document_no, u.certified_at, c.created_at',
      extra: 'JOIN cases c ON c.id = u.case_id',
    },
  );
  // confirmed: the certification (by the reviewer who recorded it; the confirmation's effect runs as nobody) and its
  // subsidy, the full amount of its level (certification.subsidyDifferenceOnly is off by default)
  const granted = plan.filter((c) => c.def.granted);
  const certBase = await reserveIds(em, 'certifications', granted.length);
  const subsidyBase = await reserveIds(em, 'subsidies', granted.length);
  const rows = granted.map((c, i) => [c.caseId, certBase + i, subsidyBase + i, c.def.direct, LEVEL_FEN[c.level]]);
  const cols = { case_id: 'bigint', cert: 'bigint', subsidy: 'bigint', direct: 'boolean', amount: 'bigint' };
  const confirmed = `JOIN certification_records r ON r.case_id = u.case_id JOIN cases c ON c.id = u.case_id
    JOIN case_events ev ON ev.case_id = u.case_id AND ev.to_state = 'confirmed'`;
  await insertRows(em, 'certifications', cols, rows, {
    into: 'id, enterprise_id, level, source, record_case_id, document_no, certified_at, created_by, created_at',
    select: `u.cert, r.enterprise_id, r.level, 'recorded', u.case_id, r.document_no, r.certified_at, CASE WHEN u.direct THEN ev.actor_id END, ev.at`,
    extra: confirmed,
  });
  await insertRows(em, 'subsidies', cols, rows, {
    into: 'id, enterprise_id, level, certification_id, county_code, amount_fen, policy, status, created_at, updated_at',
    select: `u.subsidy, r.enterprise_id, r.level, u.cert, c.county_code, u.amount, 'full', 'pending', ev.at, ev.at`,
    extra: confirmed,
  });
  await insertRows(em, 'subsidy_events', cols, rows, {
    into: 'subsidy_id, actor_id, action, from_status, to_status, details, at',
    select: `u.subsidy, CASE WHEN u.direct THEN ev.actor_id END, 'create', NULL, 'pending',
             jsonb_build_object('amountFen', u.amount, 'policy', 'full', 'certificationId', u.cert), ev.at`,
    extra: confirmed,
  });
  return { records: plan.length, recorded: granted.length, proposals: plan.filter((c) => !c.def.direct).map((c) => c.caseId) };
}
