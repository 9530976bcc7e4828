import { MAJORS, PRACTICE_FORM_CODES, portalDate } from '@portal/contracts';
import { hostIndustryOf, practiceApplicationWorkflow, practiceWorkflow, recountPersonTimes } from '@portal/practice';
import type { EntityManager } from 'typeorm';
import { insertRows, reserveIds, writeCases, type CasePath, type PathStep, type PlannedCase } from './engine.js';
import type { CityPeople, Org } from './identity.js';
import type { Prng } from './random.js';
import type { Timeline } from './timeline.js';

/**
 * Practice's tables of a generated city (teacher_profiles, practice_posts, practice_applications, practice_records):
 * teachers (兼职 and 双师型 among them), 千企万岗 posts with applications in every state of their workflow, and
 * practice records in every state of theirs — five per teacher, never overlapping, spread over three years. Both
 * are cases written by writeCases. Follows migrations up to PracticeApplicationCases1795943000001.
 */

const submit: PathStep = { action: 'submit', by: 'owner_person', role: 'owner_person' };
const confirm: PathStep = { action: 'confirm', by: 'party', role: 'enterprise_applicant', payload: { data: { hours: '§hours§' } } };

export const PRACTICE_PATHS: Array<CasePath & { open: boolean }> = [
  { key: 'draft', open: true, steps: [] },
  { key: 'host_confirm', open: true, steps: [submit] },
  { key: 'returned', open: true, steps: [submit, { action: 'return', by: 'party', role: 'enterprise_applicant', items: ['实践内容请写明具体岗位与工艺'] }] },
  { key: 'school_approval', open: true, steps: [submit, confirm] },
  { key: 'counted', open: false, steps: [submit, confirm, { action: 'approve', by: 'school', role: 'school_admin' }] },
  {
    key: 'rejected',
    open: false,
    steps: [submit, confirm, { action: 'reject', by: 'school', role: 'school_admin', comment: '实践时间与教学安排冲突，证明材料不足' }],
  },
  { key: 'withdrawn', open: false, steps: [submit, { action: 'withdraw', by: 'owner_person', role: 'owner_person' }] },
];

const CONTENT = [
  '参与生产线工艺改进，学习企业生产组织方式与质量管理流程',
  '跟岗学习数控加工工艺流程，掌握新设备操作与维护技能',
  '参与产品研发项目，了解行业新技术新工艺新规范',
  '在客服与运营岗位实践，熟悉岗位职责与技能要求',
  '参加企业技能培训，考取行业职业技能等级证书',
];
const DAY = 86_400;

const apply: PathStep = { action: 'apply', by: 'owner_person', role: 'teacher' };
const schoolApprove: PathStep = { action: 'school_approve', by: 'school', role: 'school_admin' };

/** An application's paths, one per state (apply is the engine's system transition, recorded under the teacher). */
export const APPLICATION_PATHS: CasePath[] = [
  { key: 'applied', steps: [apply] },
  { key: 'school_approved', steps: [apply, schoolApprove] },
  { key: 'accepted', steps: [apply, schoolApprove, { action: 'accept', by: 'party', role: 'party:host' }] },
  { key: 'school_declined', steps: [apply, { action: 'school_decline', by: 'school', role: 'school_admin' }] },
  { key: 'declined', steps: [apply, schoolApprove, { action: 'decline', by: 'party', role: 'party:host' }] },
  { key: 'withdrawn', steps: [apply, { action: 'withdraw', by: 'owner_person', role: 'owner_person' }] },
  // still open when the post's period ended: the engine's sweep closed it (岗位已结束)
  { key: 'post_ended', steps: [apply, { action: 'expire', by: 'system', role: 'system' }] },
  { key: 'post_ended_approved', steps: [apply, schoolApprove, { action: 'expire', by: 'system', role: 'system' }] },
];

/** What the post-ended sweep leaves of an application still open when its post's period is over. */
const ENDED_PATH: Record<string, string> = { applied: 'post_ended', school_approved: 'post_ended_approved' };

export async function seedPractice(
  em: EntityManager,
  people: CityPeople,
  counts: { records: number; posts: number },
  rnd: Prng,
  time: Timeline,
): Promise<{ teachers: number; records: number; posts: number; applications: number }> {
  const teachers = [{ id: people.demo.teacherId, schoolId: people.demo.school.id, name: '王' }, ...people.teachers];
  const adminOf = new Map(people.schools.map((s) => [s.id, s.userId]));
  const schoolOf = new Map(people.schools.map((s) => [s.id, s]));
  const hosts: Org[] = [people.demo.enterprise, ...people.enterprises];

  // profiles: about one teacher in five part-time (task 44), nine in ten 双师型 (task 48)
  await insertRows(
    em,
    'teacher_profiles',
    { user_id: 'int', school_id: 'int', major: 'text', employment: 'text', dual_qualified: 'boolean', dual_qualified_on: 'date', created_by: 'int' },
    teachers.map((t) => {
      const dual = rnd.chance(0.88);
      return [
        t.id,
        t.schoolId,
        rnd.pick(MAJORS).name,
        rnd.chance(0.22) ? 'part_time' : 'full_time',
        dual,
        dual ? portalDate(new Date((time.now - rnd.int(30, 2000) * DAY) * 1000)) : null,
        adminOf.get(t.schoolId),
      ];
    }),
    { extra: 'ON CONFLICT (user_id) DO NOTHING' },
  );

  // posts and applications (two per post, by teachers of different schools)
  const postBase = await reserveIds(em, 'practice_posts', counts.posts);
  const postRows: unknown[][] = [];
  const appRows: Array<{ postId: number; teacherId: number; schoolId: number; state: string; at: number; enterprise: Org; title: string; name: string }> = [];
  const statuses = ['applied', 'school_approved', 'accepted', 'accepted', 'school_declined', 'declined', 'withdrawn'] as const;
  for (let i = 0; i < counts.posts; i++) {
    const ent = i % 5 === 0 ? people.demo.enterprise : rnd.pick(hosts);
    const major = MAJORS.find((m) => m.industry === ent.industry) ?? rnd.pick(MAJORS);
    const start = time.now - rnd.int(-60, 900) * DAY;
    const openings = rnd.int(2, 8);
    const picked = [rnd.pick(teachers), rnd.pick(teachers)];
    if (i % 7 === 0) picked[0] = teachers[0];
    if (picked[1].id === picked[0].id) picked.pop();
    const end = start + rnd.int(30, 120) * DAY;
    // an application still awaiting the school or the enterprise when the post ended was closed by the sweep
    const ended = portalDate(new Date(end * 1000)) < portalDate(new Date(time.now * 1000));
    const st = picked.map((_, k) => {
      const s: string = statuses[(i * 2 + k) % statuses.length];
      return ended ? (ENDED_PATH[s] ?? s) : s;
    });
    postRows.push([
      postBase + i,
      ent.id,
      `${major.name}岗位实践`,
      major.name,
      openings,
      st.filter((s) => s === 'accepted').length,
      portalDate(new Date(start * 1000)),
      portalDate(new Date(end * 1000)),
      `${rnd.pick(CONTENT)}。`,
      `${ent.name.slice(2, 3)}工`,
      start + 120 * DAY < time.now ? 'closed' : 'open',
      ent.userId,
      new Date((start - 30 * DAY) * 1000).toISOString(),
    ]);
    for (const [k, t] of picked.entries()) {
      appRows.push({
        postId: postBase + i,
        teacherId: t.id,
        schoolId: t.schoolId,
        state: st[k],
        at: start - rnd.int(5, 25) * DAY,
        enterprise: ent,
        title: `${major.name}岗位实践`,
        name: t.name,
      });
    }
  }
  await insertRows(
    em,
    'practice_posts',
    {
      id: 'bigint',
      enterprise_id: 'int',
      title: 'text',
      major: 'text',
      openings: 'int',
      accepted: 'int',
      start_date: 'date',
      end_date: 'date',
      content: 'text',
      mentor_name: 'text',
      status: 'text',
      created_by: 'int',
      created_at: 'timestamptz',
    },
    postRows,
  );
  // applications: cases of practice-application, then their rows
  const appBase = await reserveIds(em, 'practice_applications', appRows.length);
  const appCaseBase = await reserveIds(em, 'cases', appRows.length);
  const appPlan: PlannedCase[] = appRows.map((a, i) => {
    const school = schoolOf.get(a.schoolId)!;
    return {
      caseId: appCaseBase + i,
      path: a.state,
      ownerOrgId: a.schoolId,
      countyCode: school.countyCode,
      title: `${a.name}：${a.title}`,
      createdBy: a.teacherId,
      creatorRole: 'teacher',
      ownerUserId: a.teacherId,
      party: { key: 'host', orgId: a.enterprise.id, userId: a.enterprise.userId },
      countyReviewerId: null,
      schoolAdminId: school.userId,
      t0: a.at,
      gap: DAY,
    };
  });
  await writeCases(em, practiceApplicationWorkflow, APPLICATION_PATHS, appPlan, people.fixed);
  await insertRows(
    em,
    'practice_applications',
    { id: 'bigint', case_id: 'bigint', post_id: 'bigint', teacher_id: 'int', school_id: 'int', note: 'text' },
    appRows.map((a, i) => [appBase + i, appCaseBase + i, a.postId, a.teacherId, a.schoolId, '希望到企业一线学习新工艺']),
    {
      into: 'id, case_id, post_id, teacher_id, school_id, note, live, created_at, updated_at',
      select: `u.id, u.case_id, u.post_id, u.teacher_id, u.school_id, u.note, c.state IN ('applied', 'school_approved', 'accepted'), c.created_at, c.updated_at`,
      extra: 'JOIN cases c ON c.id = u.case_id',
    },
  );

  // practice records: five slots of 219 days over the last three years per teacher; only the latest may be open
  const perTeacher = Math.max(1, Math.ceil(counts.records / teachers.length));
  const slot = Math.floor(1095 / perTeacher);
  const caseBase = await reserveIds(em, 'cases', counts.records);
  const recordBase = await reserveIds(em, 'practice_records', counts.records);
  const closedWeights = [
    [PRACTICE_PATHS[4], 88],
    [PRACTICE_PATHS[5], 4],
    [PRACTICE_PATHS[6], 4],
  ] as const;
  const openPaths = PRACTICE_PATHS.filter((p) => p.open);
  const plan: Array<
    PlannedCase & { start: string; end: string; claimed: number; form: string; content: string; schoolId: number; teacherId: number; path: string }
  > = [];
  for (let i = 0; i < counts.records; i++) {
    const t = teachers[i % teachers.length];
    const k = Math.floor(i / teachers.length);
    const last = k === perTeacher - 1;
    // every state at least once (in the latest slot, where an open record may be), then by weight
    const forced = last && i % teachers.length < PRACTICE_PATHS.length ? PRACTICE_PATHS[i % teachers.length] : undefined;
    const path = forced ?? (last && rnd.chance(0.3) ? rnd.pick(openPaths) : rnd.weighted(closedWeights));
    const host = i % 9 === 0 ? people.demo.enterprise : rnd.pick(hosts);
    const days = rnd.int(5, 60);
    let endAt: number;
    let t0: number;
    let gap: number;
    if (path.open) {
      // recent: its stage waits now, some past the due date
      const when = time.place(path.steps.length + 1, false, rnd);
      ({ t0, gap } = when);
      endAt = t0 - rnd.int(1, 5) * DAY;
      // the open record takes the last slot: it must not overlap the slot before
    } else {
      const slotStart = time.now - 1095 * DAY + k * slot * DAY;
      const startAt = slotStart + rnd.int(0, Math.max(1, slot - days - 20)) * DAY;
      endAt = startAt + days * DAY;
      gap = rnd.int(1, 3) * DAY + rnd.int(0, 6) * 3600;
      t0 = endAt + rnd.int(1, 5) * DAY;
    }
    const startAt = endAt - days * DAY;
    const hours = days * rnd.pick([4, 6, 8]);
    const school = schoolOf.get(t.schoolId)!;
    plan.push({
      caseId: caseBase + i,
      path: path.key,
      ownerOrgId: t.schoolId,
      countyCode: school.countyCode,
      // as the portal titles a record (PracticeRecordsService: teacher, host, period), with the host's whole name (a cut
      // "…股份有限" reads as a mangled company in every notification of the case); a teacher's display name is 〈name〉老师
      title: `${t.name}老师：${host.name}（${portalDate(new Date(startAt * 1000))} 至 ${portalDate(new Date(endAt * 1000))}）`,
      createdBy: t.id,
      creatorRole: 'teacher',
      ownerUserId: t.id,
      party: { key: 'host', orgId: host.id, userId: host.userId },
      countyReviewerId: null,
      schoolAdminId: school.userId,
      t0,
      gap,
      hours,
      start: portalDate(new Date(startAt * 1000)),
      end: portalDate(new Date(endAt * 1000)),
      claimed: hours + (rnd.chance(0.2) ? 8 : 0),
      form: rnd.pick(PRACTICE_FORM_CODES),
      content: rnd.pick(CONTENT),
      schoolId: t.schoolId,
      teacherId: t.id,
    });
  }
  await writeCases(em, practiceWorkflow, PRACTICE_PATHS, plan, people.fixed);
  await insertRows(
    em,
    'practice_records',
    {
      id: 'bigint',
      case_id: 'bigint',
      teacher_id: 'int',
      school_id: 'int',
      start_date: 'date',
      end_date: 'date',
      hours: 'int',
      claimed_hours: 'int',
      form: 'text',
      content: 'text',
    },
    plan.map((c, i) => [recordBase + i, c.caseId, c.teacherId, c.schoolId, c.start, c.end, c.hours, c.claimed, c.form, c.content]),
    {
      into: 'id, case_id, teacher_id, school_id, start_date, end_date, hours, claimed_hours, form, content, outcomes, live, counted, counted_on, counted_industry, created_by, created_at, updated_at',
      select: `u.id, u.case_id, u.teacher_id, u.school_id, u.start_date, u.end_date, u.hours, u.claimed_hours, u.form, u.content,
               CASE WHEN c.state = 'counted' THEN '形成实践报告一份，转化教学案例' ELSE '' END,
               c.state NOT IN ('withdrawn', 'rejected'), c.state = 'counted',
               CASE WHEN c.state = 'counted' THEN (c.decided_at AT TIME ZONE 'Asia/Shanghai')::date END,
               CASE WHEN c.state = 'counted' THEN ${hostIndustryOf('u.case_id')} END,
               u.teacher_id, c.created_at, c.updated_at`,
      extra: 'JOIN cases c ON c.id = u.case_id',
    },
  );
  // the dashboard's kept totals of person-times from the records just written
  await recountPersonTimes(em);
  return { teachers: teachers.length, records: counts.records, posts: counts.posts, applications: appRows.length };
}
