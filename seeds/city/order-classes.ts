import { MAJORS, addDays } from '@portal/contracts';
import type { FieldCipher } from '@portal/core';
import { normaliseIdNumber, orderClassWorkflow, PARTNER_JOIN } from '@portal/order-classes';
import { maskIdNumber, maskPhone } from '@portal/contracts';
import type { EntityManager } from 'typeorm';
import { insertRows, reserveIds, writeCases, type CasePath, type PathStep, type PlannedCase } from './engine.js';
import type { CityPeople } from './identity.js';
import { idNumber, mobile, personName } from './names.js';
import type { Prng } from './random.js';
import type { Timeline } from './timeline.js';

/**
 * Order classes' tables of a generated city (order_classes, order_class_students): classes in every state of
 * the 订单班 workflow, with rosters (ID numbers and phones sealed with FieldCipher, as StudentsService does)
 * once a class is filed. Follows migrations up to SeedRuns1795930000001.
 */

const submit: PathStep = { action: 'submit', by: 'owner', role: 'owner' };
const confirm: PathStep = { action: 'confirm', by: 'party', role: 'enterprise_applicant', comment: '同意合作' };
const file: PathStep = { action: 'file', by: 'county', role: 'county_reviewer', comment: '予以备案' };
const finish: PathStep = { action: 'finish', by: 'owner', role: 'owner' };

export const ORDER_CLASS_PATHS: Array<CasePath & { weight: number; roster: 'none' | 'enrolled' | 'graduated' }> = [
  { key: 'draft', weight: 2, steps: [], roster: 'none' },
  { key: 'enterprise_confirm', weight: 2, steps: [submit], roster: 'none' },
  {
    key: 'returned',
    weight: 1,
    steps: [submit, { action: 'return', by: 'party', role: 'enterprise_applicant', comment: '岗位数与协议不一致', items: ['就业岗位数量请与协议一致'] }],
    roster: 'none',
  },
  { key: 'county_filing', weight: 3, steps: [submit, confirm], roster: 'none' },
  { key: 'active', weight: 12, steps: [submit, confirm, file], roster: 'enrolled' },
  { key: 'reporting', weight: 2, steps: [submit, confirm, file, finish], roster: 'enrolled' },
  { key: 'closed', weight: 6, steps: [submit, confirm, file, finish, { action: 'report', by: 'owner', role: 'owner' }], roster: 'graduated' },
  {
    key: 'terminated',
    weight: 1,
    steps: [submit, confirm, file, { action: 'terminate', by: 'owner', role: 'owner', comment: '企业经营调整，双方协商终止' }],
    roster: 'enrolled',
  },
  {
    key: 'not_filed',
    weight: 1,
    steps: [submit, confirm, { action: 'refuse', by: 'county', role: 'county_reviewer', comment: '培养方案与专业目录不符' }],
    roster: 'none',
  },
  { key: 'withdrawn', weight: 1, steps: [submit, { action: 'withdraw', by: 'owner', role: 'owner', comment: '合作企业变更' }], roster: 'none' },
];

export async function seedOrderClasses(
  em: EntityManager,
  people: CityPeople,
  count: number,
  cipher: FieldCipher,
  rnd: Prng,
  time: Timeline,
): Promise<{ classes: number; students: number }> {
  const caseBase = await reserveIds(em, 'cases', count);
  const classBase = await reserveIds(em, 'order_classes', count);
  const weighted = ORDER_CLASS_PATHS.map((p) => [p, p.weight] as const);
  const plan: Array<PlannedCase & { classId: number; schoolId: number; enterpriseId: number; major: (typeof MAJORS)[number]; cohort: number }> = [];
  for (let i = 0; i < count; i++) {
    const path = i < ORDER_CLASS_PATHS.length ? ORDER_CLASS_PATHS[i] : rnd.weighted(weighted);
    // the demo school and the demo enterprise share a few classes; the rest pair schools and enterprises by county
    const picked = i % 4 === 0 ? people.demo.school : rnd.pick(people.schools);
    // the first class awaiting 县级备案 is the demo school's, so the demo county reviewer (鹿城区) has one to file
    const school = i < ORDER_CLASS_PATHS.length && path.key === 'county_filing' ? people.demo.school : picked;
    const ent = i % 6 === 0 ? people.demo.enterprise : rnd.pick(people.enterprises.length ? people.enterprises : [people.demo.enterprise]);
    const major = MAJORS.find((m) => m.industry === ent.industry) ?? rnd.pick(MAJORS);
    const when = time.place(path.steps.length + 1, !['draft', 'enterprise_confirm', 'returned', 'county_filing'].includes(path.key), rnd);
    const name = `${ent.name.replace(/(股份)?有限公司$/, '').slice(0, 10)}${major.name}订单班`;
    plan.push({
      caseId: caseBase + i,
      path: path.key,
      ownerOrgId: school.id,
      countyCode: school.countyCode,
      title: name,
      createdBy: school.userId,
      creatorRole: 'school_admin',
      ownerUserId: null,
      party: { key: 'enterprise', orgId: ent.id, userId: ent.userId },
      countyReviewerId: people.countyReviewer.get(school.countyCode) ?? null,
      schoolAdminId: school.userId,
      t0: when.t0,
      gap: when.gap,
      classId: classBase + i,
      schoolId: school.id,
      enterpriseId: ent.id,
      major,
      cohort: when.year,
    });
  }
  const guard = () => undefined;
  await writeCases(
    em,
    orderClassWorkflow({ complete: guard, hasStudents: guard, outcomesReported: guard }, async () => {}),
    ORDER_CLASS_PATHS,
    plan,
    people.fixed,
  );
  await insertRows(
    em,
    'order_classes',
    {
      id: 'bigint',
      case_id: 'bigint',
      school_id: 'int',
      enterprise_id: 'int',
      name: 'text',
      major_code: 'text',
      cohort_year: 'int',
      planned_headcount: 'int',
      term_start: 'date',
      term_end: 'date',
      courses: 'text',
      mentors: 'jsonb',
      internship: 'jsonb',
      employment: 'jsonb',
      created_by: 'int',
      created_at: 'timestamptz',
    },
    plan.map((c) => {
      const start = `${c.cohort}-09-01`;
      return [
        c.classId,
        c.caseId,
        c.schoolId,
        c.enterpriseId,
        c.title,
        c.major.code,
        c.cohort,
        30 + (c.classId % 4) * 5,
        start,
        `${c.cohort + 3}-06-30`,
        `${c.major.name}核心课程；企业真实项目实训；岗位实习`,
        JSON.stringify([{ name: personName(rnd), title: '技术主管', years: rnd.int(5, 20) }]),
        JSON.stringify({
          arrangement: '第三学年在企业岗位实习',
          months: 6,
          insurer: '中国人民财产保险温州分公司',
          policyNo: `PZ${c.classId}`,
          coverageYuan: 500000,
        }),
        JSON.stringify({ posts: [{ title: `${c.major.name}岗位`, openings: 20 }], salaryMinYuan: 4500, salaryMaxYuan: 7000, note: '考核合格优先录用' }),
        c.createdBy,
        new Date(c.t0 * 1000).toISOString(),
      ];
    }),
  );
  // rosters of the filed classes: sealed ID numbers and phones, masked copies, outcomes once the class closed
  // the instants a class was filed and terminated, with the county and the partner's industry it is counted in, kept
  // on the class as the feature writes them with those transitions (migrations 1795921000001-OrderClassDates and
  // 1795941000001-OrderClassFilings): here from the generated events, as the migrations backfilled them
  await em.query(
    `UPDATE order_classes t SET filed_at = ev.filed, ended_at = ev.ended, filed_county_code = ev.county_code, filed_industry = ev.industry
       FROM (SELECT oc.case_id, min(x.at) FILTER (WHERE x.to_state = 'active') AS filed, min(x.at) FILTER (WHERE x.to_state = 'terminated') AS ended,
                    min(c.county_code) AS county_code, min(coalesce(e.industry, 'other')) AS industry
               FROM case_events x JOIN order_classes oc ON oc.case_id = x.case_id JOIN cases c ON c.id = oc.case_id ${PARTNER_JOIN}
              WHERE oc.id >= $1 AND x.to_state IN ('active', 'terminated') AND x.from_state IS DISTINCT FROM x.to_state
              GROUP BY oc.case_id) ev
      WHERE ev.case_id = t.case_id`,
    [classBase],
  );
  const students: unknown[][] = [];
  const studentCap = Math.min(count, 20_000) * 12;
  const countyOf = new Map(people.schools.map((s) => [s.id, s.countyCode]));
  for (const c of plan) {
    const path = ORDER_CLASS_PATHS.find((p) => p.key === c.path)!;
    if (path.roster === 'none' || students.length >= studentCap) continue;
    const n = rnd.int(8, 15);
    const joined = `${c.cohort}-09-01`;
    const ids = new Set<string>();
    for (let k = 0; k < n; k++) {
      const male = rnd.chance(0.6);
      const birth = addDays(`${c.cohort - 18}-01-01`, rnd.int(0, 364));
      const id = normaliseIdNumber(idNumber(countyOf.get(c.schoolId) ?? '330302', birth, male, rnd));
      // one ID number per class (the roster's unique key): a rare repeat is drawn again
      if (ids.has(id)) {
        k--;
        continue;
      }
      ids.add(id);
      const phone = rnd.chance(0.7) ? mobile(rnd) : null;
      const graduated = path.roster === 'graduated';
      students.push([
        c.classId,
        personName(rnd),
        male ? 'male' : 'female',
        Number(birth.slice(0, 4)),
        cipher.seal(id),
        cipher.lookupHash(id),
        maskIdNumber(id),
        phone ? cipher.seal(phone) : null,
        phone ? maskPhone(phone) : null,
        joined,
        null,
        graduated ? true : null,
        graduated
          ? rnd.weighted([
              ['enterprise', 6],
              ['elsewhere', 2],
              ['further_study', 1],
            ] as const)
          : null,
        c.createdBy,
      ]);
    }
  }
  await insertRows(
    em,
    'order_class_students',
    {
      order_class_id: 'bigint',
      name: 'text',
      gender: 'text',
      birth_year: 'smallint',
      id_sealed: 'bytea',
      id_lookup: 'bytea',
      id_masked: 'text',
      phone_sealed: 'bytea',
      phone_masked: 'text',
      joined_on: 'date',
      left_on: 'date',
      graduated: 'boolean',
      destination: 'text',
      created_by: 'int',
    },
    students,
    {
      select:
        'u.order_class_id, u.name, u.gender, u.birth_year, u.id_sealed, u.id_lookup, u.id_masked, u.phone_sealed, u.phone_masked, u.joined_on, CASE WHEN u.left_on >= u.joined_on THEN u.left_on END, u.graduated, u.destination, u.created_by',
    },
  );
  return { classes: count, students: students.length };
}
