import type { CaseSummaryInRecord } from './workflow.js';

/**
 * 订单班 (order classes, seed task 30; DOMAIN.md §2): a school trains a cohort to an enterprise's order and the
 * enterprise commits to employ them. Shapes shared by the API and the web app.
 */

/** A mentor the enterprise assigns (企业导师). */
export interface OrderClassMentor {
  name: string;
  /** 职务/岗位 */
  title: string;
  /** years of experience in the trade */
  years: number | null;
}

/** 实习安排与保险 */
export interface OrderClassInternship {
  arrangement: string;
  /** months of 岗位实习 */
  months: number | null;
  insurer: string;
  /** 实习责任保险 policy number */
  policyNo: string;
  /** 保额 in 元 per student */
  coverageYuan: number | null;
}

/** 就业承诺: posts and a monthly salary range (元/月). */
export interface OrderClassEmployment {
  posts: Array<{ title: string; openings: number }>;
  salaryMinYuan: number | null;
  salaryMaxYuan: number | null;
  note: string;
}

/** The enterprise of an order class: a registered one, or one invited by credit code and e-mail. */
export interface OrderClassEnterprise {
  organisationId: number | null;
  name: string | null;
  creditCode: string | null;
  invitedEmail: string | null;
  /** invited by credit code and e-mail, and not accepted yet */
  invited: boolean;
  industry: string | null;
  countyCode: string | null;
}

export interface OrderClassDto {
  id: number;
  caseRef: string;
  schoolId: number;
  schoolName: string;
  countyCode: string | null;
  enterprise: OrderClassEnterprise;
  name: string;
  majorCode: string | null;
  majorName: string | null;
  cohortYear: number | null;
  plannedHeadcount: number | null;
  termStart: string | null;
  termEnd: string | null;
  courses: string;
  mentors: OrderClassMentor[];
  internship: OrderClassInternship;
  employment: OrderClassEmployment;
  /** students on the roster today (joined, not left) */
  enrolled: number;
  dataVersion: number;
  createdAt: string;
  updatedAt: string;
  case: CaseSummaryInRecord;
}

/** The attachments an order class needs (the engine's checklist). */
export const ORDER_CLASS_CHECKLIST = [
  { purpose: 'training_plan', label: '人才培养方案' },
  { purpose: 'agreement', label: '校企合作协议（订单培养协议）' },
] as const;

export type Gender = 'male' | 'female';
export const GENDER_LABELS: Record<Gender, string> = { male: '男', female: '女' };

/** 结业去向 of a student */
export const STUDENT_DESTINATIONS = {
  enterprise: '在合作企业就业',
  elsewhere: '在其他单位就业',
  further_study: '升学',
  none: '待就业',
} as const;
export type StudentDestination = keyof typeof STUDENT_DESTINATIONS;

/** A student as every view shows them: ID number and phone masked. */
export interface OrderClassStudentDto {
  id: number;
  orderClassId: number;
  name: string;
  gender: Gender;
  /**
   * the year of birth only: the masked ID number hides exactly its 8 digits of birth date, so a full date beside it
   * would give the whole number back (DOMAIN.md: ID numbers masked in every view and export)
   */
  birthYear: number;
  idNumberMasked: string;
  phoneMasked: string | null;
  joinedOn: string;
  leftOn: string | null;
  /** completion report */
  graduated: boolean | null;
  destination: StudentDestination | null;
  createdAt: string;
}

/** The full values, for the owning school on an explicit, audited reveal. */
export interface StudentRevealDto {
  id: number;
  name: string;
  idNumber: string;
  phone: string | null;
}

export type RosterChangeKind = 'join' | 'leave';
export const ROSTER_CHANGE_LABELS: Record<RosterChangeKind, string> = { join: '加入', leave: '退出' };

export interface RosterChangeDto {
  id: number;
  orderClassId: number;
  studentId: number;
  studentName: string;
  idNumberMasked: string;
  kind: RosterChangeKind;
  date: string;
  reason: string;
  actorName: string | null;
  createdAt: string;
}

/** Employment outcomes, computed from the students' rows (never typed). */
export interface EmploymentStatsDto {
  /** the group: a class id, school id, enterprise id or county code */
  key: string;
  label: string;
  classes: number;
  /** students counted: on the roster at the class's end (not left) of reported classes */
  students: number;
  graduated: number;
  employedByEnterprise: number;
  employedElsewhere: number;
  furtherStudy: number;
  /** employed by the enterprise / graduated, 0..1, null when nobody graduated */
  enterpriseRate: number | null;
  /** employed anywhere / graduated */
  employmentRate: number | null;
}

export type EmploymentStatsGroup = 'class' | 'school' | 'enterprise' | 'county';

/** Progress toward the city's target (seed task 30: 200+). */
export interface OrderClassProgressDto {
  /** the city's target of order classes (规划目标 order_classes); null when none is set */
  target: number | null;
  /** filed: active or closed after filing */
  filed: number;
  active: number;
  closed: number;
  inProgress: number;
  byCounty: Array<{ countyCode: string; filed: number }>;
}
