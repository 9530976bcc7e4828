import { Injectable } from '@nestjs/common';
import {
  type ActionRequest,
  type CaseSummaryInRecord,
  type CertificationApplicationDto,
  type Declarations,
  type EligibilityRule,
  type EvidenceItem,
  portalDate,
  portalToday,
  type PublicityNoticeDto,
} from '@portal/contracts';
import { countList, DomainException, LinkedEvidenceRegistry, SettingsService, type ListTotal } from '@portal/core';
import { hasRole, type Actor } from '@portal/identity';
import { canReadCase, caseReadScope, caseRowFrom, livePurposes, WorkflowService, type ActOptions, type Guard } from '@portal/workflow';
import { DataSource, type EntityManager } from 'typeorm';
import { CERTIFICATION_WORKFLOW } from './certification.workflow.js';
import { blocking, eligibility, revocationBlockedUntil } from './eligibility.rules.js';

interface ApplicationRow {
  id: string;
  case_id: string;
  enterprise_id: number;
  enterprise_name: string;
  credit_code: string;
  county_code: string;
  industry: string | null;
  year: number;
  plan: string;
  evidence: EvidenceItem[];
  declarations: Declarations;
  data_version: number;
  created_at: Date;
  updated_at: Date;
}

const SELECT = `SELECT a.*, o.name AS enterprise_name, o.credit_code, o.county_code, o.industry
  FROM certification_applications a JOIN organisations o ON o.id = a.enterprise_id`;

export interface ApplicationEdit {
  plan?: string;
  evidence?: EvidenceItem[];
  declarations?: Declarations;
  dataVersion: number;
}

/**
 * 产教融合型企业认定 applications: the enterprise's form (saved on the server as it is typed), the
 * eligibility pre-check, and every state change through the workflow engine.
 */
@Injectable()
export class ApplicationsService {
  constructor(
    private readonly ds: DataSource,
    private readonly workflow: WorkflowService,
    private readonly settings: SettingsService,
    private readonly linked: LinkedEvidenceRegistry,
  ) {}

  /** The workflow's states (the list's filter `state` takes only these). */
  states(): string[] {
    return Object.keys(this.workflow.definition(CERTIFICATION_WORKFLOW).states);
  }

  /** The pre-check as a workflow guard: a blocking rule keeps the application from being submitted. */
  readonly eligibleGuard: Guard = async ({ row, em }) => {
    const rules = await this.rulesFor(em, row.id);
    const blocks = blocking(rules);
    return blocks.length ? `未通过资格预审：${blocks.map((b) => b.message).join('；')}` : undefined;
  };

  private async rulesFor(em: EntityManager, caseId: number): Promise<EligibilityRule[]> {
    const [a]: ApplicationRow[] = await em.query(`${SELECT} WHERE a.case_id = $1`, [caseId]);
    if (!a) throw DomainException.notFound('申请');
    const purposes = await livePurposes(em, caseId);
    const [rev]: Array<{ at: Date | null }> = await em.query(`SELECT max(revoked_at) AS at FROM certifications WHERE enterprise_id = $1`, [a.enterprise_id]);
    const now = new Date();
    // valid through its valid_until date, compared with the portal's date (the application's clock, Asia/Shanghai),
    // as certificationStatus has it — not the database session's current_date
    const [active] = await em.query<unknown[]>(
      `SELECT 1 FROM certifications WHERE enterprise_id = $1 AND level = 'city' AND revoked_at IS NULL AND (valid_until IS NULL OR valid_until >= $2::date)`,
      [a.enterprise_id, portalDate(now)],
    );
    return eligibility(
      {
        creditCode: a.credit_code,
        countyCode: a.county_code,
        declarations: a.declarations,
        evidence: [...a.evidence, ...(await this.linked.list(em, a.enterprise_id))],
        attachmentPurposes: purposes,
        lastRevokedAt: rev?.at ?? null,
        activeCityCertification: Boolean(active),
        now,
      },
      await this.settings.all(em),
    );
  }

  /** What a submission freezes: the form and the enterprise's facts at that moment. */
  readonly snapshot = async (caseId: number, em: EntityManager): Promise<Record<string, unknown>> => {
    const [a]: ApplicationRow[] = await em.query(`${SELECT} WHERE a.case_id = $1`, [caseId]);
    return {
      enterprise: { name: a.enterprise_name, creditCode: a.credit_code, countyCode: a.county_code, industry: a.industry },
      year: a.year,
      plan: a.plan,
      evidence: a.evidence,
      linkedEvidence: await this.linked.list(em, a.enterprise_id),
      declarations: a.declarations,
    };
  };

  private async row(id: number, em: EntityManager = this.ds.manager): Promise<ApplicationRow> {
    const [a]: ApplicationRow[] = await em.query(`${SELECT} WHERE a.id = $1`, [id]);
    if (!a) throw DomainException.notFound('申请');
    return a;
  }

  /**
   * An application with its case: a list row (`light`: its light summary and its typed evidence as the page's viewer is
   * shown it), or the detail, with the full summary and the linked evidence. An item links to its record only for a
   * viewer who may open that record (LinkedEvidenceRegistry.linkable); its description is for every reader.
   */
  private async dto(actor: Actor, a: ApplicationRow, light?: { summary: CaseSummaryInRecord; evidence: EvidenceItem[] }): Promise<CertificationApplicationDto> {
    const summary = light?.summary ?? (await this.workflow.summary(actor, await this.workflow.readable(actor, CERTIFICATION_WORKFLOW, Number(a.case_id))));
    const { evidence, linkedEvidence } = light ? { evidence: light.evidence, linkedEvidence: undefined } : await this.evidenceShown(actor, a);
    return {
      id: Number(a.id),
      caseRef: `${CERTIFICATION_WORKFLOW}:${a.case_id}`,
      enterpriseId: a.enterprise_id,
      enterpriseName: a.enterprise_name,
      creditCode: a.credit_code,
      countyCode: a.county_code,
      industry: a.industry,
      year: a.year,
      plan: a.plan,
      evidence,
      ...(linkedEvidence ? { linkedEvidence } : {}),
      declarations: a.declarations,
      dataVersion: a.data_version,
      createdAt: a.created_at.toISOString(),
      updatedAt: a.updated_at.toISOString(),
      case: summary,
    };
  }

  /** The detail's typed and linked evidence as `actor` is shown it (links only to the records they may open). */
  private async evidenceShown(actor: Actor, a: ApplicationRow): Promise<{ evidence: EvidenceItem[]; linkedEvidence: EvidenceItem[] }> {
    const linked = await this.linked.list(this.ds.manager, a.enterprise_id);
    const shown = await this.linked.linkable(this.ds.manager, actor, [...a.evidence, ...linked]);
    return { evidence: shown.slice(0, a.evidence.length), linkedEvidence: shown.slice(a.evidence.length) };
  }

  async get(actor: Actor, id: number): Promise<CertificationApplicationDto> {
    const a = await this.row(id).catch(() => undefined);
    if (!a) throw DomainException.notFound('申请');
    return this.dto(actor, a);
  }

  /**
   * Start an application, or answer the one already in progress (a refresh or a second click never makes
   * a second draft). Refused within the configured years after a revocation.
   */
  async create(actor: Actor, year: number): Promise<{ application: CertificationApplicationDto; created: boolean }> {
    if (actor.organisationKind !== 'enterprise' || !hasRole(actor, 'enterprise_applicant')) throw DomainException.forbidden('只有企业申报人可以发起认定申请');
    const result = await this.ds.transaction(async (em) => {
      await em.query(`SELECT pg_advisory_xact_lock(724100, $1)`, [actor.organisationId]);
      const [open]: Array<{ id: string }> = await em.query(
        `SELECT a.id FROM certification_applications a JOIN cases c ON c.id = a.case_id WHERE a.enterprise_id = $1 AND c.decided_at IS NULL`,
        [actor.organisationId],
      );
      if (open) return { id: Number(open.id), created: false };
      // the pre-check's own rule (revocationBlockedUntil): the same date, the same words
      const years = await this.settings.get('certification.blockYearsAfterRevocation', em);
      const [rev]: Array<{ at: Date | null }> = await em.query(`SELECT max(revoked_at) AS at FROM certifications WHERE enterprise_id = $1`, [
        actor.organisationId,
      ]);
      const until = revocationBlockedUntil(rev?.at ?? null, years, portalToday());
      if (until) throw DomainException.conflict(`认定资格被撤销后 ${years} 年内不得再次申报（${until} 前不得再次申报，${until} 起可申报）`);
      const [org] = await em.query<Array<{ name: string; county_code: string }>>(`SELECT name, county_code FROM organisations WHERE id = $1`, [
        actor.organisationId,
      ]);
      const row = await this.workflow.open(em, {
        workflowKey: CERTIFICATION_WORKFLOW,
        ownerOrgId: actor.organisationId,
        countyCode: org.county_code,
        title: `${org.name}（${year}年度）`,
        actor,
      });
      const [a]: Array<{ id: string }> = await em.query(
        `INSERT INTO certification_applications (case_id, enterprise_id, year, created_by) VALUES ($1, $2, $3, $4) RETURNING id`,
        [row.id, actor.organisationId, year, actor.id],
      );
      return { id: Number(a.id), created: true };
    });
    return { application: await this.get(actor, result.id), created: result.created };
  }

  /**
   * Save the form as it is typed: only the applicant, only while it is theirs to edit, only from the version
   * they saw. The state is checked under the case-row lock that a submission takes (`act()`), in the same
   * transaction as the write, so no save lands after the submission froze the application.
   */
  async update(actor: Actor, id: number, edit: ApplicationEdit): Promise<CertificationApplicationDto> {
    await this.ds.transaction(async (em) => {
      const a = await this.row(id, em).catch(() => undefined);
      const row = a ? await this.workflow.loadRow(em, CERTIFICATION_WORKFLOW, Number(a.case_id), true) : undefined;
      if (!a || !row || !(await canReadCase(actor, row, em))) throw DomainException.notFound('申请');
      if (actor.organisationId !== a.enterprise_id || !hasRole(actor, 'enterprise_applicant')) throw DomainException.forbidden('只有申请企业可以修改申请内容');
      const st = this.workflow.definition(CERTIFICATION_WORKFLOW).states[row.state];
      if (st.kind !== 'applicant') throw DomainException.conflict(`申请处于“${st.label}”阶段，不能修改；如需修改，请等待退回补正或先撤回`);
      const sets: string[] = [];
      const params: unknown[] = [id, edit.dataVersion];
      if (edit.plan !== undefined) sets.push(`plan = $${params.push(edit.plan)}`);
      if (edit.evidence !== undefined) sets.push(`evidence = $${params.push(JSON.stringify(edit.evidence))}`);
      if (edit.declarations !== undefined) sets.push(`declarations = $${params.push(JSON.stringify(edit.declarations))}`);
      const [rows]: [unknown[], number] = await em.query(
        `UPDATE certification_applications SET ${[...sets, 'data_version = data_version + 1', 'updated_at = now()'].join(', ')} WHERE id = $1 AND data_version = $2 RETURNING id`,
        params,
      );
      if (!rows.length)
        throw new DomainException('VERSION_CONFLICT', '申请内容已在其他窗口修改，请刷新后再编辑', { currentVersion: (await this.row(id, em)).data_version });
    });
    return this.get(actor, id);
  }

  async eligibility(actor: Actor, id: number): Promise<EligibilityRule[]> {
    const a = await this.row(id).catch(() => undefined);
    if (!a) throw DomainException.notFound('申请');
    await this.workflow.readable(actor, CERTIFICATION_WORKFLOW, Number(a.case_id));
    return this.rulesFor(this.ds.manager, Number(a.case_id));
  }

  async act(actor: Actor, id: number, req: ActionRequest, opts: ActOptions = {}): Promise<CertificationApplicationDto> {
    const a = await this.row(id).catch(() => undefined);
    if (!a) throw DomainException.notFound('申请');
    await this.workflow.act(CERTIFICATION_WORKFLOW, Number(a.case_id), req, actor, opts);
    return this.get(actor, id);
  }

  async list(
    actor: Actor,
    filter: {
      state?: string[];
      countyCode?: string;
      year?: number;
      overdue?: boolean;
      q?: string;
      enterpriseId?: number;
      caseId?: number;
      ids?: number[];
    },
    sort: { field: 'id' | 'updatedAt' | 'stageDueAt'; order: 'ASC' | 'DESC' },
    range: { start: number; end: number },
  ): Promise<{ rows: CertificationApplicationDto[]; total: ListTotal }> {
    const scope = caseReadScope(actor, 1);
    const params: unknown[] = [...scope.params];
    const where = [scope.sql];
    if (filter.state?.length) where.push(`c.state = ANY($${params.push(filter.state)})`);
    // the case's county (the enterprise's when it applied: the county that reviews it), as the index cases_county_updated has it
    if (filter.countyCode) where.push(`c.county_code = $${params.push(filter.countyCode)}`);
    if (filter.year) where.push(`a.year = $${params.push(filter.year)}`);
    if (filter.enterpriseId) where.push(`a.enterprise_id = $${params.push(filter.enterpriseId)}`);
    if (filter.caseId) where.push(`a.case_id = $${params.push(filter.caseId)}`);
    if (filter.ids) where.push(`a.id = ANY($${params.push(filter.ids)}::bigint[])`);
    if (filter.overdue) where.push(`c.stage_due_at < now() AND c.decided_at IS NULL`);
    if (filter.q) where.push(`(o.name ILIKE $${params.push(`%${filter.q.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`)} OR o.credit_code ILIKE $${params.length})`);
    const from = `FROM certification_applications a JOIN organisations o ON o.id = a.enterprise_id JOIN cases c ON c.id = a.case_id WHERE ${where.join(' AND ')}`;
    // the total reads the enterprise only for the search box: every application has one (NOT NULL, a foreign key), so
    // leaving the join out changes no count and saves a lookup per counted row (up to EXACT_COUNT_LIMIT of them)
    const total = await countList(
      this.ds,
      filter.q ? from : `FROM certification_applications a JOIN cases c ON c.id = a.case_id WHERE ${where.join(' AND ')}`,
      params,
    );
    // NULLS LAST only where there are nulls (a case without a deadline): on updated_at it would keep the index from serving the order
    const order = { id: 'a.id', updatedAt: 'c.updated_at', stageDueAt: 'c.stage_due_at' }[sort.field];
    const nulls = sort.field === 'stageDueAt' ? ' NULLS LAST' : '';
    const rows: ApplicationRow[] = await this.ds.query(
      `SELECT a.*, o.name AS enterprise_name, o.credit_code, o.county_code, o.industry ${from}
        ORDER BY ${order} ${sort.order}${nulls}, a.id OFFSET $${params.push(range.start)} LIMIT $${params.push(range.end - range.start + 1)}`,
      params,
    );
    // the page's cases and their light summaries once for the page (allowed actions are the detail's)
    const cases: Array<Record<string, unknown>> = await this.ds.query(`SELECT * FROM cases WHERE id = ANY($1)`, [rows.map((r) => r.case_id)]);
    const summaries = await this.workflow.listSummaries(cases.map(caseRowFrom));
    // the links of the page's typed evidence, for the whole page at once
    const shown = await this.linked.linkable(
      this.ds.manager,
      actor,
      rows.flatMap((r) => r.evidence),
    );
    const out = [];
    let at = 0;
    for (const r of rows) {
      const evidence = shown.slice(at, (at += r.evidence.length));
      out.push(await this.dto(actor, r, { summary: summaries.get(Number(r.case_id))!, evidence }));
    }
    return { rows: out, total };
  }

  /** The public 公示 list: applications under notice now, with what the public may see and the window's start and end. */
  async publicity(): Promise<PublicityNoticeDto[]> {
    const rows: Array<Record<string, unknown>> = await this.ds.query(
      `SELECT a.id, a.year, a.case_id, o.name, o.county_code, o.industry, o.credit_code, c.stage_entered_at, c.stage_due_at
         FROM certification_applications a JOIN organisations o ON o.id = a.enterprise_id JOIN cases c ON c.id = a.case_id
        WHERE c.state = 'publicity' ORDER BY c.stage_entered_at, a.id`,
    );
    return rows.map((r) => ({
      id: Number(r.id),
      enterpriseName: r.name as string,
      countyCode: r.county_code as string,
      industry: r.industry as string | null,
      creditCode: r.credit_code as string,
      year: r.year as number,
      noticeStartsAt: (r.stage_entered_at as Date).toISOString(),
      noticeEndsAt: (r.stage_due_at as Date | null)?.toISOString() ?? null,
      caseRef: `${CERTIFICATION_WORKFLOW}:${String(r.case_id)}`,
    }));
  }

  /** The enterprise name of each existing application among `ids` (for batch items). */
  async enterpriseNames(ids: number[]): Promise<Map<number, string>> {
    const rows: Array<{ id: string; name: string }> = await this.ds.query(
      `SELECT a.id, o.name FROM certification_applications a JOIN organisations o ON o.id = a.enterprise_id WHERE a.id = ANY($1)`,
      [ids],
    );
    return new Map(rows.map((r) => [Number(r.id), r.name]));
  }

  async caseIdOf(id: number): Promise<number> {
    return Number((await this.row(id)).case_id);
  }

  /** The application of a case (for effects). */
  async byCase(em: EntityManager, caseId: number): Promise<{ id: number; enterpriseId: number }> {
    const [a] = await em.query<Array<{ id: string; enterprise_id: number }>>(`SELECT id, enterprise_id FROM certification_applications WHERE case_id = $1`, [
      caseId,
    ]);
    if (!a) throw new Error(`no application for case ${caseId}`);
    return { id: Number(a.id), enterpriseId: a.enterprise_id };
  }
}
