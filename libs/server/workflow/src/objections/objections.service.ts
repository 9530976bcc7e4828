import { Injectable } from '@nestjs/common';
import type { ObjectionDto } from '@portal/contracts';
import { DomainException, JobsService, OutboxService } from '@portal/core';
import { hasRole, isAdmin, type Actor } from '@portal/identity';
import { DataSource } from 'typeorm';
import { caseRowFrom, type CaseRow } from '../engine/case-row.js';
import type { Guard } from '../engine/definition.js';
import { WorkflowService } from '../engine/workflow.service.js';

export interface ObjectionInput {
  name: string;
  phone: string;
  idNumber?: string;
  content: string;
}

export type { ObjectionDto };

/** A national ID shown and kept only as its first 6 and last 4 characters. */
export function maskIdNumber(id: string): string {
  return id.length <= 10 ? '*'.repeat(id.length) : `${id.slice(0, 6)}${'*'.repeat(id.length - 10)}${id.slice(-4)}`;
}

/** The guard of a 公示 stage's way out: no objection may be open. */
export const noOpenObjections: Guard = async ({ row, em }) => {
  const [{ n }] = await em.query(`SELECT count(*)::int AS n FROM objections WHERE case_id = $1 AND status = 'open'`, [row.id]);
  return n > 0 ? `有 ${n} 件异议尚未处理` : undefined;
};

const toDto = (r: Record<string, unknown>): ObjectionDto => ({
  id: Number(r.id),
  caseId: Number(r.case_id),
  name: r.name as string,
  phone: r.phone as string,
  idNumberMasked: r.id_number_masked as string | null,
  content: r.content as string,
  status: r.status as ObjectionDto['status'],
  resolution: r.resolution as string | null,
  resolvedAt: (r.resolved_at as Date | null)?.toISOString() ?? null,
  createdAt: (r.created_at as Date).toISOString(),
});

/**
 * Objections to a case under public notice (公示), lodged with a real name. An open objection holds the
 * stage; once every objection is resolved after the window closed, the engine moves the case on.
 */
@Injectable()
export class ObjectionsService {
  constructor(
    private readonly ds: DataSource,
    private readonly workflow: WorkflowService,
    private readonly jobs: JobsService,
    private readonly outbox: OutboxService,
  ) {}

  async lodge(workflowKey: string, caseId: number, input: ObjectionInput): Promise<ObjectionDto> {
    const row = await this.workflow.loadRow(this.ds.manager, workflowKey, caseId);
    const st = row ? this.workflow.definition(workflowKey).states[row.state] : undefined;
    if (!row || !st?.timed?.objections) throw DomainException.conflict('该事项不在公示期内，不能提出异议');
    const [closed] = await this.ds.query(`SELECT 1 FROM timers WHERE case_id = $1 AND state = $2 AND fired_at IS NOT NULL`, [caseId, row.state]);
    if (closed) throw DomainException.conflict('公示期已结束，不能再提出异议');
    const def = this.workflow.definition(workflowKey);
    const r = await this.ds.transaction(async (em) => {
      const [o]: Array<Record<string, unknown>> = await em.query(
        `INSERT INTO objections (case_id, name, phone, id_number_masked, content) VALUES ($1, $2, $3, $4, $5) RETURNING *`,
        [caseId, input.name, input.phone, input.idNumber ? maskIdNumber(input.idNumber) : null, input.content],
      );
      // the city reviewers who resolve objections are told at once: an open objection holds the case
      await this.outbox.enqueue(em, 'notify', {
        kind: 'objection',
        title: `${def.title}：公示收到异议`,
        body: `${row.title}（${st.label}）收到一件实名异议，处理前不能作出决定。`,
        caseId,
        role: 'city_reviewer',
        countyCode: null,
      }, { dedupeKey: `objection:${o!.id}` });
      return o!;
    });
    this.jobs.poke();
    return toDto(r);
  }

  /**
   * Objections of one case. Its reviewers see who objected; the applicant sees what was objected and how
   * it was resolved, never the objector's name or phone (the objection is lodged with a real name for the
   * authorities, not for the party objected to).
   */
  async forCase(actor: Actor, row: CaseRow): Promise<ObjectionDto[]> {
    const rows: Array<Record<string, unknown>> = await this.ds.query(`SELECT * FROM objections WHERE case_id = $1 ORDER BY id`, [row.id]);
    const applicant = actor.organisationId === row.ownerOrgId && !isAdmin(actor);
    return rows.map(toDto).map((o) => (applicant ? { ...o, name: `${o.name.slice(0, 1)}**`, phone: '***', idNumberMasked: null } : o));
  }

  /** A city reviewer (or admin) upholds or dismisses an objection with reasons. */
  async resolve(actor: Actor, id: number, outcome: 'upheld' | 'dismissed', resolution: string): Promise<ObjectionDto> {
    if (!isAdmin(actor) && !hasRole(actor, 'city_reviewer')) throw DomainException.forbidden('只有市级审核人员可以处理异议');
    const result = await this.ds.transaction(async (em) => {
      const [o]: Array<Record<string, unknown>> = await em.query(`SELECT * FROM objections WHERE id = $1 FOR UPDATE`, [id]);
      if (!o) throw DomainException.notFound('异议');
      if (o.status !== 'open') throw DomainException.conflict('该异议已处理');
      const [c]: Array<Record<string, unknown>> = await em.query(`SELECT * FROM cases WHERE id = $1 FOR UPDATE`, [o.case_id]);
      const row = caseRowFrom(c!);
      if (row.ownerOrgId === actor.organisationId) throw DomainException.forbidden('不能处理本单位申请的异议（回避）');
      const [[updated]]: [Array<Record<string, unknown>>, number] = await em.query(
        `UPDATE objections SET status = $2, resolution = $3, resolved_by = $4, resolved_at = now() WHERE id = $1 RETURNING *`,
        [id, outcome, resolution, actor.id],
      );
      // the window already closed and this was the last open objection: the stage ends now
      const st = this.workflow.definition(row.workflowKey).states[row.state];
      const [fired] = await em.query(`SELECT 1 FROM timers WHERE case_id = $1 AND state = $2 AND fired_at IS NOT NULL`, [row.id, row.state]);
      if (st?.timed && fired) await this.workflow.systemAct(em, row, st.timed.onExpire, { objection: id });
      return toDto(updated!);
    });
    this.jobs.poke();
    return result;
  }
}
