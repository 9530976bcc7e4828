import type { AllowedAction, CaseSummaryInRecord } from './workflow.js';

/**
 * 教师入企实践 (seed tasks 47-48, DOMAIN.md §3): teachers' profiles, 千企万岗 posts and applications,
 * practice records and the 5-year ledger of 《职业学校教师企业实践规定》(教师〔2016〕3号).
 */

/** The forms of enterprise practice the regulation names. */
export const PRACTICE_FORMS = {
  observation: '考察观摩',
  post: '岗位实践',
  training: '技能培训',
  rnd: '研发',
} as const;
export type PracticeForm = keyof typeof PRACTICE_FORMS;
export const PRACTICE_FORM_CODES = Object.keys(PRACTICE_FORMS) as PracticeForm[];

/** 专任 (full-time) or 兼职 (part-time, task 44: share ≥ 20%) teachers. */
export const TEACHER_EMPLOYMENTS = { full_time: '专任', part_time: '兼职' } as const;
export type TeacherEmployment = keyof typeof TEACHER_EMPLOYMENTS;
export const TEACHER_EMPLOYMENT_CODES = Object.keys(TEACHER_EMPLOYMENTS) as TeacherEmployment[];

/** A teacher's ledger over the rule's window (5 years by default) as of a date (the rule of DOMAIN.md §3, all numbers settings). */
export interface PracticeLedgerDto {
  teacherId: number;
  asOf: string;
  /** counted hours on that date */
  hours: number;
  /** hours ÷ hours per month, two decimals */
  months: number;
  requiredMonths: number;
  /** hours needed to meet the rule */
  requiredHours: number;
  /** the rule's window in years: a record counts this many years after it ends (setting practice.windowYears) */
  windowYears: number;
  met: boolean;
  /** when met: the last date on which the rule stays met with the records known today */
  lastMetDate: string | null;
  /** the counted records in the window on that date */
  records: Array<{ id: number; startDate: string; endDate: string; hours: number; hostName: string | null; leavesOn: string }>;
}

export interface TeacherDto {
  /** the teacher's user id */
  id: number;
  username: string;
  displayName: string;
  schoolId: number;
  schoolName: string;
  /** the county of the school */
  schoolCountyCode: string | null;
  /** the teacher's mobile number, masked (personal data) */
  phoneMasked: string | null;
  major: string;
  employment: TeacherEmployment;
  dualQualified: boolean;
  dualQualifiedOn: string | null;
  /** the 双师型 evidence file's name, when one was uploaded */
  dualEvidenceName: string | null;
  active: boolean;
  /** today's status (list and detail) */
  hours: number;
  months: number;
  met: boolean;
  lastMetDate: string | null;
  /** falls below the rule within the warning window (setting practice.warnMonths) */
  atRisk: boolean;
  /** the warning window in months that `atRisk` looks ahead (setting practice.warnMonths) */
  warnMonths: number;
  /** the hours the rule requires in its window (settings practice.requiredMonths × practice.hoursPerMonth) */
  requiredHours: number;
  /** the months the rule requires (setting practice.requiredMonths) */
  requiredMonths: number;
  /** the rule's window in years, over which `hours` are counted (setting practice.windowYears) */
  windowYears: number;
  /** the teacher's practice records awaiting the school's approval (学校审核) */
  awaitingSchool: number;
}

export const PRACTICE_POST_STATUSES = { open: '招募中', closed: '已关闭' } as const;
export type PracticePostStatus = keyof typeof PRACTICE_POST_STATUSES;

export interface PracticePostDto {
  id: number;
  enterpriseId: number;
  enterpriseName: string;
  countyCode: string | null;
  industry: string | null;
  title: string;
  major: string;
  openings: number;
  accepted: number;
  /** openings left */
  remaining: number;
  startDate: string;
  endDate: string;
  content: string;
  mentorName: string;
  mentorUserId: number | null;
  status: PracticePostStatus;
  /** the viewer's own live application for this post (applied, approved by the school, or accepted), if any */
  myApplication: { state: string; stateLabel: string } | null;
  createdAt: string;
}

/**
 * An application for a post: a short three-party handshake (the teacher applies, the school lets the teacher
 * go, the enterprise accepts), a case of the workflow `practice-application`: its history is the case's event chain.
 */
export interface PracticeApplicationDto {
  id: number;
  /** the application's case on the workflow engine (practice-application:<case id>) */
  caseRef: string;
  postId: number;
  postTitle: string;
  /** the post's period (several posts share a title) */
  postStartDate: string;
  postEndDate: string;
  enterpriseId: number;
  enterpriseName: string;
  teacherId: number;
  teacherName: string;
  schoolId: number;
  schoolName: string;
  /** the case's state and its label (the definition's words) */
  state: string;
  stateLabel: string;
  /** the case's version: an action names it (a stale one answers 409) */
  version: number;
  note: string;
  /** what this viewer may do now (the engine's answer) */
  allowedActions: AllowedAction[];
  createdAt: string;
  updatedAt: string;
}

export interface PracticeRecordDto {
  id: number;
  caseRef: string;
  teacherId: number;
  teacherName: string;
  schoolId: number;
  schoolName: string;
  /** the county of the teacher's school (the dashboard's county of a person-time) */
  schoolCountyCode: string | null;
  hostOrgId: number | null;
  hostName: string | null;
  /** the registered host's industry ("5+5+N" code), if it has one */
  hostIndustry: string | null;
  /** an invited host that has not accepted yet */
  hostInvitedCreditCode: string | null;
  postId: number | null;
  startDate: string;
  endDate: string;
  /** the hours as they stand (the teacher's, or the mentor's correction) */
  hours: number;
  /** the hours the teacher claimed last */
  claimedHours: number;
  form: PracticeForm;
  content: string;
  outcomes: string;
  counted: boolean;
  countedOn: string | null;
  imported: boolean;
  /** the certificate, once issued */
  certificateId: number | null;
  dataVersion: number;
  createdAt: string;
  updatedAt: string;
  case: CaseSummaryInRecord;
}

/**
 * Person-times of counted practice, grouped (the bureau's view against the 10,000 target): the city's for admins and
 * city reviewers, the schools of their county for a county reviewer.
 */
export interface PracticeStatsDto {
  /** the county the figures are of, null for the whole city */
  countyCode: string | null;
  countyName: string | null;
  /** the city's target of person-times (规划目标 practice_person_times); null when none is set */
  target: number | null;
  total: number;
  byCounty: Array<{ key: string; label: string; n: number }>;
  bySchool: Array<{ key: string; label: string; n: number }>;
  byIndustry: Array<{ key: string; label: string; n: number }>;
  byMonth: Array<{ key: string; label: string; n: number }>;
  /**
   * the active teachers, for the shares of tasks 44 (兼职 ÷ all) and 48 (双师型 ÷ full-time: `dualQualified` counts
   * full-time teachers only), as the dashboard defines them
   */
  teachers: { total: number; partTime: number; fullTime: number; dualQualified: number };
  /**
   * the plan's targets for those shares, in per cent (the dashboard's targets table: the county's own when it has one,
   * else the city's; null where none is set)
   */
  shareTargets: { partTime: number | null; dualQualified: number | null };
}

/** A teacher's 5-year summary asked for: the document it will be, and the document already issued if unchanged. */
export interface SummaryRequestDto {
  subjectKey: string;
  documentId: number | null;
}
