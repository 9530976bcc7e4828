import type { DocumentDto } from './documents.js';
/** The dashboard (驾驶舱) of issue 12: targets as data, indicators against them, workload. */

/** A target of the plan (DOMAIN.md "Targets"): an indicator's value to reach by a deadline, for the city or a county. */
export interface TargetDto {
  id: number;
  indicator: string;
  label: string;
  unit: string;
  value: number;
  /** YYYY-MM-DD */
  deadline: string;
  seedTask: number;
  /** null = the whole city */
  countyCode: string | null;
  version: number;
  updatedAt: string;
  updatedByName: string | null;
}

/** Whose numbers: 'city', 'county:330302', 'school:12', 'enterprise:34'. */
export type KpiScopeKind = 'city' | 'county' | 'school' | 'enterprise';

export interface KpiLink {
  resource: string;
  filter: Record<string, string | number | boolean>;
}

export interface KpiBucketDto {
  /** county code, industry code, or school organisation id */
  key: string;
  label: string;
  /** null: a ratio with nothing to divide by here (暂无数据; e.g. a share of teachers in a county without any) */
  value: number | null;
  /** the records the figure counts or sums: the linked list's total */
  count: number;
  link: KpiLink | null;
}

export interface KpiDto {
  key: string;
  label: string;
  unit: string;
  seedTask: number;
  /**
   * null (暂无数据): no feature computes it yet, or it is a ratio with nothing to divide by in this scope (a share of
   * teachers where there are none). Counts and sums with no record are 0, never null.
   */
  value: number | null;
  count: number | null;
  link: KpiLink | null;
  target: { id: number; value: number; deadline: string } | null;
  /** value / target in percent (one decimal), null without both (a null value has no progress) */
  progress: number | null;
  byCounty: KpiBucketDto[] | null;
  byIndustry: KpiBucketDto[] | null;
  bySchool: KpiBucketDto[] | null;
  /** a point's value is null where a ratio had nothing to divide by at that month's end */
  trend: Array<{ month: string; value: number | null }> | null;
}

export interface KpisDto {
  scope: { kind: KpiScopeKind; code: string; label: string };
  /** the instant the figures are as of: when they were computed (never cached), or the end of an earlier day asked for (the monthly report's month end) */
  asOf: string;
  indicators: KpiDto[];
}

/** Workload of the review stages (from the engine's tasks and audit events). */
export interface WorkloadDto {
  countyCode: string | null;
  byStage: Array<{ workflowKey: string; workflowTitle: string; state: string; stateLabel: string; open: number; overdue: number }>;
  byReviewer: Array<{ userId: number | null; name: string; open: number; overdue: number }>;
  overdue: number;
  /** median working days a case spent in each stage (closed passages through it), from the audit events */
  medianDays: Array<{ workflowKey: string; state: string; stateLabel: string; passages: number; medianWorkingDays: number }>;
  longestWaiting: Array<{
    caseId: number;
    workflowKey: string;
    title: string;
    state: string;
    stateLabel: string;
    countyCode: string | null;
    enteredAt: string;
    dueAt: string | null;
    workingDays: number;
  }>;
}

/** A month's report to the province: when it was asked for, by whom, and its PDF once issued. */
export interface MonthlyReportDto {
  month: string;
  requestedAt: string;
  /** null: issued by the worker on schedule */
  requestedByName: string | null;
  /** whether this request created it (false: it existed, the same report is answered) */
  created: boolean;
  /** the PDF, once the worker has issued it */
  document: DocumentDto | null;
}
