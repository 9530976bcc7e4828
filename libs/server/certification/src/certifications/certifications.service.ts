import { Injectable } from '@nestjs/common';
import { addYears, CERTIFICATION_LEVELS, chineseDate, countyName, endOfPortalDay, isIsoDay, portalToday, type CertificationDto, type CertificationLevel, type CertificationStatus } from '@portal/contracts';
import { DomainException, JobsService, OutboxService, SettingsService } from '@portal/core';
import { hasRole, isAdmin, type Actor } from '@portal/identity';
import { DataSource, type EntityManager } from 'typeorm';
import { enterpriseScope } from '../enterprise-scope.js';
import { rmbDigits, rmbUppercase } from '../subsidies/money.js';
import { armAnnualReport } from './annual-report.schedule.js';
import { subsidyAmount } from '../subsidies/subsidy.rules.js';

/** The columns the visibility rule applies to. */
const SCOPE = { enterprise: 'c.enterprise_id', county: 'o.county_code' };

/** The issuing authority of city certificates and subsidy notices. */
export const CITY_AUTHORITY = '温州市教育局';

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
}

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
    p: { enterpriseId: number; level: CertificationLevel; source: 'portal' | 'recorded'; applicationId?: number; caseId?: number; recordCaseId?: number; documentNo?: string; certifiedAt: string; actorId: number | null; batchId?: number },
  ): Promise<{ id: number; created: boolean }> {
    const e = await this.enterprise(em, p.enterpriseId);
    const validityYears = await this.settings.get('certification.validityYears', em);
    const validUntil = addYears(p.certifiedAt, validityYears);
    const inserted: Array<{ id: string }> = await em.query(
      `INSERT INTO certifications (enterprise_id, level, source, application_id, record_case_id, document_no, certified_at, valid_until, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       ON CONFLICT DO NOTHING RETURNING id`,
      [e.id, p.level, p.source, p.applicationId ?? null, p.recordCaseId ?? null, p.documentNo ?? null, p.certifiedAt, p.level === 'city' ? validUntil : null, p.actorId],
    );
    if (!inserted.length) {
      // every unique key is an arbiter: the standing one of this level, or this application's own (a
      // re-run of the certify effect after a revocation must not grant it again, nor fail)
      const [existing] = await em.query(
        `SELECT id FROM certifications WHERE ($3::bigint IS NOT NULL AND application_id = $3) OR (enterprise_id = $1 AND level = $2 AND revoked_at IS NULL)
          ORDER BY (application_id IS NOT DISTINCT FROM $3::bigint) DESC, id DESC LIMIT 1`,
        [e.id, p.level, p.applicationId ?? null],
      );
      return { id: Number(existing.id), created: false };
    }
    const certificationId = Number(inserted[0]!.id);
    if (p.level === 'city') {
      await this.outbox.enqueue(
        em,
        'documents.issue',
        {
          kind: 'certificate',
          subjectKey: `certification:${certificationId}`,
          generation: 1,
          caseId: p.caseId,
          holderOrgId: e.id,
          holderName: e.name,
          countyCode: e.county_code,
          authority: CITY_AUTHORITY,
          body: `${e.name}：经企业申报、县（市、区）推荐、市级复核、专家评审和公示，你单位被认定为温州市市级产教融合型企业。特发此证。`,
          facts: [
            { label: '统一社会信用代码', value: e.credit_code },
            { label: '认定级别', value: CERTIFICATION_LEVELS.city.label },
            { label: '认定日期', value: chineseDate(p.certifiedAt) },
            { label: '有效期至', value: chineseDate(validUntil) },
          ],
          // the certificate verifies as valid through the last day of its validity, in Wenzhou
          validUntil: endOfPortalDay(validUntil).toISOString(),
          batchId: p.batchId,
        },
        { dedupeKey: `document:certificate:certification:${certificationId}:1` },
      );
    }
    // dynamic management: the portal follows the annual reports of the certifications it decides
    if (p.level === 'city') await armAnnualReport(em, this, certificationId, Number(p.certifiedAt.slice(0, 4)));
    await this.createSubsidy(em, e, certificationId, p.level, p.actorId);
    return { id: certificationId, created: true };
  }

  /** The subsidy of a certification and its notice to the finance bureau of the enterprise's county. */
  private async createSubsidy(em: EntityManager, e: EnterpriseFacts, certificationId: number, level: CertificationLevel, actorId: number | null): Promise<void> {
    const granted: Array<{ level: CertificationLevel; amount_fen: string }> = await em.query(
      `SELECT level, amount_fen FROM subsidies WHERE enterprise_id = $1 AND status IN ('pending', 'paid')`,
      [e.id],
    );
    const { amountFen, policy } = subsidyAmount(level, await this.settings.all(em), granted.map((g) => ({ level: g.level, amountFen: Number(g.amount_fen) })));
    const rows: Array<{ id: string }> = await em.query(
      `INSERT INTO subsidies (enterprise_id, level, certification_id, county_code, amount_fen, policy) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (enterprise_id, level) DO NOTHING RETURNING id`,
      [e.id, level, certificationId, e.county_code, amountFen, policy],
    );
    if (!rows.length) return; // at most one subsidy per enterprise and level, ever
    const subsidyId = Number(rows[0]!.id);
    await em.query(`INSERT INTO subsidy_events (subsidy_id, actor_id, action, to_status, details) VALUES ($1, $2, 'create', 'pending', $3)`, [subsidyId, actorId, JSON.stringify({ amountFen, policy, certificationId })]);
    const financeBureau = `${countyName(e.county_code) ?? '温州市'}财政局`;
    await this.outbox.enqueue(
      em,
      'documents.issue',
      {
        kind: 'subsidy_notice',
        subjectKey: `subsidy:${subsidyId}`,
        generation: 1,
        holderOrgId: e.id,
        holderName: e.name,
        countyCode: e.county_code,
        authority: CITY_AUTHORITY,
        addressee: financeBureau,
        body: `根据《温州市推动现代职业教育高质量跨越式发展实施方案(2023-2025)》（温政办〔2023〕32号）任务22，对通过${CERTIFICATION_LEVELS[level].label}认定的产教融合型企业给予一次性补助。请按规定将下列补助资金拨付至该企业，并在平台登记拨付凭证。`,
        facts: [
          { label: '企业名称', value: e.name },
          { label: '统一社会信用代码', value: e.credit_code },
          { label: '认定级别', value: CERTIFICATION_LEVELS[level].label },
          { label: '补助金额', value: `${rmbUppercase(amountFen)}（${rmbDigits(amountFen)}）` },
          { label: '计算方式', value: policy === 'full' ? '全额补助' : '补足与已获较低级别补助的差额' },
        ],
        validUntil: null,
      },
      { dedupeKey: `document:subsidy_notice:subsidy:${subsidyId}:1` },
    );
  }

  /** The city records a provincial or national certification directly (idempotent: a repeat answers the same). */
  async record(actor: Actor, p: { enterpriseId: number; level: CertificationLevel; documentNo: string; certifiedAt: string }): Promise<{ certification: CertificationDto; created: boolean }> {
    if (!isAdmin(actor) && !hasRole(actor, 'city_reviewer')) throw DomainException.forbidden('只有市级审核人员可以登记省级、国家级认定');
    if (p.level === 'city') throw DomainException.validation('市级认定通过平台审批产生，不能直接登记', [{ field: 'level', messages: ['只能登记省级或国家级'] }]);
    if (!isIsoDay(p.certifiedAt) || p.certifiedAt > portalToday()) throw DomainException.validation('认定日期不正确', [{ field: 'certifiedAt', messages: ['应为不晚于今天的日期'] }]);
    const result = await this.ds.transaction((em) => this.grant(em, { enterpriseId: p.enterpriseId, level: p.level, source: 'recorded', documentNo: p.documentNo, certifiedAt: p.certifiedAt, actorId: actor.id }));
    this.jobs.poke();
    return { certification: await this.get(actor, result.id), created: result.created };
  }

  /**
   * Revoke (fraud, major accident, 失信): the certificate is revoked at once on its verification page,
   * an unpaid subsidy is cancelled, a paid one is marked to be recovered, and the enterprise may not apply
   * again for the configured number of years.
   */
  async revoke(actor: Actor, id: number, reason: string): Promise<CertificationDto> {
    if (!isAdmin(actor) && !hasRole(actor, 'city_reviewer')) throw DomainException.forbidden('只有市级审核人员可以撤销认定');
    await this.ds.transaction(async (em) => {
      const [c] = await em.query(`SELECT * FROM certifications WHERE id = $1 FOR UPDATE`, [id]);
      if (!c) throw DomainException.notFound('认定');
      if (c.revoked_at) throw DomainException.conflict('该认定已撤销');
      await em.query(`UPDATE certifications SET revoked_at = now(), revoke_reason = $2 WHERE id = $1`, [id, reason]);
      await this.outbox.enqueue(em, 'documents.revoke', { kind: 'certificate', subjectKey: `certification:${id}`, reason: `认定资格已撤销：${reason}` });
      const subsidies: Array<{ id: string; status: string }> = await em.query(`SELECT id, status FROM subsidies WHERE certification_id = $1 FOR UPDATE`, [id]);
      for (const s of subsidies) {
        const to = s.status === 'pending' ? 'cancelled' : s.status === 'paid' ? 'to_recover' : undefined;
        if (!to) continue;
        await em.query(`UPDATE subsidies SET status = $2, cancel_reason = $3, version = version + 1, updated_at = now() WHERE id = $1`, [s.id, to, `认定撤销：${reason}`]);
        await em.query(`INSERT INTO subsidy_events (subsidy_id, actor_id, action, from_status, to_status, details) VALUES ($1, $2, 'revoke_certification', $3, $4, $5)`, [s.id, actor.id, s.status, to, JSON.stringify({ reason })]);
        if (to === 'cancelled') await this.outbox.enqueue(em, 'documents.revoke', { kind: 'subsidy_notice', subjectKey: `subsidy:${s.id}`, reason: `认定资格已撤销，补助取消：${reason}` });
      }
    });
    this.jobs.poke();
    return this.get(actor, id);
  }

  async list(actor: Actor, filter: { level?: string; countyCode?: string; enterpriseId?: number; status?: string }, range: { start: number; end: number }): Promise<{ rows: CertificationDto[]; total: number }> {
    const params: unknown[] = [];
    const where = [enterpriseScope(actor, params, SCOPE)];
    if (filter.level) where.push(`c.level = $${params.push(filter.level)}`);
    if (filter.countyCode) where.push(`o.county_code = $${params.push(filter.countyCode)}`);
    if (filter.enterpriseId) where.push(`c.enterprise_id = $${params.push(filter.enterpriseId)}`);
    if (filter.status === 'revoked') where.push('c.revoked_at IS NOT NULL');
    if (filter.status === 'active') where.push('c.revoked_at IS NULL AND (c.valid_until IS NULL OR c.valid_until >= current_date)');
    if (filter.status === 'expired') where.push('c.revoked_at IS NULL AND c.valid_until < current_date');
    const from = `FROM certifications c JOIN organisations o ON o.id = c.enterprise_id WHERE ${where.join(' AND ')}`;
    const [{ n }] = await this.ds.query(`SELECT count(*)::int AS n ${from}`, params);
    const rows: CertificationRow[] = await this.ds.query(
      `SELECT c.*, o.name AS enterprise_name, o.county_code ${from} ORDER BY c.id DESC OFFSET $${params.push(range.start)} LIMIT $${params.push(range.end - range.start + 1)}`,
      params,
    );
    return { rows: rows.map((r) => this.toDto(r)), total: n };
  }

  async get(actor: Actor, id: number): Promise<CertificationDto> {
    const params: unknown[] = [id];
    const [r]: CertificationRow[] = await this.ds.query(`SELECT c.*, o.name AS enterprise_name, o.county_code FROM certifications c JOIN organisations o ON o.id = c.enterprise_id WHERE c.id = $1 AND ${enterpriseScope(actor, params, SCOPE)}`, params);
    if (!r) throw DomainException.notFound('认定');
    return this.toDto(r);
  }
}
