import { Injectable } from '@nestjs/common';
import type { WorkloadDto } from '@portal/contracts';
import { DomainException } from '@portal/core';
import { hasRole, isAdmin, type Actor } from '@portal/identity';
import { DataSource } from 'typeorm';
import { CalendarService } from '../calendar/calendar.service.js';
import { workingDaysBetween } from '../calendar/working-days.js';
import { WorkflowRegistry } from '../engine/workflow.registry.js';

/** How many of the longest-waiting cases the workload lists. */
export const LONGEST_WAITING = 10;

/** The stage kinds whose time is the reviewers' (the applicant's own time and closed cases are not workload). */
const WORKED = new Set(['review', 'panel', 'timed']);

/**
 * The open tasks that are the reviewers' work: a review or panel stage's (a timed stage has none). An applicant's task
 * (退回补正, 退回修改: the enterprise or school has the case back) waits on them, as their time is left out of the medians.
 */
const REVIEWERS_TASK = `t.status = 'open' AND t.kind <> 'applicant'`;

/** The middle value (the mean of the two middle ones for an even count). */
export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/**
 * The reviewers' workload from the engine's own tables: open review tasks per stage and per reviewer, overdue tasks,
 * the median working days cases spent in each stage (from the audit events: from the event that entered the stage
 * to the one that left it), and the cases waiting longest in their stage. The city (admins, city reviewers) sees
 * every county or one; a county reviewer its county's cases, as in the inbox. Only the workflows whose cases
 * reviewers read: a teacher's practice record or 千企万岗 application is the school's and the host's work, and a
 * case listed here that the reviewer could not open (404) was a dead end.
 */
@Injectable()
export class WorkloadService {
  constructor(
    private readonly ds: DataSource,
    private readonly registry: WorkflowRegistry,
    private readonly calendar: CalendarService,
  ) {}

  /** The county whose cases the actor's workload covers (null = every county), or 403. */
  countyFor(actor: Actor, requested?: string): string | null {
    if (isAdmin(actor) || hasRole(actor, 'city_reviewer')) return requested ?? null;
    if (hasRole(actor, 'county_reviewer') && actor.jurisdiction) {
      if (requested && requested !== actor.jurisdiction) throw DomainException.forbidden('只能查看本县（市、区）的工作量');
      return actor.jurisdiction;
    }
    throw DomainException.forbidden('只有审核人员可以查看工作量');
  }

  private stageLabel(workflowKey: string, state: string): string {
    return this.registry.get(workflowKey)?.states[state]?.label ?? state;
  }

  private worked(workflowKey: string, state: string): boolean {
    const kind = this.registry.get(workflowKey)?.states[state]?.kind;
    return kind !== undefined && WORKED.has(kind);
  }

  async workload(actor: Actor, requestedCounty?: string): Promise<WorkloadDto> {
    const countyCode = this.countyFor(actor, requestedCounty);
    const params: unknown[] = [];
    const reviewed = this.registry.reviewedKeys();
    const scope = `c.workflow_key = ANY($${params.push(reviewed)}::text[])${countyCode ? ` AND c.county_code = $${params.push(countyCode)}` : ''}`;
    const [byStage, byReviewer, passages, waiting, days] = await Promise.all([
      this.ds.query<Array<{ workflow_key: string; state: string; open: number; overdue: number }>>(
        `SELECT c.workflow_key, t.state, count(*)::int AS open, count(*) FILTER (WHERE t.due_at < now())::int AS overdue
           FROM tasks t JOIN cases c ON c.id = t.case_id WHERE ${REVIEWERS_TASK} AND ${scope}
          GROUP BY c.workflow_key, t.state ORDER BY c.workflow_key, t.state`,
        params,
      ),
      this.ds.query<Array<{ user_id: number | null; name: string | null; open: number; overdue: number }>>(
        `SELECT t.assignee_id AS user_id, u.display_name AS name, count(*)::int AS open, count(*) FILTER (WHERE t.due_at < now())::int AS overdue
           FROM tasks t JOIN cases c ON c.id = t.case_id LEFT JOIN users u ON u.id = t.assignee_id
          WHERE ${REVIEWERS_TASK} AND ${scope}
          GROUP BY t.assignee_id, u.display_name ORDER BY open DESC, t.assignee_id NULLS FIRST`,
        params,
      ),
      // a passage through a stage: the event that left it, and the latest event before it that entered it
      this.ds.query<Array<{ workflow_key: string; state: string; entered_at: Date; left_at: Date }>>(
        `SELECT c.workflow_key, e.from_state AS state, en.at AS entered_at, e.at AS left_at
           FROM case_events e JOIN cases c ON c.id = e.case_id
           JOIN LATERAL (SELECT p.at FROM case_events p
                          WHERE p.case_id = e.case_id AND p.seq < e.seq AND p.to_state = e.from_state AND p.from_state IS DISTINCT FROM p.to_state
                          ORDER BY p.seq DESC LIMIT 1) en ON TRUE
          WHERE e.from_state IS NOT NULL AND e.from_state <> e.to_state AND ${scope}`,
        params,
      ),
      this.ds.query<
        Array<{ id: string; workflow_key: string; title: string; state: string; county_code: string | null; stage_entered_at: Date; stage_due_at: Date | null }>
      >(
        `SELECT c.id, c.workflow_key, c.title, c.state, c.county_code, c.stage_entered_at, c.stage_due_at FROM cases c
          WHERE ${scope} AND EXISTS (SELECT 1 FROM tasks t WHERE t.case_id = c.id AND ${REVIEWERS_TASK})
          ORDER BY c.stage_entered_at, c.id LIMIT ${LONGEST_WAITING}`,
        params,
      ),
      this.calendar.overrides(),
    ]);
    const groups = new Map<string, number[]>();
    for (const p of passages) {
      if (!this.worked(p.workflow_key, p.state)) continue;
      const key = `${p.workflow_key}\u0000${p.state}`;
      groups.set(key, [...(groups.get(key) ?? []), workingDaysBetween(p.entered_at, p.left_at, days)]);
    }
    const now = new Date();
    return {
      countyCode,
      byStage: byStage.map((r) => ({
        workflowKey: r.workflow_key,
        workflowTitle: this.registry.get(r.workflow_key)?.title ?? r.workflow_key,
        state: r.state,
        stateLabel: this.stageLabel(r.workflow_key, r.state),
        open: r.open,
        overdue: r.overdue,
      })),
      byReviewer: byReviewer.map((r) => ({ userId: r.user_id, name: r.name ?? '未认领', open: r.open, overdue: r.overdue })),
      overdue: byStage.reduce((a, r) => a + r.overdue, 0),
      medianDays: [...groups.entries()]
        .map(([key, values]) => {
          const [workflowKey, state] = key.split('\u0000');
          return { workflowKey, state, stateLabel: this.stageLabel(workflowKey, state), passages: values.length, medianWorkingDays: median(values) };
        })
        .sort((a, b) => a.workflowKey.localeCompare(b.workflowKey) || a.state.localeCompare(b.state)),
      longestWaiting: waiting.map((r) => ({
        caseId: Number(r.id),
        workflowKey: r.workflow_key,
        title: r.title,
        state: r.state,
        stateLabel: this.stageLabel(r.workflow_key, r.state),
        countyCode: r.county_code,
        enteredAt: r.stage_entered_at.toISOString(),
        dueAt: r.stage_due_at?.toISOString() ?? null,
        workingDays: workingDaysBetween(r.stage_entered_at, now, days),
      })),
    };
  }
}
