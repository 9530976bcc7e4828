/** A row of `cases`: the state of one application, order class or practice record. */
export interface CaseRow {
  id: number;
  workflowKey: string;
  state: string;
  version: number;
  ownerOrgId: number;
  /** the person who owns the case (a teacher's practice record), if the workflow has one */
  ownerUserId: number | null;
  countyCode: string | null;
  title: string;
  createdBy: number;
  returnedFrom: string | null;
  submissions: number;
  stageEnteredAt: Date;
  stageDueAt: Date | null;
  decidedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export function caseRowFrom(r: Record<string, unknown>): CaseRow {
  return {
    id: Number(r.id),
    workflowKey: r.workflow_key as string,
    state: r.state as string,
    version: r.version as number,
    ownerOrgId: r.owner_org_id as number,
    ownerUserId: (r.owner_user_id as number | null | undefined) ?? null,
    countyCode: (r.county_code as string | null) ?? null,
    title: r.title as string,
    createdBy: r.created_by as number,
    returnedFrom: (r.returned_from as string | null) ?? null,
    submissions: r.submissions as number,
    stageEnteredAt: r.stage_entered_at as Date,
    stageDueAt: (r.stage_due_at as Date | null) ?? null,
    decidedAt: (r.decided_at as Date | null) ?? null,
    createdAt: r.created_at as Date,
    updatedAt: r.updated_at as Date,
  };
}

/** `certification-application:42` → the case 42 of that workflow. Refs are what URLs and events carry. */
export function caseRef(row: Pick<CaseRow, 'workflowKey' | 'id'>): string {
  return `${row.workflowKey}:${row.id}`;
}

export function parseCaseRef(ref: string): { workflowKey: string; id: number } | undefined {
  const m = /^([a-z][a-z0-9-]{1,63}):(\d{1,15})$/.exec(ref);
  return m ? { workflowKey: m[1], id: Number(m[2]) } : undefined;
}
