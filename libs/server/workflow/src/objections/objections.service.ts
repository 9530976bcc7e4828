import { Injectable } from '@nestjs/common';
import { maskIdNumber, maskPhone, phoneKey, type BatchResolveResult, type ObjectionDto } from '@portal/contracts';
import { DomainException, JobsService, OutboxService, SettingsService } from '@portal/core';
import { hasRole, isAdmin, type Actor } from '@portal/identity';
import { DataSource, type EntityManager } from 'typeorm';
import { caseRowFrom, type CaseRow } from '../engine/case-row.js';
import type { Guard } from '../engine/definition.js';
import { WorkflowService } from '../engine/workflow.service.js';
import { appendEvent } from '../events/event-chain.js';
import { maskName, seesObjectorPhone } from './objection.rules.js';

export interface ObjectionInput {
  name: string;
  phone: string;
  idNumber?: string;
  content: string;
}

export type { ObjectionDto };

/** The guard of a 公示 stage's way out: no objection may be open. */
export const noOpenObjections: Guard = async ({ row, em }) => {
  const [{ n }] = await em.query<Array<{ n: number }>>(`SELECT count(*)::int AS n FROM objections WHERE case_id = $1 AND status = 'open'`, [row.id]);
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

/** Arbitrary constants: the advisory locks that serialise lodging per client address and per phone. */
const LOCK_ADDRESS = 724_201;
const LOCK_PHONE = 724_202;

/**
 * The case's objection window (its 公示, the stage it is in) has ended: this visit's timer fired. A case may go through
 * 公示 more than once (a decision returned to 市级复核 passes its panel again): an earlier visit's timer, fired before
 * the case came back, says nothing about this one.
 */
async function windowClosed(em: EntityManager, row: CaseRow): Promise<boolean> {
  const [fired] = await em.query<unknown[]>(`SELECT 1 FROM timers WHERE case_id = $1 AND state = $2 AND fired_at >= $3 LIMIT 1`, [
    row.id,
    row.state,
    row.stageEnteredAt,
  ]);
  return fired !== undefined;
}

/** The start of today in Asia/Shanghai, as SQL (limits are per Shanghai day). */
const SHANGHAI_TODAY = `(date_trunc('day', now() AT TIME ZONE 'Asia/Shanghai') AT TIME ZONE 'Asia/Shanghai')`;

/**
 * Objections to a case under public notice (公示), lodged with a real name and phone, without a login.
 * An open objection holds the stage; once every objection is resolved after the window closed, the
 * engine moves the case on. One open objection per case and phone, and daily limits per phone and per
 * client address (settings), keep one sender from holding a 公示 with a flood.
 */
@Injectable()
export class ObjectionsService {
  constructor(
    private readonly ds: DataSource,
    private readonly workflow: WorkflowService,
    private readonly jobs: JobsService,
    private readonly settings: SettingsService,
    private readonly outbox: OutboxService,
  ) {}

  async lodge(workflowKey: string, caseId: number, input: ObjectionInput, clientIp?: string): Promise<ObjectionDto> {
    const key = phoneKey(input.phone);
    if (key.length < 5) throw DomainException.validation('电话号码格式不正确', [{ field: 'phone', messages: ['电话号码格式不正确'] }]);
    const address = clientIp?.slice(0, 100) || null;
    const r = await this.ds.transaction(async (em) => {
      const row = await this.workflow.loadRow(em, workflowKey, caseId);
      const st = row ? this.workflow.definition(workflowKey).states[row.state] : undefined;
      if (!row || !st?.timed?.objections) throw DomainException.conflict('该事项不在公示期内，不能提出异议');
      if (await windowClosed(em, row)) throw DomainException.conflict('公示期已结束，不能再提出异议');
      // one lodging at a time per address, then per phone (always in this order: no deadlock)
      if (address) await em.query(`SELECT pg_advisory_xact_lock($1, hashtext($2))`, [LOCK_ADDRESS, address]);
      await em.query(`SELECT pg_advisory_xact_lock($1, hashtext($2))`, [LOCK_PHONE, key]);
      const [open] = await em.query<unknown[]>(`SELECT 1 FROM objections WHERE case_id = $1 AND phone_key = $2 AND status = 'open' LIMIT 1`, [caseId, key]);
      if (open) throw new DomainException('DUPLICATE', '该电话号码对此事项已有一件异议尚未处理，请等待处理结果后再提出', { field: 'phone' });
      const limits = await this.settings.all(em);
      const [{ n: byPhone }] = await em.query<Array<{ n: number }>>(
        `SELECT count(*)::int AS n FROM objections WHERE phone_key = $1 AND created_at >= ${SHANGHAI_TODAY}`,
        [key],
      );
      if (byPhone >= limits['objections.maxPerPhonePerDay']) {
        throw new DomainException('TOO_MANY_REQUESTS', `同一电话号码每天最多提出 ${limits['objections.maxPerPhonePerDay']} 件异议，请明天再试`, {
          field: 'phone',
        });
      }
      if (address) {
        const [{ n: byAddress }] = await em.query<Array<{ n: number }>>(
          `SELECT count(*)::int AS n FROM objections WHERE client_ip = $1 AND created_at >= ${SHANGHAI_TODAY}`,
          [address],
        );
        if (byAddress >= limits['objections.maxPerAddressPerDay'])
          throw new DomainException('TOO_MANY_REQUESTS', `本网络地址今天提出的异议已达上限（${limits['objections.maxPerAddressPerDay']} 件），请明天再试`);
      }
      const [inserted]: Array<Record<string, unknown>> = await em.query(
        `INSERT INTO objections (case_id, name, phone, phone_key, client_ip, id_number_masked, content) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING *`,
        [caseId, input.name, input.phone, key, address, input.idNumber ? maskIdNumber(input.idNumber) : null, input.content],
      );
      // the city reviewers who resolve objections are told at once: an open objection holds the case
      await this.outbox.enqueue(
        em,
        'notify',
        {
          kind: 'objection',
          title: `${this.workflow.definition(workflowKey).title}：公示收到异议`,
          body: `${row.title}（${st.label}）收到一件实名异议，处理前不能作出决定。`,
          caseId,
          role: 'city_reviewer',
          countyCode: null,
        },
        { dedupeKey: `objection:${String(inserted.id)}` },
      );
      return inserted;
    });
    this.jobs.poke();
    // the answer goes to an anonymous caller: the phone masked like everyone else's view
    const dto = toDto(r);
    return { ...dto, phone: maskPhone(dto.phone) };
  }

  /**
   * Objections of one case. The city reviewers who resolve objections see the objector's phone; everyone
   * else sees it masked (138****1234). The applicant sees what was objected and how it was resolved, never
   * the objector's name (the objection is lodged with a real name for the authorities, not for the party
   * objected to).
   */
  async forCase(actor: Actor, row: CaseRow): Promise<ObjectionDto[]> {
    const rows: Array<Record<string, unknown>> = await this.ds.query(`SELECT * FROM objections WHERE case_id = $1 ORDER BY id`, [row.id]);
    return rows.map(toDto).map((o) => this.asSeenBy(actor, row, o));
  }

  private asSeenBy(actor: Actor, row: Pick<CaseRow, 'ownerOrgId'>, o: ObjectionDto): ObjectionDto {
    const applicant = actor.organisationId === row.ownerOrgId && !isAdmin(actor);
    const phone = seesObjectorPhone(actor, row) ? o.phone : maskPhone(o.phone);
    return applicant ? { ...o, name: maskName(o.name), phone, idNumberMasked: null } : { ...o, phone };
  }

  private assertMayResolve(actor: Actor): void {
    if (!isAdmin(actor) && !hasRole(actor, 'city_reviewer')) throw DomainException.forbidden('只有市级审核人员可以处理异议');
  }

  /** A city reviewer (or admin) upholds or dismisses an objection with reasons; the ruling is an event on the case's chain. */
  async resolve(actor: Actor, id: number, outcome: 'upheld' | 'dismissed', resolution: string): Promise<ObjectionDto> {
    this.assertMayResolve(actor);
    const result = await this.ds.transaction((em) => this.resolveOne(em, actor, id, outcome, resolution));
    this.jobs.poke();
    return result;
  }

  /**
   * Resolve several objections with one ruling (a flood of the same complaint): each is its own
   * transaction and its own audited event, one failure does not stop the others, and each answers its
   * outcome.
   */
  async resolveMany(actor: Actor, ids: number[], outcome: 'upheld' | 'dismissed', resolution: string): Promise<BatchResolveResult> {
    this.assertMayResolve(actor);
    const results: BatchResolveResult['results'] = [];
    for (const id of [...new Set(ids)]) {
      try {
        await this.ds.transaction((em) => this.resolveOne(em, actor, id, outcome, resolution));
        results.push({ id, ok: true, status: 200 });
      } catch (e) {
        if (!(e instanceof DomainException)) throw e;
        results.push({ id, ok: false, status: e.status, message: e.message });
      }
    }
    this.jobs.poke();
    return { results };
  }

  private async resolveOne(em: EntityManager, actor: Actor, id: number, outcome: 'upheld' | 'dismissed', resolution: string): Promise<ObjectionDto> {
    const [o]: Array<Record<string, unknown>> = await em.query(`SELECT * FROM objections WHERE id = $1 FOR UPDATE`, [id]);
    if (!o) throw DomainException.notFound('异议');
    if (o.status !== 'open') throw DomainException.conflict('该异议已处理');
    const [c]: Array<Record<string, unknown>> = await em.query(`SELECT * FROM cases WHERE id = $1 FOR UPDATE`, [o.case_id]);
    const row = caseRowFrom(c);
    if (row.ownerOrgId === actor.organisationId) throw DomainException.forbidden('不能处理本单位申请的异议（回避）');
    const [[updated]]: [Array<Record<string, unknown>>, number] = await em.query(
      `UPDATE objections SET status = $2, resolution = $3, resolved_by = $4, resolved_at = now() WHERE id = $1 RETURNING *`,
      [id, outcome, resolution, actor.id],
    );
    // the ruling is on the case's hash chain like every change that decides the case's course
    await appendEvent(em, {
      caseId: row.id,
      actorId: actor.id,
      actorRole: hasRole(actor, 'city_reviewer') ? 'city_reviewer' : (actor.roles[0] ?? null),
      onBehalfOf: null,
      action: 'resolve_objection',
      fromState: row.state,
      toState: row.state,
      comment: resolution,
      payload: { objection: id, outcome },
    });
    // the window already closed and this was the last open objection: the stage ends now
    const st = this.workflow.definition(row.workflowKey).states[row.state];
    if (st?.timed && (await windowClosed(em, row))) await this.workflow.systemAct(em, row, st.timed.onExpire, { objection: id });
    return this.asSeenBy(actor, row, toDto(updated));
  }
}
