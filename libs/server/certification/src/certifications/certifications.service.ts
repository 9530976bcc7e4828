import { Injectable } from '@nestjs/common';
import {
  addYears,
  CERTIFICATION_LEVELS,
  isIsoDay,
  portalToday,
  type CertificationDto,
  type CertificationLevel,
  type CertificationStatus,
} from '@portal/contracts';
import { DomainException, JobsService, OutboxService, SettingsService } from '@portal/core';
import { hasRole, isAdmin, type Actor } from '@portal/identity';
import { WorkflowService } from '@portal/workflow';
import { DataSource, type EntityManager } from 'typeorm';
import { RECORD_WORKFLOW } from '../applications/certification.workflow.js';
import { enterpriseScope } from '../enterprise-scope.js';
import { caseOfCertification } from './certification-case.js';
import { rmbDigits } from '../subsidies/money.js';
import { armAnnualReport } from './annual-report.schedule.js';
import {
  certificateRequest,
  certificateRevocation,
  certificateSubject,
  documentDedupeKey,
  subsidyNoticeRequest,
  subsidyNoticeRevocation,
  subsidyNoticeSubject,
} from './certification-documents.js';
import { subsidyAmount } from '../subsidies/subsidy.rules.js';

/** Arbitrary constant: the advisory lock the city's direct recordings of one enterprise take in turn. */
const RECORD_DIRECTLY_LOCK = 724_110;

/** The columns the visibility rule applies to. */
const SCOPE = { enterprise: 'c.enterprise_id', county: 'o.county_code' };

interface EnterpriseFacts {
  id: number;
  name: string;
  credit_code: string;
  county_code: string;
}

interface CertificationRow {
  id: string;
  enterprise_id: number;
  enterprise_name: string;
  county_code: string | null;
  level: CertificationLevel;
  source: 'portal' | 'recorded';
  application_id: string | null;
  document_no: string | null;
  certified_at: string;
  valid_until: string | null;
  revoked_at: Date | null;
  revoke_reason: string | null;
  revoked_by: number | null;
  revoked_by_name: string | null;
}

const SELECT = `SELECT c.*, o.name AS enterprise_name, o.county_code, ru.display_name AS revoked_by_name
  FROM certifications c JOIN organisations o ON o.id = c.enterprise_id LEFT JOIN users ru ON ru.id = c.revoked_by`;

/** `today`: the portal's date (Asia/Shanghai); a certification is valid through its last day. */
export function certificationStatus(r: Pick<CertificationRow, 'revoked_at' | 'valid_until'>, today = portalToday()): CertificationStatus {
  if (r.revoked_at) return 'revoked';
  if (r.valid_until && r.valid_until < today) return 'expired';
  return 'active';
}

/**
 * Certifications by enterprise and level, and what each brings: its subsidy (one per enterprise and
 * level, guaranteed by a unique key), the certificate (city level) and the subsidy notice, both issued
 * by the worker through the outbox.
 */
@Injectable()
export class CertificationsService {
  constructor(
    private readonly ds: DataSource,
    readonly outbox: OutboxService,
    readonly settings: SettingsService,
    private readonly jobs: JobsService,
    private readonly workflow: WorkflowService,
  ) {}

  toDto(r: CertificationRow): CertificationDto {
    return {
      id: Number(r.id),
      enterpriseId: r.enterprise_id,
      enterpriseName: r.enterprise_name,
      countyCode: r.county_code,
      level: r.level,
      source: r.source,
      applicationId: r.application_id === null ? null : Number(r.application_id),
      documentNo: r.document_no,
      certifiedAt: r.certified_at,
      validUntil: r.valid_until,
      status: certificationStatus(r),
      revokedAt: r.revoked_at?.toISOString() ?? null,
      revokeReason: r.revoke_reason,
      revokedBy: r.revoked_by,
      revokedByName: r.revoked_by_name,
    };
  }

  private async enterprise(em: EntityManager, id: number): Promise<EnterpriseFacts> {
    const [e]: EnterpriseFacts[] = await em.query(`SELECT id, name, credit_code, county_code FROM organisations WHERE id = $1 AND kind = 'enterprise'`, [id]);
    if (!e) throw DomainException.validation('企业不存在', [{ field: 'enterpriseId', messages: ['企业不存在'] }]);
    return e;
  }

  /**
   * Grant a certification (idempotent): the standing one of this enterprise and level if there is one,
   * else a new one with its subsidy and documents. Safe under retries and concurrent calls.
   */
  async grant(
    em: EntityManager,
    p: {
      enterpriseId: number;
      level: CertificationLevel;
      source: 'portal' | 'recorded';
      applicationId?: number;
      caseId?: number;
      recordCaseId?: number;
      documentNo?: string;
      certifiedAt: string;
      actorId: number | null;
      batchId?: number;
    },
  ): Promise<{ id: number; created: boolean }> {
    const e = await this.enterprise(em, p.enterpriseId);
    const validityYears = await this.settings.get('certification.validityYears', em);
    const validUntil = addYears(p.certifiedAt, validityYears);
    // 期满重新认定: a city certification expired before this one's date gives way to it (kept, listed as 已过期)
    if (p.level === 'city') {
      await em.query(
        `UPDATE certifications SET superseded_at = now()
          WHERE enterprise_id = $1 AND level = 'city' AND revoked_at IS NULL AND superseded_at IS NULL AND valid_until < $2::date`,
        [e.id, p.certifiedAt],
      );
    }
    const inserted: Array<{ id: string }> = await em.query(
      `INSERT INTO certifications (enterprise_id, level, source, application_id, record_case_id, document_no, certified_at, valid_until, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       ON CONFLICT DO NOTHING RETURNING id`,
      [
        e.id,
        p.level,
        p.source,
        p.applicationId ?? null,
        p.recordCaseId ?? null,
        p.documentNo ?? null,
        p.certifiedAt,
        p.level === 'city' ? validUntil : null,
        p.actorId,
      ],
    );
    if (!inserted.length) {
      // every unique key is an arbiter: the standing one of this level, or this application's own (a
      // re-run of the certify effect after a revocation must not grant it again, nor fail)
      const [existing] = await em.query<Array<{ id: string }>>(
        `SELECT id FROM certifications WHERE ($3::bigint IS NOT NULL AND application_id = $3) OR (enterprise_id = $1 AND level = $2 AND revoked_at IS NULL AND superseded_at IS NULL)
          ORDER BY (application_id IS NOT DISTINCT FROM $3::bigint) DESC, id DESC LIMIT 1`,
        [e.id, p.level, p.applicationId ?? null],
      );
      return { id: Number(existing.id), created: false };
    }
    const certificationId = Number(inserted[0].id);
    const texts = await this.settings.texts(em);
    if (p.level === 'city') {
      const request = certificateRequest(e, { certificationId, caseId: p.caseId, certifiedAt: p.certifiedAt, validUntil, texts, batchId: p.batchId });
      await this.outbox.enqueue(em, 'documents.issue', request, { dedupeKey: documentDedupeKey(request) });
    }
    // dynamic management: the portal follows the annual reports of the certifications it decides
    if (p.level === 'city') await armAnnualReport(em, this, certificationId, Number(p.certifiedAt.slice(0, 4)));
    await this.createSubsidy(em, e, certificationId, p.level, p.actorId, texts, p.caseId ?? p.recordCaseId);
    return { id: certificationId, created: true };
  }

  /** The subsidy of a certification and its notice to the finance bureau of the enterprise's county. */
  private async createSubsidy(
    em: EntityManager,
    e: EnterpriseFacts,
    certificationId: number,
    level: CertificationLevel,
    actorId: number | null,
    texts: Awaited<ReturnType<SettingsService['texts']>>,
    caseId: number | undefined,
  ): Promise<void> {
    const granted: Array<{ level: CertificationLevel; amount_fen: string }> = await em.query(
      `SELECT level, amount_fen FROM subsidies WHERE enterprise_id = $1 AND status IN ('pending', 'paid')`,
      [e.id],
    );
    const { amountFen, policy } = subsidyAmount(
      level,
      await this.settings.all(em),
      granted.map((g) => ({ level: g.level, amountFen: Number(g.amount_fen) })),
    );
    const rows: Array<{ id: string }> = await em.query(
      `INSERT INTO subsidies (enterprise_id, level, certification_id, county_code, amount_fen, policy) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (enterprise_id, level) DO NOTHING RETURNING id`,
      [e.id, level, certificationId, e.county_code, amountFen, policy],
    );
    if (!rows.length) return; // at most one subsidy per enterprise and level, ever
    const subsidyId = Number(rows[0].id);
    await em.query(`INSERT INTO subsidy_events (subsidy_id, actor_id, action, to_status, details) VALUES ($1, $2, 'create', 'pending', $3)`, [
      subsidyId,
      actorId,
      JSON.stringify({ amountFen, policy, certificationId }),
    ]);
    const notice = subsidyNoticeRequest(e, { subsidyId, level, amountFen, policy, texts, caseId });
    await this.outbox.enqueue(em, 'documents.issue', notice, { dedupeKey: documentDedupeKey(notice) });
  }

  /** The city records a provincial or national certification directly (idempotent: a repeat answers the same). */
  async record(
    actor: Actor,
    p: { enterpriseId: number; level: CertificationLevel; documentNo: string; certifiedAt: string },
  ): Promise<{ certification: CertificationDto; created: boolean }> {
    if (!isAdmin(actor) && !hasRole(actor, 'city_reviewer')) throw DomainException.forbidden('只有市级审核人员可以登记省级、国家级认定');
    if (p.level === 'city')
      throw DomainException.validation('市级认定通过平台审批产生，不能直接登记', [{ field: 'level', messages: ['只能登记省级或国家级'] }]);
    if (!isIsoDay(p.certifiedAt) || p.certifiedAt > portalToday())
      throw DomainException.validation('认定日期不正确', [{ field: 'certifiedAt', messages: ['应为不晚于今天的日期'] }]);
    const level = p.level;
    const result = await this.ds.transaction(async (em) => {
      const e = await this.enterprise(em, p.enterpriseId);
      // one recording at a time per enterprise: a repeat (or a concurrent twin) finds the standing one and opens no case
      await em.query(`SELECT pg_advisory_xact_lock($1, $2)`, [RECORD_DIRECTLY_LOCK, e.id]);
      const [standing] = await em.query<Array<{ id: string }>>(
        `SELECT id FROM certifications WHERE enterprise_id = $1 AND level = $2 AND revoked_at IS NULL ORDER BY id DESC LIMIT 1`,
        [e.id, level],
      );
      if (standing) return { id: Number(standing.id), created: false };
      // a record case opened and confirmed at once through the engine, under the reviewer: the chain its
      // subsidy's payments and its revocation go on
      const opened = await this.workflow.open(em, {
        workflowKey: RECORD_WORKFLOW,
        ownerOrgId: e.id,
        countyCode: e.county_code,
        title: `${e.name}（${level === 'national' ? '国家级' : '省级'}认定登记）`,
        actor,
      });
      await em.query(`INSERT INTO certification_records (case_id, enterprise_id, level, document_no, certified_at) VALUES ($1, $2, $3, $4, $5)`, [
        opened.id,
        e.id,
        level,
        p.documentNo,
        p.certifiedAt,
      ]);
      const confirmed = await this.workflow.systemAct(em, opened, 'record', { level, documentNo: p.documentNo, certifiedAt: p.certifiedAt }, { actor });
      if (!confirmed) throw new Error('the record workflow has no "record" transition from draft');
      return this.grant(em, {
        enterpriseId: e.id,
        level,
        source: 'recorded',
        recordCaseId: opened.id,
        documentNo: p.documentNo,
        certifiedAt: p.certifiedAt,
        actorId: actor.id,
      });
    });
    this.jobs.poke();
    return { certification: await this.get(actor, result.id), created: result.created };
  }

  /**
   * Revoke (fraud, major accident, 失信), in one transaction: the certification records who revoked it and
   * why; its certificate is revoked on the verification page; an unpaid subsidy is cancelled and a paid one
   * is marked to be recovered, their notices saying so; the application (or record) moves to 已撤销认定
   * on its hash chain under the reviewer, with the reason; the enterprise and the finance bureau are told;
   * and the enterprise may not apply again for the configured number of years.
   */
  async revoke(actor: Actor, id: number, reason: string): Promise<CertificationDto> {
    if (!isAdmin(actor) && !hasRole(actor, 'city_reviewer')) throw DomainException.forbidden('只有市级审核人员可以撤销认定');
    await this.ds.transaction(async (em) => {
      // locks: the certification, then its subsidies, then its case (the order payments take too: subsidy, case)
      const [c] = await em.query<Array<Omit<CertificationRow, 'revoked_by_name'>>>(
        `SELECT c.*, o.name AS enterprise_name, o.county_code FROM certifications c JOIN organisations o ON o.id = c.enterprise_id WHERE c.id = $1 FOR UPDATE OF c`,
        [id],
      );
      if (!c) throw DomainException.notFound('认定');
      if (c.revoked_at) throw DomainException.conflict('该认定已撤销');
      const subsidies: Array<{ id: string; status: string; amount_fen: string; paid_amount_fen: string | null; county_code: string | null }> = await em.query(
        `SELECT id, status, amount_fen, paid_amount_fen, county_code FROM subsidies WHERE certification_id = $1 ORDER BY id FOR UPDATE`,
        [id],
      );
      await em.query(`UPDATE certifications SET revoked_at = now(), revoke_reason = $2, revoked_by = $3 WHERE id = $1`, [id, reason, actor.id]);
      await this.outbox.enqueue(em, 'documents.revoke', { kind: 'certificate', subjectKey: certificateSubject(id), ...certificateRevocation(reason) });
      const changed: Array<{ id: number; from: string; to: string; amountFen: number }> = [];
      for (const s of subsidies) {
        const to = s.status === 'pending' ? 'cancelled' : s.status === 'paid' ? 'to_recover' : undefined;
        if (!to) continue;
        await em.query(`UPDATE subsidies SET status = $2, cancel_reason = $3, version = version + 1, updated_at = now() WHERE id = $1`, [
          s.id,
          to,
          `认定撤销：${reason}`,
        ]);
        await em.query(
          `INSERT INTO subsidy_events (subsidy_id, actor_id, action, from_status, to_status, details) VALUES ($1, $2, 'revoke_certification', $3, $4, $5)`,
          [s.id, actor.id, s.status, to, JSON.stringify({ reason })],
        );
        // its notice no longer stands: cancelled, or to be recovered (the verification page says which)
        await this.outbox.enqueue(em, 'documents.revoke', {
          kind: 'subsidy_notice',
          subjectKey: subsidyNoticeSubject(s.id),
          ...subsidyNoticeRevocation(to, reason),
        });
        changed.push({ id: Number(s.id), from: s.status, to, amountFen: Number(to === 'to_recover' ? s.paid_amount_fen : s.amount_fen) });
      }
      const payload = { certificationId: id, level: c.level, subsidies: changed };
      const ofCase = await caseOfCertification(em, id);
      const row = ofCase ? await this.workflow.loadRow(em, ofCase.workflowKey, ofCase.caseId, true) : undefined;
      // the application (or record) reads 已撤销认定; the engine tells its owner, with the reason
      const moved = row ? await this.workflow.systemAct(em, row, 'revoke', payload, { actor, comment: reason }) : undefined;
      if (row && !moved) await this.workflow.recordEvent(em, row.id, actor, { action: 'revoke_certification', comment: reason, payload });
      if (!moved) {
        await this.outbox.enqueue(em, 'notify', {
          kind: 'decided',
          title: `${CERTIFICATION_LEVELS[c.level].label}产教融合型企业认定已撤销`,
          body: `${c.enterprise_name}：${reason}`,
          roles: ['enterprise_applicant'],
          organisationId: c.enterprise_id,
          ...(row ? { caseId: row.id } : {}),
        });
      }
      for (const s of changed) {
        await this.outbox.enqueue(em, 'notify', {
          kind: s.to === 'to_recover' ? 'subsidy_to_recover' : 'subsidy_cancelled',
          title: s.to === 'to_recover' ? `补助待追回：${c.enterprise_name}` : `补助已撤销：${c.enterprise_name}`,
          body:
            s.to === 'to_recover'
              ? `${c.enterprise_name}的${CERTIFICATION_LEVELS[c.level].label}产教融合型企业认定已撤销（${reason}），已拨付的补助 ${rmbDigits(s.amountFen)} 须追回，请登记追回凭证。`
              : `${c.enterprise_name}的${CERTIFICATION_LEVELS[c.level].label}产教融合型企业认定已撤销（${reason}），尚未拨付的补助 ${rmbDigits(s.amountFen)} 已撤销，请勿拨付。`,
          roles: ['finance'],
          countyCode: c.county_code,
          ...(row ? { caseId: row.id } : {}),
        });
      }
    });
    this.jobs.poke();
    return this.get(actor, id);
  }

  async list(
    actor: Actor,
    filter: { level?: string; countyCode?: string; enterpriseId?: number; status?: string; industry?: string; ids?: number[] },
    range: { start: number; end: number },
  ): Promise<{ rows: CertificationDto[]; total: number }> {
    const params: unknown[] = [];
    const where = [enterpriseScope(actor, params, SCOPE)];
    // the dashboard's split by industry ("5+5+N"): an enterprise without one counts as N (other)
    if (filter.industry) where.push(`coalesce(o.industry, 'other') = $${params.push(filter.industry)}`);
    if (filter.level) where.push(`c.level = $${params.push(filter.level)}`);
    if (filter.countyCode) where.push(`o.county_code = $${params.push(filter.countyCode)}`);
    if (filter.enterpriseId) where.push(`c.enterprise_id = $${params.push(filter.enterpriseId)}`);
    if (filter.ids) where.push(`c.id = ANY($${params.push(filter.ids)}::bigint[])`);
    if (filter.status === 'revoked') where.push('c.revoked_at IS NOT NULL');
    // the statuses of certificationStatus, on the portal's date (Asia/Shanghai, the application's clock)
    if (filter.status === 'active') where.push(`c.revoked_at IS NULL AND (c.valid_until IS NULL OR c.valid_until >= $${params.push(portalToday())}::date)`);
    if (filter.status === 'expired') where.push(`c.revoked_at IS NULL AND c.valid_until < $${params.push(portalToday())}::date`);
    const cond = `WHERE ${where.join(' AND ')}`;
    const [{ n }] = await this.ds.query<Array<{ n: number }>>(
      `SELECT count(*)::int AS n FROM certifications c JOIN organisations o ON o.id = c.enterprise_id ${cond}`,
      params,
    );
    const rows: CertificationRow[] = await this.ds.query(
      `${SELECT} ${cond} ORDER BY c.id DESC OFFSET $${params.push(range.start)} LIMIT $${params.push(range.end - range.start + 1)}`,
      params,
    );
    return { rows: rows.map((r) => this.toDto(r)), total: n };
  }

  async get(actor: Actor, id: number): Promise<CertificationDto> {
    const params: unknown[] = [id];
    const [r]: CertificationRow[] = await this.ds.query(`${SELECT} WHERE c.id = $1 AND ${enterpriseScope(actor, params, SCOPE)}`, params);
    if (!r) throw DomainException.notFound('认定');
    return this.toDto(r);
  }
}
