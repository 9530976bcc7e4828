import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleInit } from '@nestjs/common';
import { JobRegistry, OutboxService, SettingsService } from '@portal/core';
import { DataSource } from 'typeorm';
import { CalendarService } from '../calendar/calendar.service.js';
import { addWorkingDays, workingDaysBetween } from '../calendar/working-days.js';
import { InvitationsService } from '../invitations/invitations.service.js';
import { NotificationsService } from '../notifications/notifications.service.js';
import { caseRowFrom } from './case-row.js';
import { WorkflowRegistry } from './workflow.registry.js';
import { WorkflowService } from './workflow.service.js';

/** Tasks the SLA sweep reads at a time. */
const SWEEP_PAGE = 500;

interface SweepTask {
  id: string;
  case_id: string;
  state: string;
  kind: string;
  role: string;
  county_code: string | null;
  assignee_id: number | null;
  organisation_id: number | null;
  due_at: Date;
  reminded_at: Date | null;
  workflow_key: string;
  title: string;
}

/**
 * The engine's jobs: notification fan-out, timers (end of 公示), the SLA sweep (reminders before a
 * stage's due time, escalation after it) and transition effects. Each is idempotent.
 */
@Injectable()
export class WorkflowProcessors implements OnModuleInit, OnApplicationBootstrap {
  private readonly logger = new Logger('Workflow');

  constructor(
    private readonly jobs: JobRegistry,
    private readonly ds: DataSource,
    private readonly registry: WorkflowRegistry,
    private readonly workflow: WorkflowService,
    private readonly notifications: NotificationsService,
    private readonly invitations: InvitationsService,
    private readonly calendar: CalendarService,
    private readonly settings: SettingsService,
    private readonly outbox: OutboxService,
  ) {}

  onModuleInit(): void {
    this.jobs.register('notify', (p, ctx) => this.notifications.deliver(p, ctx.outboxId).then(() => undefined));
    this.jobs.register('workflow.timer', (p) => this.fireTimer(p.timerId));
    this.jobs.register('workflow.sla-sweep', async () => {
      await this.sweep();
      await this.featureSweeps();
    });
    this.jobs.register('workflow.effect', (p) => this.runEffect(p.effect, p.caseId, p.eventId, p.params));
    this.jobs.register('workflow.invite', (p) => this.invitations.mail(p.caseId, p.party));
  }

  /** Definitions are checked once every feature has registered its own: a bad one stops the boot. */
  onApplicationBootstrap(): void {
    this.registry.validate();
  }

  /** A timer is due: take the stage's system action unless the case moved on or a guard (an open objection) holds it. */
  async fireTimer(timerId: number): Promise<void> {
    await this.ds.transaction(async (em) => {
      const [timer]: Array<{ case_id: string; state: string; fired_at: Date | null; cancelled_at: Date | null }> = await em.query(
        `SELECT * FROM timers WHERE id = $1 FOR UPDATE`,
        [timerId],
      );
      if (!timer || timer.fired_at || timer.cancelled_at) return;
      const [r]: Array<Record<string, unknown>> = await em.query(`SELECT * FROM cases WHERE id = $1 FOR UPDATE`, [timer.case_id]);
      const row = caseRowFrom(r);
      await em.query(`UPDATE timers SET fired_at = now() WHERE id = $1`, [timerId]);
      if (row.state !== timer.state) return;
      const def = this.workflow.definition(row.workflowKey);
      const onExpire = def.states[row.state]?.timed?.onExpire;
      if (onExpire) await this.workflow.systemAct(em, row, onExpire, { timer: timerId });
    });
  }

  /** Remind holders of tasks due within the reminder window; escalate overdue ones to the stage's supervisor. */
  async sweep(): Promise<{ reminded: number; escalated: number }> {
    const days = await this.settings.get('workflow.reminderWorkingDays');
    const calendar = await this.calendar.overrides();
    const now = new Date();
    // every task due within the reminder window (however long the holidays in it) is due before the end of
    // the next working day after the window: that bound comes from the setting and the calendar, not a literal
    const horizon = addWorkingDays(now, days + 1, calendar);
    let reminded = 0;
    let escalated = 0;
    // page by page (keyset on the id), and only the tasks with something left to do: overdue and not yet
    // escalated, or within the window and not yet reminded; the sweep's memory does not grow with open tasks
    for (let after = '0'; ;) {
      const page = await this.ds.query<SweepTask[]>(
        `SELECT t.*, c.workflow_key, c.title FROM tasks t JOIN cases c ON c.id = t.case_id
          WHERE t.status = 'open' AND t.due_at IS NOT NULL AND t.escalated_at IS NULL AND t.due_at <= $1
            AND (t.due_at < $3 OR t.reminded_at IS NULL) AND t.id > $2
          ORDER BY t.id LIMIT ${SWEEP_PAGE}`,
        [horizon, after, now],
      );
      if (!page.length) break;
      after = page[page.length - 1].id;
      const done = await this.sweepPage(page, now, days, calendar);
      reminded += done.reminded;
      escalated += done.escalated;
    }
    if (reminded || escalated) this.logger.log(`SLA sweep: ${reminded} reminded, ${escalated} escalated`);
    return { reminded, escalated };
  }

  /** The features' periodic sweeps (WorkflowRegistry.sweep), each in turn; a failing one fails the job, which is retried. */
  async featureSweeps(): Promise<Record<string, number>> {
    const out: Record<string, number> = {};
    for (const [name, run] of this.registry.sweeps()) {
      out[name] = await run();
      if (out[name]) this.logger.log(`sweep ${name}: ${out[name]} case(s) moved`);
    }
    return out;
  }

  private async sweepPage(
    candidates: readonly SweepTask[],
    now: Date,
    days: number,
    calendar: Awaited<ReturnType<CalendarService['overrides']>>,
  ): Promise<{ reminded: number; escalated: number }> {
    let reminded = 0;
    let escalated = 0;
    for (const t of candidates) {
      const def = this.registry.get(t.workflow_key);
      if (!def) continue;
      const st = def.states[t.state];
      const who = t.assignee_id
        ? { userIds: [t.assignee_id] }
        : t.kind === 'applicant'
          ? { roles: def.ownerRoles, organisationId: t.organisation_id ?? undefined }
          : t.role.startsWith('party:')
            ? { roles: def.parties?.[t.role.slice('party:'.length)]?.roles ?? [], organisationId: t.organisation_id ?? 0 }
            : { role: t.role, countyCode: t.county_code, ...(t.organisation_id !== null ? { organisationId: t.organisation_id } : {}) };
      if (t.due_at < now) {
        // the flag and the notifications commit together (outbox), so neither is ever lost without the other
        const marked = await this.ds.transaction(async (em) => {
          const [, n]: [unknown, number] = await em.query(`UPDATE tasks SET escalated_at = now() WHERE id = $1 AND escalated_at IS NULL`, [t.id]);
          if (!n) return false;
          await this.outbox.enqueue(em, 'notify', {
            kind: 'overdue',
            title: `已逾期：${st?.label ?? t.state}`,
            body: t.title,
            caseId: Number(t.case_id),
            ...who,
            dedupeKey: `overdue:${t.id}`,
          });
          if (st?.supervisorRole) {
            await this.outbox.enqueue(em, 'notify', {
              kind: 'escalation',
              title: `督办：${st.label}逾期未办`,
              body: t.title,
              caseId: Number(t.case_id),
              role: st.supervisorRole,
              countyCode: null,
              dedupeKey: `escalation:${t.id}`,
            });
          }
          return true;
        });
        if (!marked) continue;
        escalated++;
      } else if (!t.reminded_at && workingDaysBetween(now, t.due_at, calendar) <= days) {
        const marked = await this.ds.transaction(async (em) => {
          const [, n]: [unknown, number] = await em.query(`UPDATE tasks SET reminded_at = now() WHERE id = $1 AND reminded_at IS NULL`, [t.id]);
          if (!n) return false;
          await this.outbox.enqueue(em, 'notify', {
            kind: 'reminder',
            title: `即将到期：${st?.label ?? t.state}`,
            body: t.title,
            caseId: Number(t.case_id),
            ...who,
            dedupeKey: `reminder:${t.id}`,
          });
          return true;
        });
        if (!marked) continue;
        reminded++;
      }
    }
    return { reminded, escalated };
  }

  private async runEffect(effect: string, caseId: number, eventId: number, params?: Record<string, unknown>): Promise<void> {
    const handler = this.registry.effectHandler(effect);
    if (!handler) throw new Error(`no handler for effect ${effect}`);
    const [r]: Array<Record<string, unknown>> = await this.ds.query(`SELECT * FROM cases WHERE id = $1`, [caseId]);
    if (!r) throw new Error(`case ${caseId} not found for effect ${effect}`);
    await handler({ row: caseRowFrom(r), eventId, params });
  }
}
