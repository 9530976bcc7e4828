import { certificationWorkflow, PANEL_CRITERIA } from '@portal/certification';
import { phoneKey, SETTING_DEFINITIONS as SETTINGS } from '@portal/contracts';
import type { EntityManager } from 'typeorm';
import { insertRows, reserveIds, writeCases, type CasePath, type PathStep, type PlannedCase } from './engine.js';
import type { CityPeople, Org } from './identity.js';
import { mobile, personName } from './names.js';
import type { Prng } from './random.js';
import type { Timeline } from './timeline.js';

/**
 * Certification's tables of a generated city (certification_applications, certifications, subsidies,
 * subsidy_events): applications at every stage of the 认定 workflow, city certifications, subsidies in every
 * ledger state (待拨付 → notice → 已拨付, 已撤销, 待追回 → 已追回). Follows migrations up to SeedRuns1795930000001.
 */

const SCORES: Record<string, Record<string, number>> = {
  expert1: { cooperation: 26, talent: 25, investment: 16, plan: 17 },
  expert2: { cooperation: 24, talent: 27, investment: 15, plan: 16 },
  expert3: { cooperation: 25, talent: 24, investment: 17, plan: 18 },
};
const total = (s: Record<string, number>) => PANEL_CRITERIA.reduce((a, c) => a + (s[c.key] ?? 0), 0);
const PASS_AVERAGE = Math.round(((total(SCORES.expert1) + total(SCORES.expert2) + total(SCORES.expert3)) / 3) * 100) / 100;

const submit: PathStep = { action: 'submit', by: 'owner', role: 'owner' };
const recommend: PathStep = { action: 'recommend', by: 'county', role: 'county_reviewer', comment: '材料齐全，同意推荐' };
const toPanel: PathStep = { action: 'send_to_panel', by: 'city', role: 'city_reviewer', comment: '提交专家评审' };
const score = (e: 'expert1' | 'expert2' | 'expert3'): PathStep => ({ action: 'score', by: e, role: 'expert', score: SCORES[e] });
const passed: PathStep[] = [
  submit,
  recommend,
  toPanel,
  score('expert1'),
  score('expert2'),
  score('expert3'),
  { action: 'panel_pass', by: 'system', role: 'system', payload: { average: PASS_AVERAGE, passMark: 60, scored: 3 } },
];
const publicized: PathStep[] = [...passed, { action: 'publicize', by: 'city', role: 'city_reviewer' }];
const publicityEnd: PathStep = { action: 'publicity_end', by: 'system', role: 'system' };
const decided: PathStep[] = [...publicized, publicityEnd];
/** A 公示 objection ruled on while the window was open: the ruling is on the case's chain (ObjectionsService.resolve). */
const ruling = (outcome: 'upheld' | 'dismissed', comment: string): PathStep => ({
  action: 'resolve_objection',
  by: 'city',
  role: 'city_reviewer',
  comment,
  event: true,
  payload: { objection: '§objection§', outcome },
});
const DISMISSED = '经核实，异议反映的劳动纠纷已依法调解结案，不影响认定';
const UPHELD = '经向市场监管部门核实，企业被列入严重违法失信名单，异议成立';
const certified: PathStep[] = [...decided, { action: 'certify', by: 'city2', role: 'city_reviewer', comment: '经公示无异议，予以认定' }];
const paid: PathStep = {
  action: 'subsidy_pay',
  by: 'finance' as never,
  role: 'finance',
  event: true,
  payload: { from: 'notified', level: 'city', paid_amount_fen: '§amount§', subsidyId: '§subsidy§', to: 'paid' },
};
const revoke = (from: string, to: string): PathStep => ({
  action: 'revoke',
  by: 'city',
  role: 'city_reviewer',
  comment: '年度报告核查发现重大安全生产事故',
  payload: { certificationId: '§cert§', level: 'city', subsidies: [{ amountFen: '§amount§', from, id: '§subsidy§', to }] },
});

/** The paths an application takes, with how often each is taken (the certified dominate, as the plan's 100+ target wants). */
export const CERTIFICATION_PATHS: Array<CasePath & { weight: number; subsidy?: 'pending' | 'paid' | 'cancelled' | 'to_recover' | 'recovered' }> = [
  { key: 'draft', weight: 4, steps: [] },
  { key: 'county_review', weight: 5, steps: [submit] },
  {
    key: 'returned',
    weight: 3,
    steps: [submit, { action: 'return', by: 'county', role: 'county_reviewer', items: ['请补充校企合作协议扫描件', '三年规划缺少投入金额'] }],
  },
  { key: 'city_review', weight: 4, steps: [submit, recommend] },
  {
    key: 'city_review_again',
    weight: 2,
    steps: [
      submit,
      { action: 'return', by: 'county', role: 'county_reviewer', items: ['请补充近三年订单班名单'] },
      { action: 'resubmit', by: 'owner', role: 'owner' },
      recommend,
    ],
  },
  { key: 'panel', weight: 4, steps: [submit, recommend, toPanel, score('expert2'), score('expert3')] },
  { key: 'publicity_pending', weight: 2, steps: passed },
  { key: 'publicity', weight: 2, steps: publicized },
  // an objection lodged during 公示 and dismissed: the case went on to the decision
  { key: 'decision', weight: 3, steps: [...publicized, ruling('dismissed', DISMISSED), publicityEnd] },
  { key: 'certified', weight: 14, steps: certified, subsidy: 'pending' },
  { key: 'certified_paid', weight: 18, steps: [...certified, paid], subsidy: 'paid' },
  { key: 'revoked', weight: 1, steps: [...certified, revoke('pending', 'cancelled')], subsidy: 'cancelled' },
  { key: 'revoked_paid', weight: 1, steps: [...certified, paid, revoke('paid', 'to_recover')], subsidy: 'to_recover' },
  {
    key: 'recovered',
    weight: 1,
    steps: [
      ...certified,
      paid,
      revoke('paid', 'to_recover'),
      {
        action: 'subsidy_recover',
        by: 'finance' as never,
        role: 'finance',
        event: true,
        payload: { from: 'to_recover', level: 'city', subsidyId: '§subsidy§', to: 'recovered' },
      },
    ],
    subsidy: 'recovered',
  },
  {
    key: 'not_certified',
    weight: 1,
    // an objection upheld: after the window, not certified
    steps: [
      ...publicized,
      ruling('upheld', UPHELD),
      publicityEnd,
      { action: 'decline', by: 'city2', role: 'city_reviewer', comment: '公示期间核实存在失信记录，不予认定' },
    ],
  },
  { key: 'rejected', weight: 2, steps: [submit, { action: 'reject', by: 'county', role: 'county_reviewer', comment: '主营业务为教育培训，不符合申报条件' }] },
  { key: 'rejected_city', weight: 1, steps: [submit, recommend, { action: 'reject', by: 'city', role: 'city_reviewer', comment: '校企合作证明材料不足' }] },
  { key: 'withdrawn', weight: 2, steps: [submit, { action: 'withdraw', by: 'owner', role: 'owner', comment: '材料准备不充分，主动撤回' }] },
];

const CITY_SUBSIDY_FEN = Number(SETTINGS['certification.subsidyCityYuan'].default) * 100;

export async function seedCertification(
  em: EntityManager,
  people: CityPeople,
  count: number,
  rnd: Prng,
  time: Timeline,
): Promise<{ certified: number; objections: number; paidCity: Org[] }> {
  // the demo enterprise first (certified, its subsidy waiting for the notice), then one application per enterprise
  const applicants: Org[] = [people.demo.enterprise, ...people.enterprises].slice(0, count + 1);
  const caseBase = await reserveIds(em, 'cases', applicants.length);
  const appBase = await reserveIds(em, 'certification_applications', applicants.length);
  const certBase = await reserveIds(em, 'certifications', applicants.length);
  const subsidyBase = await reserveIds(em, 'subsidies', applicants.length);
  const weighted = CERTIFICATION_PATHS.map((p) => [p, p.weight] as const);
  // every stage at least once, then by weight; the open review stages go to 鹿城区 first so that the demo reviewers have work
  const order = [...CERTIFICATION_PATHS, ...Array.from({ length: Math.max(0, applicants.length - CERTIFICATION_PATHS.length) }, () => rnd.weighted(weighted))];
  // two cursors instead of searches: the next unused 鹿城区 applicant, the next unused one anywhere
  const lucheng = applicants.filter((a) => a.countyCode === '330302');
  const used = new Set<number>();
  let nextLucheng = 0;
  let nextAny = 0;
  const take = (list: Org[], from: number): [Org | undefined, number] => {
    while (from < list.length && used.has(list[from].id)) from++;
    return [list[from], from];
  };
  const plan: Array<PlannedCase & { org: Org; pathDef: (typeof CERTIFICATION_PATHS)[number] }> = [];
  for (const [i, path] of order.slice(0, applicants.length).entries()) {
    let org: Org | undefined;
    if (i === 0) org = people.demo.enterprise;
    else if (['county_review', 'returned', 'certified'].includes(path.key)) [org, nextLucheng] = take(lucheng, nextLucheng);
    if (!org) [org, nextAny] = take(applicants, nextAny);
    if (!org) break;
    used.add(org.id);
    const p = i === 0 ? CERTIFICATION_PATHS.find((x) => x.key === 'certified')! : path;
    const when = time.place(
      p.steps.length + 1,
      !['draft', 'returned', 'county_review', 'city_review', 'city_review_again', 'panel', 'publicity_pending', 'publicity', 'decision'].includes(p.key),
      rnd,
    );
    plan.push({
      caseId: caseBase + i,
      path: p.key,
      ownerOrgId: org.id,
      countyCode: org.countyCode,
      title: `${org.name} ${when.year}年度产教融合型企业认定申请`,
      createdBy: org.userId,
      creatorRole: 'enterprise_applicant',
      ownerUserId: null,
      party: null,
      countyReviewerId: people.countyReviewer.get(org.countyCode) ?? null,
      schoolAdminId: null,
      t0: when.t0,
      gap: when.gap,
      cert: certBase + i,
      subsidy: subsidyBase + i,
      amount: CITY_SUBSIDY_FEN,
      org,
      pathDef: p,
    });
  }
  // objections to 公示: ruled on in the paths that carry a ruling; open (holding the stage) on every other case still on 公示
  const objected = plan.filter((c, i) => ['decision', 'not_certified'].includes(c.path) || (c.path === 'publicity' && i % 2 === 0));
  const objectionBase = await reserveIds(em, 'objections', objected.length);
  for (const [k, c] of objected.entries()) c.vars = { objection: objectionBase + k };
  // 'finance' is the case's county finance officer: resolved per case through the county reviewer slot's twin
  const def = certificationWorkflow(() => undefined);
  const byFinance = new Map<string, PlannedCase[]>();
  for (const c of plan) {
    const f = String(people.finance.get(c.countyCode!) ?? '');
    byFinance.set(f, [...(byFinance.get(f) ?? []), c]);
  }
  for (const [financeId, cases] of byFinance) {
    await writeCases(em, def, CERTIFICATION_PATHS, cases, { ...people.fixed, finance: Number(financeId) } as never);
  }
  await em.query(
    `INSERT INTO certification_applications (id, case_id, enterprise_id, year, plan, evidence, declarations, created_by, created_at, updated_at)
     SELECT a.id, c.id, c.owner_org_id, extract(year FROM c.created_at AT TIME ZONE 'Asia/Shanghai')::int,
            '三年内共建实训基地1个，每年接收实习学生不少于30人，与职业院校联合开设订单班，投入设备与资金不少于100万元。',
            '[{"type": "order_class", "description": "与职业院校合作开设订单班", "source": "manual"}, {"type": "internship", "description": "每年接收实习学生", "source": "manual"}]',
            '{"noMajorAccident": true, "notDishonest": true, "mainBusinessNotEducation": true}', c.created_by, c.created_at, c.updated_at
       FROM unnest($1::bigint[], $2::bigint[]) AS a(id, case_id) JOIN cases c ON c.id = a.case_id`,
    [plan.map((_, i) => appBase + i), plan.map((c) => c.caseId)],
  );
  await seedObjections(em, objected, rnd);
  const granted = plan.filter((c) => c.pathDef.subsidy);
  const rows = {
    caseId: granted.map((c) => c.caseId),
    appId: granted.map((c) => appBase + (c.caseId - caseBase)),
    cert: granted.map((c) => c.cert),
    subsidy: granted.map((c) => c.subsidy),
    status: granted.map((c) => c.pathDef.subsidy),
  };
  await em.query(
    `INSERT INTO certifications (id, enterprise_id, level, source, application_id, certified_at, valid_until, revoked_at, revoke_reason, revoked_by, created_by, created_at)
     SELECT g.cert, c.owner_org_id, 'city', 'portal', g.app, (ce.at AT TIME ZONE 'Asia/Shanghai')::date,
            ((ce.at AT TIME ZONE 'Asia/Shanghai')::date + make_interval(years => $4))::date,
            rv.at, rv.comment, rv.actor_id, ce.actor_id, ce.at
       FROM unnest($1::bigint[], $2::bigint[], $3::bigint[]) AS g(case_id, app, cert)
       JOIN cases c ON c.id = g.case_id
       JOIN case_events ce ON ce.case_id = g.case_id AND ce.action = 'certify'
       LEFT JOIN case_events rv ON rv.case_id = g.case_id AND rv.action = 'revoke'`,
    [rows.caseId, rows.appId, rows.cert, SETTINGS['certification.validityYears'].default],
  );
  await em.query(
    `INSERT INTO subsidies (id, enterprise_id, level, certification_id, county_code, amount_fen, policy, status, version, voucher_no, paid_at, paid_amount_fen, paid_by,
                            cancel_reason, recovered_at, recovered_amount_fen, recovered_by, recovery_voucher_no, created_at, updated_at)
     SELECT g.subsidy, c.owner_org_id, 'city', g.cert, c.county_code, $5, 'full', g.status,
            1 + (pay.at IS NOT NULL)::int + (rv.at IS NOT NULL)::int + (rc.at IS NOT NULL)::int,
            CASE WHEN pay.at IS NOT NULL THEN 'WZCZ' || to_char(pay.at AT TIME ZONE 'Asia/Shanghai', 'YYYYMMDD') || lpad(g.subsidy::text, 6, '0') END,
            (pay.at AT TIME ZONE 'Asia/Shanghai')::date, CASE WHEN pay.at IS NOT NULL THEN $5::bigint END, pay.actor_id,
            CASE WHEN rv.at IS NOT NULL THEN '认定撤销：' || rv.comment END,
            (rc.at AT TIME ZONE 'Asia/Shanghai')::date, CASE WHEN rc.at IS NOT NULL THEN $5::bigint END, rc.actor_id,
            CASE WHEN rc.at IS NOT NULL THEN 'WZZH' || lpad(g.subsidy::text, 8, '0') END,
            ce.at, greatest(ce.at, pay.at, rv.at, rc.at)
       FROM unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::text[]) AS g(case_id, cert, subsidy, status)
       JOIN cases c ON c.id = g.case_id
       JOIN case_events ce ON ce.case_id = g.case_id AND ce.action = 'certify'
       LEFT JOIN case_events pay ON pay.case_id = g.case_id AND pay.action = 'subsidy_pay'
       LEFT JOIN case_events rv ON rv.case_id = g.case_id AND rv.action = 'revoke'
       LEFT JOIN case_events rc ON rc.case_id = g.case_id AND rc.action = 'subsidy_recover'`,
    [rows.caseId, rows.cert, rows.subsidy, rows.status, CITY_SUBSIDY_FEN],
  );
  // the subsidy's own ledger: created, paid, changed by the revocation, recovered
  await em.query(
    `INSERT INTO subsidy_events (subsidy_id, actor_id, action, from_status, to_status, details, at)
     SELECT s.id, e.actor_id, x.action, x.from_status, x.to_status, x.details, e.at
       FROM subsidies s JOIN certifications cf ON cf.id = s.certification_id JOIN certification_applications a ON a.id = cf.application_id
       JOIN case_events e ON e.case_id = a.case_id
       CROSS JOIN LATERAL (VALUES
         ('certify', 'create', NULL, 'pending', jsonb_build_object('amountFen', s.amount_fen, 'policy', 'full', 'certificationId', cf.id)),
         ('subsidy_pay', 'pay', 'notified', 'paid', jsonb_build_object('voucher_no', s.voucher_no, 'paid_at', s.paid_at, 'paid_amount_fen', s.paid_amount_fen)),
         ('revoke', 'revoke_certification', CASE WHEN s.paid_at IS NULL THEN 'pending' ELSE 'paid' END, CASE WHEN s.paid_at IS NULL THEN 'cancelled' ELSE 'to_recover' END,
           jsonb_build_object('reason', e.comment)),
         ('subsidy_recover', 'recover', 'to_recover', 'recovered', jsonb_build_object('recovered_at', s.recovered_at, 'recovery_voucher_no', s.recovery_voucher_no))
       ) AS x(event, action, from_status, to_status, details)
      WHERE e.action = x.event AND s.id = ANY($1) ORDER BY e.at`,
    [rows.subsidy],
  );
  return {
    certified: granted.length,
    objections: objected.length,
    // who may also hold a provincial or national certification: enterprises whose city certification stands, paid
    paidCity: plan.filter((c) => c.path === 'certified_paid' && c.org.id !== people.demo.enterprise.id).map((c) => c.org),
  };
}

const OBJECTIONS = [
  '该企业近两年存在拖欠员工工资的情况，曾发生劳动纠纷，请核实。',
  '据了解该企业主营业务中包含职业培训，与申报条件不符，请核查。',
  '该企业申报材料中的校企合作项目实际并未开展，请调查核实。',
];

/**
 * The objections of the cases that carry one (ObjectionsService.lodge, then resolve): lodged with a real name and
 * phone during 公示 — ruled on (the ruling's event is the path's resolve_objection step) or still open.
 */
async function seedObjections(em: EntityManager, cases: PlannedCase[], rnd: Prng): Promise<void> {
  if (!cases.length) return;
  const rows = cases.map((c) => {
    const phone = mobile(rnd);
    return [c.vars!.objection, c.caseId, personName(rnd), phone, phoneKey(phone), rnd.pick(OBJECTIONS)];
  });
  await insertRows(em, 'objections', { id: 'bigint', case_id: 'bigint', name: 'text', phone: 'text', phone_key: 'text', content: 'text' }, rows, {
    into: 'id, case_id, name, phone, phone_key, content, status, resolution, resolved_by, resolved_at, created_at',
    // lodged after the case went on 公示 and before the ruling (or, open, before now)
    select: `u.id, u.case_id, u.name, u.phone, u.phone_key, u.content, coalesce(r.payload->>'outcome', 'open'), r.comment, r.actor_id, r.at,
               p.at + (coalesce(r.at, now()) - p.at) / 2`,
    extra: `JOIN case_events p ON p.case_id = u.case_id AND p.action = 'publicize'
              LEFT JOIN case_events r ON r.case_id = u.case_id AND r.action = 'resolve_objection'`,
  });
}
