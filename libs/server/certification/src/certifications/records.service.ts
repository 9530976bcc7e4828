import { Injectable } from '@nestjs/common';
import { portalToday, type ActionRequest, type CaseSummaryInRecord, type CertificationLevel, type RecordDto } from '@portal/contracts';
import { DomainException } from '@portal/core';
import { hasRole, type Actor } from '@portal/identity';
import {
  caseReadScope,
  caseRowFrom,
  checkIdempotencyKey,
  claimIdempotencyKey,
  livePurposes,
  rememberIdempotentAnswer,
  requestFingerprint,
  WorkflowService,
  type Guard,
} from '@portal/workflow';
import { DataSource } from 'typeorm';
import { PUBLISHED_LIST, RECORD_WORKFLOW } from '../applications/certification.workflow.js';

/** Arbitrary constant: the advisory lock proposals of one enterprise take in turn. */
const RECORD_CREATE_LOCK = 724_102;

/** A document number compared without its spaces (half- or full-width), the way people retype it. */
const documentKey = (documentNo: string) => documentNo.replace(/\s/g, '');

/** An enterprise's proposal that a provincial or national certification be recorded, confirmed by the city. */
@Injectable()
export class RecordsService {
  constructor(
    private readonly ds: DataSource,
    private readonly workflow: WorkflowService,
  ) {}

  /** The published list (省/国家公布名单或文件) must be attached before the proposal goes to the city. */
  readonly hasPublishedList: Guard = async ({ row, em }) => {
    return (await livePurposes(em, row.id)).includes(PUBLISHED_LIST) ? undefined : '请上传公布名单或认定文件（附件用途：published_list）';
  };

  /** A record with its case: the light summary a list row carries, or (without one) the detail's full summary. */
  private async dto(actor: Actor, r: Record<string, unknown>, light?: CaseSummaryInRecord): Promise<RecordDto> {
    const summary = light ?? (await this.workflow.summary(actor, await this.workflow.readable(actor, RECORD_WORKFLOW, Number(r.case_id))));
    return {
      id: Number(r.id),
      caseRef: `${RECORD_WORKFLOW}:${String(r.case_id)}`,
      enterpriseId: r.enterprise_id as number,
      enterpriseName: r.enterprise_name as string,
      level: r.level as RecordDto['level'],
      documentNo: r.document_no as string,
      certifiedAt: r.certified_at as string,
      case: summary,
    };
  }

  async get(actor: Actor, id: number): Promise<RecordDto> {
    const [r] = await this.ds.query<Array<Record<string, unknown>>>(
      `SELECT r.*, o.name AS enterprise_name FROM certification_records r JOIN organisations o ON o.id = r.enterprise_id WHERE r.id = $1`,
      [id],
    );
    if (!r) throw DomainException.notFound('备案');
    return this.dto(actor, r);
  }

  /**
   * Propose a record. One open record case per enterprise, level and document number (spaces ignored): a
   * second proposal while the first is open is a 409 naming it. With an `Idempotency-Key` a repeated
   * request answers the first one's record (`replayed`).
   */
  async create(
    actor: Actor,
    p: { level: Exclude<CertificationLevel, 'city'>; documentNo: string; certifiedAt: string },
    idempotencyKey?: string,
  ): Promise<{ record: RecordDto; replayed: boolean }> {
    checkIdempotencyKey(idempotencyKey);
    if (actor.organisationKind !== 'enterprise' || !hasRole(actor, 'enterprise_applicant')) throw DomainException.forbidden('只有企业申报人可以提交认定备案');
    if (p.certifiedAt > portalToday()) throw DomainException.validation('认定日期不能晚于今天', [{ field: 'certifiedAt', messages: ['不能晚于今天'] }]);
    const documentNo = p.documentNo.trim();
    const docKey = documentKey(documentNo);
    const result = await this.ds.transaction(async (em) => {
      if (idempotencyKey) {
        const prior = await claimIdempotencyKey<{ id: number }>(
          em,
          actor.id,
          idempotencyKey,
          requestFingerprint('POST /certification-records', { ...p, documentNo }),
        );
        if (prior) return { id: prior.replay.id, replayed: true };
      }
      // one proposal at a time per enterprise, so two identical ones cannot both find no open record
      await em.query(`SELECT pg_advisory_xact_lock($1, $2)`, [RECORD_CREATE_LOCK, actor.organisationId]);
      const open: Array<{ id: string; document_no: string }> = await em.query(
        `SELECT r.id, r.document_no FROM certification_records r JOIN cases c ON c.id = r.case_id WHERE r.enterprise_id = $1 AND r.level = $2 AND c.decided_at IS NULL`,
        [actor.organisationId, p.level],
      );
      const same = open.find((r) => documentKey(r.document_no) === docKey);
      if (same) {
        throw new DomainException(
          'DUPLICATE',
          `本企业文号为“${same.document_no}”的${p.level === 'national' ? '国家级' : '省级'}认定备案正在办理中，请勿重复提交`,
          { field: 'documentNo', id: Number(same.id) },
        );
      }
      const [org] = await em.query<Array<{ name: string; county_code: string }>>(`SELECT name, county_code FROM organisations WHERE id = $1`, [
        actor.organisationId,
      ]);
      const row = await this.workflow.open(em, {
        workflowKey: RECORD_WORKFLOW,
        ownerOrgId: actor.organisationId,
        countyCode: org.county_code,
        title: `${org.name}（${p.level === 'national' ? '国家级' : '省级'}认定备案）`,
        actor,
      });
      const [r] = await em.query<Array<{ id: string }>>(
        `INSERT INTO certification_records (case_id, enterprise_id, level, document_no, certified_at) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
        [row.id, actor.organisationId, p.level, documentNo, p.certifiedAt],
      );
      const id = Number(r.id);
      if (idempotencyKey) await rememberIdempotentAnswer(em, actor.id, idempotencyKey, { id });
      return { id, replayed: false };
    });
    return { record: await this.get(actor, result.id), replayed: result.replayed };
  }

  async act(actor: Actor, id: number, req: ActionRequest, idempotencyKey?: string): Promise<RecordDto> {
    const [r] = await this.ds.query<Array<{ case_id: string }>>(`SELECT case_id FROM certification_records WHERE id = $1`, [id]);
    if (!r) throw DomainException.notFound('备案');
    await this.workflow.act(RECORD_WORKFLOW, Number(r.case_id), req, actor, { idempotencyKey });
    return this.get(actor, id);
  }

  async list(actor: Actor, range: { start: number; end: number }, caseId?: number, ids?: number[]): Promise<{ rows: RecordDto[]; total: number }> {
    const scope = caseReadScope(actor, 1);
    const where = [scope.sql];
    if (caseId !== undefined) where.push(`r.case_id = $${scope.params.push(caseId)}`);
    if (ids) where.push(`r.id = ANY($${scope.params.push(ids)}::bigint[])`);
    const from = `FROM certification_records r JOIN organisations o ON o.id = r.enterprise_id JOIN cases c ON c.id = r.case_id WHERE ${where.join(' AND ')}`;
    const [{ n }] = await this.ds.query<Array<{ n: number }>>(`SELECT count(*)::int AS n ${from}`, scope.params);
    const rows = await this.ds.query<Array<Record<string, unknown>>>(
      `SELECT r.*, o.name AS enterprise_name ${from} ORDER BY r.id DESC OFFSET $${scope.params.length + 1} LIMIT $${scope.params.length + 2}`,
      [...scope.params, range.start, range.end - range.start + 1],
    );
    // the page's cases and their light summaries once for the page (allowed actions are the detail's)
    const cases = await this.ds.query<Array<Record<string, unknown>>>(`SELECT * FROM cases WHERE id = ANY($1)`, [rows.map((r) => r.case_id)]);
    const summaries = await this.workflow.listSummaries(cases.map(caseRowFrom));
    const out: RecordDto[] = [];
    for (const r of rows) out.push(await this.dto(actor, r, summaries.get(Number(r.case_id))));
    return { rows: out, total: n };
  }
}
