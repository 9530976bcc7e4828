import {
  majorName,
  type CaseSummaryInRecord,
  type OrderClassDto,
  type OrderClassEmployment,
  type OrderClassInternship,
  type OrderClassMentor,
} from '@portal/contracts';
import { ORDER_CLASS_WORKFLOW } from './order-class.workflow.js';

/** An order class with its school and its enterprise (picked, or invited and accepted since). */
export interface OrderClassRow {
  id: string;
  case_id: string;
  school_id: number;
  school_name: string;
  county_code: string | null;
  enterprise_id: number | null;
  invited_credit_code: string | null;
  invited_email: string | null;
  ent_id: number | null;
  ent_name: string | null;
  ent_credit_code: string | null;
  ent_industry: string | null;
  ent_county_code: string | null;
  name: string;
  major_code: string | null;
  cohort_year: number | null;
  planned_headcount: number | null;
  term_start: string | null;
  term_end: string | null;
  courses: string;
  mentors: OrderClassMentor[];
  internship: Partial<OrderClassInternship>;
  employment: Partial<OrderClassEmployment>;
  data_version: number;
  /** filed by the county bureau (entered `active`), and terminated: null until then */
  filed_at: Date | null;
  ended_at: Date | null;
  /** what the class is counted in from its filing on (migration 1795941000001): its case's county, its partner's industry */
  filed_county_code: string | null;
  filed_industry: string | null;
  created_at: Date;
  updated_at: Date;
}

/**
 * The partner enterprise `e` of class `oc`: the one picked, or the invited one once it has accepted the invitation
 * (OrderClassesService.partnerAccepted); none while an invitation is pending.
 */
export const PARTNER_JOIN = `LEFT JOIN organisations e ON e.id = oc.enterprise_id`;

/** A class with its school `s`, its case `c` and its partner enterprise `e`. */
export const FROM_CLASSES = `FROM order_classes oc
  JOIN organisations s ON s.id = oc.school_id
  JOIN cases c ON c.id = oc.case_id
  ${PARTNER_JOIN}`;

/**
 * What a list of classes may be narrowed to (the list's `filter`, the dashboard's links). Every condition is on
 * the aliases of FROM_CLASSES, so a count with the same filter answers the list's total.
 */
export interface OrderClassFilter {
  ids?: number[];
  state?: string[];
  /** true: the classes counted toward the plan's target (COUNTED_CLASS); false: the others */
  counted?: boolean;
  schoolId?: number;
  /** the partner enterprise (picked, or invited and accepted since) */
  enterpriseId?: number;
  /** the class's county: its case's, i.e. the school's when it registered the class (the bureau that files it) */
  countyCode?: string;
  /** the partner enterprise's industry ("5+5+N"); `other` also holds an enterprise without one, or not yet registered */
  industry?: string;
  majorCode?: string;
  cohortYear?: number;
  caseId?: number;
  q?: string;
}

/** The filter's conditions on FROM_CLASSES (parameters appended to `params`), the workflow's cases only. */
export function classConditions(f: OrderClassFilter, params: unknown[]): string[] {
  const where = [`c.workflow_key = '${ORDER_CLASS_WORKFLOW}'`];
  if (f.ids) where.push(`oc.id = ANY($${params.push(f.ids)})`);
  if (f.state?.length) where.push(`c.state = ANY($${params.push(f.state)})`);
  if (f.counted !== undefined) where.push(f.counted ? COUNTED_CLASS : `NOT (${COUNTED_CLASS})`);
  if (f.schoolId) where.push(`oc.school_id = $${params.push(f.schoolId)}`);
  if (f.enterpriseId) where.push(`e.id = $${params.push(f.enterpriseId)}`);
  if (f.countyCode) where.push(`c.county_code = $${params.push(f.countyCode)}`);
  if (f.industry) where.push(`${INDUSTRY_OF_CLASS} = $${params.push(f.industry)}`);
  if (f.majorCode) where.push(`oc.major_code = $${params.push(f.majorCode)}`);
  if (f.cohortYear) where.push(`oc.cohort_year = $${params.push(f.cohortYear)}`);
  if (f.caseId) where.push(`oc.case_id = $${params.push(f.caseId)}`);
  if (f.q) {
    const like = `%${f.q.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
    where.push(`(oc.name ILIKE $${params.push(like)} OR s.name ILIKE $${params.length} OR e.name ILIKE $${params.length})`);
  }
  return where;
}

/**
 * A class's industry ("5+5+N"): the one it was filed in (its partner's then), else its partner enterprise's; `other`
 * (N) when the enterprise recorded none or has not accepted its invitation yet. A class has one partner enterprise, so it is in
 * exactly one industry.
 */
export const INDUSTRY_OF_CLASS = `coalesce(oc.filed_industry, e.industry, 'other')`;

/**
 * The classes counted toward the plan's target (seed task 30): filed by the county bureau and not terminated since —
 * the states FILED_STATES (培养中, 结业报告, 已结业), as the filing and the termination record their instants on the
 * class (OrderClassesService.recordDates) and a class is never withdrawn or refused once filed. On the class's own
 * columns, so that the dashboard counts them from one index (order_classes_filed) and the list by the same words.
 */
export const COUNTED_CLASS = `oc.filed_at IS NOT NULL AND oc.ended_at IS NULL`;

export const CLASS_COLUMNS = `oc.*, s.name AS school_name, s.county_code, e.id AS ent_id, e.name AS ent_name, e.credit_code AS ent_credit_code,
  e.industry AS ent_industry, e.county_code AS ent_county_code`;

export function toOrderClassDto(r: OrderClassRow, enrolled: number, summary: CaseSummaryInRecord): OrderClassDto {
  return {
    id: Number(r.id),
    caseRef: `${ORDER_CLASS_WORKFLOW}:${r.case_id}`,
    schoolId: r.school_id,
    schoolName: r.school_name,
    countyCode: r.county_code,
    enterprise: {
      organisationId: r.ent_id,
      name: r.ent_name,
      creditCode: r.ent_credit_code ?? r.invited_credit_code,
      invitedEmail: r.invited_email,
      invited: r.ent_id === null,
      industry: r.ent_industry,
      countyCode: r.ent_county_code,
    },
    name: r.name,
    majorCode: r.major_code,
    majorName: majorName(r.major_code) ?? null,
    cohortYear: r.cohort_year,
    plannedHeadcount: r.planned_headcount,
    termStart: r.term_start,
    termEnd: r.term_end,
    courses: r.courses,
    mentors: r.mentors,
    internship: {
      arrangement: r.internship.arrangement ?? '',
      months: r.internship.months ?? null,
      insurer: r.internship.insurer ?? '',
      policyNo: r.internship.policyNo ?? '',
      coverageYuan: r.internship.coverageYuan ?? null,
    },
    employment: {
      posts: r.employment.posts ?? [],
      salaryMinYuan: r.employment.salaryMinYuan ?? null,
      salaryMaxYuan: r.employment.salaryMaxYuan ?? null,
      note: r.employment.note ?? '',
    },
    enrolled,
    dataVersion: r.data_version,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
    case: summary,
  };
}

/** What is still missing before the registration can go to the enterprise (Chinese), empty when complete. */
export function registrationGaps(r: OrderClassRow, purposes: readonly string[], checklist: ReadonlyArray<{ purpose: string; label: string }>): string[] {
  const gaps: string[] = [];
  if (!r.major_code) gaps.push('专业');
  if (!r.cohort_year) gaps.push('年级');
  if (!r.planned_headcount) gaps.push('计划人数');
  if (!r.term_start || !r.term_end) gaps.push('培养起止日期');
  if (!r.courses.trim()) gaps.push('培养方案与课程');
  if (!r.mentors.length) gaps.push('企业导师');
  if (!r.internship.arrangement?.trim()) gaps.push('实习安排');
  if (!r.internship.insurer?.trim() || !r.internship.policyNo?.trim()) gaps.push('实习保险');
  if (!r.employment.posts?.length) gaps.push('就业岗位');
  if (r.employment.salaryMinYuan == null || r.employment.salaryMaxYuan == null) gaps.push('薪酬范围');
  else if (r.employment.salaryMinYuan > r.employment.salaryMaxYuan) gaps.push('薪酬范围（下限高于上限）');
  for (const c of checklist) if (!purposes.includes(c.purpose)) gaps.push(c.label);
  return gaps;
}
