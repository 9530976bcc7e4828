import type { Role } from '@portal/contracts';
import type { OutboxService, SettingsService } from '@portal/core';
import type { EntityManager } from 'typeorm';
import type { CalendarService } from '../calendar/calendar.service.js';
import { caseRowFrom, type CaseRow } from './case-row.js';
import type { WorkflowDefinition } from './definition.js';

export interface StageDeps {
  outbox: OutboxService;
  settings: SettingsService;
  calendar: CalendarService;
}

/** The due time of a stage with an SLA setting, or null. */
async function dueFor(em: EntityManager, deps: StageDeps, settingKey: string | undefined, from: Date): Promise<Date | null> {
  if (!settingKey) return null;
  const all = (await deps.settings.all(em)) as Record<string, number>;
  const days = all[settingKey];
  return days && days > 0 ? deps.calendar.addWorkingDays(from, days, em) : null;
}

/**
 * Leave the case's current stage: the actor's task is done (theirs, or the unclaimed task of the kind they
 * work: 'review' for a reviewer, 'applicant' for the owner), every other open task of the stage is
 * cancelled (a claim elsewhere becomes moot; an applicant's withdrawal is not a review), and the stage's
 * timers stop.
 */
export async function leaveStage(
  em: EntityManager,
  row: CaseRow,
  actorId: number | null,
  action: string,
  works: 'review' | 'applicant' | null = null,
): Promise<void> {
  // one statement (a data-modifying WITH always runs to completion): the tasks, then the timers
  await em.query(
    `WITH tasks_left AS (
       UPDATE tasks SET status = CASE WHEN assignee_id = $3 OR (assignee_id IS NULL AND $3::int IS NOT NULL AND kind = $5) THEN 'done' ELSE 'cancelled' END,
              completed_at = now(), completed_by = $3, outcome = $4
        WHERE case_id = $1 AND state = $2 AND status = 'open')
     UPDATE timers SET cancelled_at = now() WHERE case_id = $1 AND state = $2 AND fired_at IS NULL AND cancelled_at IS NULL`,
    [row.id, row.state, actorId, action, works],
  );
}

/**
 * Enter a stage: open its tasks (one claimable review task, or a seat per panel member, or the
 * applicant's 补正 task), set its due time on the working-day calendar, arm its timer, tell the people
 * concerned. Answers the case row as it now is (read by the statement that sets the stage's times).
 */
export async function enterStage(
  em: EntityManager,
  deps: StageDeps,
  def: WorkflowDefinition,
  row: CaseRow,
  state: string,
  extra: { panel?: number[]; returnDeadline?: Date | null } = {},
): Promise<CaseRow> {
  const st = def.states[state];
  const now = new Date();
  const title = `${def.title}：${row.title}`;
  let due: Date | null = null;
  if (st.kind === 'review') {
    due = await dueFor(em, deps, st.sla, now);
    const county = st.scope === 'county' ? row.countyCode : null;
    // a stage of the owner organisation or of a party: its task belongs to that organisation (or the party's person)
    const partyKey = (st.actor ?? st.scope)?.startsWith('party:') ? (st.actor ?? st.scope)!.slice('party:'.length) : undefined;
    const [party] = partyKey
      ? await em.query<Array<{ organisation_id: number | null; user_id: number | null }>>(
          `SELECT organisation_id, user_id FROM case_parties WHERE case_id = $1 AND party = $2`,
          [row.id, partyKey],
        )
      : [];
    const organisationId = st.scope === 'owner_organisation' ? row.ownerOrgId : st.actor === 'owner_person' ? row.ownerOrgId : (party?.organisation_id ?? null);
    const assignee = st.actor === 'owner_person' ? row.ownerUserId : st.actor?.startsWith('party:') ? (party?.user_id ?? null) : null;
    await em.query(
      `INSERT INTO tasks (case_id, state, kind, role, county_code, organisation_id, assignee_id, due_at, claimed_at)
       VALUES ($1, $2, 'review', $3, $4, $5, $6, $7, CASE WHEN $6::int IS NULL THEN NULL ELSE now() END)`,
      [row.id, state, st.role ?? st.actor, county, organisationId, assignee, due],
    );
    await deps.outbox.enqueue(
      em,
      'notify',
      assignee !== null
        ? { kind: 'task_assigned', title: `待办：${st.label}`, body: title, caseId: row.id, userIds: [assignee] }
        : st.actor
          ? {
              kind: 'task_assigned',
              title: `待办：${st.label}`,
              body: title,
              caseId: row.id,
              roles: def.parties?.[partyKey!]?.roles ?? [],
              organisationId: organisationId ?? 0,
            }
          : {
              kind: 'task_assigned',
              title: `待办：${st.label}`,
              body: title,
              caseId: row.id,
              role: st.role,
              countyCode: county,
              ...(organisationId !== null ? { organisationId } : {}),
            },
    );
  } else if (st.kind === 'panel') {
    due = await dueFor(em, deps, st.sla, now);
    let members = extra.panel;
    if (!members?.length) {
      // re-entering a panel stage (a return to it): the same members sit again
      const prev: Array<{ assignee_id: number }> = await em.query(
        `SELECT DISTINCT assignee_id FROM tasks WHERE case_id = $1 AND state = $2 AND kind = 'panel' AND outcome IS DISTINCT FROM 'recused'`,
        [row.id, state],
      );
      members = prev.map((p) => p.assignee_id);
    }
    await addPanelSeats(em, deps, row, state, st.role as Role, members, due, title);
  } else if (st.kind === 'timed' && st.timed) {
    due = await dueFor(em, deps, st.timed.workingDaysSetting, now);
    if (due) {
      const [timer]: Array<{ id: string }> = await em.query(`INSERT INTO timers (case_id, state, kind, due_at) VALUES ($1, $2, 'expire', $3) RETURNING id`, [
        row.id,
        state,
        due,
      ]);
      await deps.outbox.enqueue(em, 'workflow.timer', { timerId: Number(timer.id) }, { availableAt: due, dedupeKey: `timer:${timer.id}` });
    }
  } else if (st.kind === 'applicant' && extra.returnDeadline !== undefined) {
    due = extra.returnDeadline;
    // the owner person's own task when the case has one
    await em.query(`INSERT INTO tasks (case_id, state, kind, role, organisation_id, assignee_id, due_at) VALUES ($1, $2, 'applicant', 'owner', $3, $4, $5)`, [
      row.id,
      state,
      row.ownerOrgId,
      row.ownerUserId,
      due,
    ]);
  }
  const [updated]: [Array<Record<string, unknown>>, number] = await em.query(
    `UPDATE cases SET stage_entered_at = now(), stage_due_at = $2 WHERE id = $1 RETURNING *`,
    [row.id, due],
  );
  return caseRowFrom(updated[0]);
}

export async function addPanelSeats(
  em: EntityManager,
  deps: StageDeps,
  row: CaseRow,
  state: string,
  role: Role,
  members: number[],
  due: Date | null,
  title: string,
): Promise<void> {
  for (const userId of members) {
    await em.query(`INSERT INTO tasks (case_id, state, kind, role, assignee_id, due_at, claimed_at) VALUES ($1, $2, 'panel', $3, $4, $5, now())`, [
      row.id,
      state,
      role,
      userId,
      due,
    ]);
  }
  if (members.length)
    await deps.outbox.enqueue(em, 'notify', { kind: 'task_assigned', title: '待办：专家评审', body: title, caseId: row.id, userIds: members });
}
