import { Injectable } from '@nestjs/common';
import { isIsoDay, maskPhone, portalToday, type TeacherDto, type TeacherEmployment } from '@portal/contracts';
import { allValid, BlobStore, DomainException, safeDisplayFilename, SettingsService } from '@portal/core';
import { hasRole, isAdmin, UsersService, type Actor } from '@portal/identity';
import { DataSource } from 'typeorm';
import type { CreateTeacherDto, UpdateTeacherDto } from '../http/practice.dto.js';
import { PracticeLedgerService, type TeacherStatus } from '../ledger/practice-ledger.service.js';
import { practiceRecordsSql } from '../records/practice-records.repository.js';

interface TeacherRow {
  user_id: number;
  username: string;
  display_name: string;
  active: boolean;
  school_id: number;
  school_name: string;
  school_county: string | null;
  phone: string | null;
  major: string;
  employment: TeacherEmployment;
  dual_qualified: boolean;
  dual_qualified_on: string | null;
  dual_evidence_name: string | null;
  dual_evidence_key: string | null;
}

const FROM = `FROM teacher_profiles tp JOIN users u ON u.id = tp.user_id JOIN organisations s ON s.id = tp.school_id`;
const COLUMNS = `tp.user_id, u.username, u.display_name, u.active, u.phone, tp.school_id, s.name AS school_name, s.county_code AS school_county, tp.major, tp.employment,
  tp.dual_qualified, tp.dual_qualified_on, tp.dual_evidence_name, tp.dual_evidence_key`;
const field = (name: string, message: string) => DomainException.validation(message, [{ field: name, messages: [message] }]);

export interface TeacherFilter {
  ids?: number[];
  schoolId?: number;
  major?: string;
  employment?: TeacherEmployment;
  dualQualified?: boolean;
  /** the school's county */
  countyCode?: string;
  /** the user's account is active (the dashboard's shares count active teachers only) */
  active?: boolean;
  met?: boolean;
  atRisk?: boolean;
  q?: string;
}

/** Evidence files a 双师型 profile accepts, from their bytes. */
const EVIDENCE_TYPES: Record<string, string> = { pdf: 'application/pdf', jpg: 'image/jpeg', png: 'image/png' };

/**
 * Teachers (DOMAIN.md: a school manages its teachers): the user (created through identity's UsersService, role
 * teacher in the school) and the profile (专业, 专任/兼职, 双师型 with its evidence and date) that feeds the
 * dashboard's shares for tasks 44 and 48. Who reads a teacher: the teacher, the school's admins, the county
 * reviewers of the school's county, city reviewers and admins.
 */
@Injectable()
export class TeachersService {
  constructor(
    private readonly ds: DataSource,
    private readonly users: UsersService,
    private readonly ledger: PracticeLedgerService,
    private readonly blobs: BlobStore,
    private readonly settings: SettingsService,
  ) {}

  /** The read scope as SQL on aliases tp and s, parameters from `params`. */
  private scope(actor: Actor, params: unknown[]): string {
    if (isAdmin(actor) || hasRole(actor, 'city_reviewer')) return 'true';
    const parts = [`tp.user_id = $${params.push(actor.id)}`];
    if (hasRole(actor, 'school_admin')) parts.push(`tp.school_id = $${params.push(actor.organisationId)}`);
    if (hasRole(actor, 'county_reviewer') && actor.jurisdiction) parts.push(`s.county_code = $${params.push(actor.jurisdiction)}`);
    return `(${parts.join(' OR ')})`;
  }

  private async row(actor: Actor, id: number): Promise<TeacherRow> {
    const params: unknown[] = [id];
    const [r] = await this.ds.query<TeacherRow[]>(`SELECT ${COLUMNS} ${FROM} WHERE tp.user_id = $1 AND ${this.scope(actor, params)}`, params);
    if (!r) throw DomainException.notFound('教师');
    return r;
  }

  /** 404 unless the actor may read this teacher (and their ledger). */
  async assertReadable(actor: Actor, id: number): Promise<void> {
    await this.row(actor, id);
  }

  /** The school whose teachers the actor manages (its school admin), or the one an admin names. */
  private async managedSchool(actor: Actor, schoolId: number | undefined): Promise<number> {
    if (isAdmin(actor)) {
      if (!schoolId) throw field('schoolId', '请选择教师所在学校');
      const [s] = await this.ds.query<unknown[]>(`SELECT 1 FROM organisations WHERE id = $1 AND kind = 'school'`, [schoolId]);
      if (!s) throw field('schoolId', '学校不存在');
      return schoolId;
    }
    if (actor.organisationKind !== 'school' || !hasRole(actor, 'school_admin')) throw DomainException.forbidden('只有学校管理员可以管理本校教师');
    if (schoolId !== undefined && schoolId !== actor.organisationId) throw DomainException.forbidden('只能管理本校教师');
    return actor.organisationId;
  }

  private checkDual(dualQualified: boolean, on: string | null | undefined): string | null {
    if (!dualQualified) {
      if (on) throw field('dualQualifiedOn', '非双师型教师不填写双师型认定日期');
      return null;
    }
    if (!on) throw field('dualQualifiedOn', '请填写双师型认定日期');
    if (!isIsoDay(on)) throw field('dualQualifiedOn', '双师型认定日期不是有效日期');
    if (on > portalToday()) throw field('dualQualifiedOn', '双师型认定日期不能晚于今天');
    return on;
  }

  /** A school creates a teacher: the user through identity (its rules on usernames, passwords and roles) and the profile, in one transaction. */
  async create(actor: Actor, dto: CreateTeacherDto): Promise<TeacherDto> {
    const schoolId = await this.managedSchool(actor, dto.schoolId);
    // the profile's and the account's own rules, together: the school fixes every field in one go
    const [dualOn] = await allValid(
      () => this.checkDual(dto.dualQualified ?? false, dto.dualQualifiedOn),
      () => this.users.assertPasswordPolicy(dto.password),
    );
    const id = await this.ds.transaction(async (em) => {
      const user = await this.users.create(
        actor,
        {
          username: dto.username,
          displayName: dto.displayName,
          password: dto.password,
          roles: ['teacher'],
          organisationId: schoolId,
          ...(dto.email ? { email: dto.email } : {}),
          ...(dto.phone ? { phone: dto.phone } : {}),
        },
        em,
      );
      await em.query(
        `INSERT INTO teacher_profiles (user_id, school_id, major, employment, dual_qualified, dual_qualified_on, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [user.id, schoolId, dto.major.trim(), dto.employment, dto.dualQualified ?? false, dualOn, actor.id],
      );
      return user.id;
    });
    return this.get(actor, id);
  }

  async update(actor: Actor, id: number, dto: UpdateTeacherDto): Promise<TeacherDto> {
    const r = await this.row(actor, id);
    await this.managedSchool(actor, r.school_id);
    const dual = dto.dualQualified ?? r.dual_qualified;
    const on = this.checkDual(dual, dto.dualQualifiedOn !== undefined ? dto.dualQualifiedOn : dual ? r.dual_qualified_on : null);
    await this.ds.query(
      `UPDATE teacher_profiles SET major = $2, employment = $3, dual_qualified = $4, dual_qualified_on = $5, updated_at = now() WHERE user_id = $1`,
      [id, dto.major?.trim() ?? r.major, dto.employment ?? r.employment, dual, on],
    );
    return this.get(actor, id);
  }

  /** The 双师型 evidence (PDF, JPG or PNG, by its bytes), replacing any earlier file. */
  async attachEvidence(actor: Actor, id: number, file: { bytes: Buffer; filename?: string; truncated: boolean }): Promise<TeacherDto> {
    const r = await this.row(actor, id);
    await this.managedSchool(actor, r.school_id);
    const max = (await this.settings.get('attachments.maxMegabytes')) * 1024 * 1024;
    if (file.truncated || file.bytes.length > max) throw new DomainException('PAYLOAD_TOO_LARGE', `附件不能超过 ${Math.round(max / 1024 / 1024)} MB`);
    if (!file.bytes.length) throw field('file', '附件是空文件');
    const { fileTypeFromBuffer } = await import('file-type');
    const detected = await fileTypeFromBuffer(file.bytes);
    if (!detected || !EVIDENCE_TYPES[detected.ext]) throw new DomainException('UNSUPPORTED_MEDIA_TYPE', '双师型证明只接受 PDF、JPG、PNG 文件');
    const name = safeDisplayFilename(file.filename, `双师型证明.${detected.ext}`);
    await this.ds.transaction(async (em) => {
      const blob = await this.blobs.put(file.bytes, em);
      await em.query(`UPDATE teacher_profiles SET dual_evidence_key = $2, dual_evidence_name = $3, updated_at = now() WHERE user_id = $1`, [
        id,
        blob.key,
        name,
      ]);
      if (r.dual_evidence_key) await this.blobs.delete(r.dual_evidence_key, em);
    });
    return this.get(actor, id);
  }

  async evidence(actor: Actor, id: number): Promise<{ bytes: Buffer; name: string }> {
    const r = await this.row(actor, id);
    const bytes = r.dual_evidence_key ? await this.blobs.get(r.dual_evidence_key) : undefined;
    if (!bytes || !r.dual_evidence_name) throw DomainException.notFound('双师型证明');
    return { bytes, name: r.dual_evidence_name };
  }

  async get(actor: Actor, id: number): Promise<TeacherDto> {
    const r = await this.row(actor, id);
    const status = (await this.ledger.statuses([id])).get(id)!;
    const awaiting = await practiceRecordsSql.awaitingSchool(this.ds.manager, [id]);
    return toDto(r, status, awaiting.get(id) ?? 0);
  }

  /**
   * The teachers the actor reads with today's status. Filters on the rule (met, atRisk) are computed in SQL over
   * the scope's teachers (one index range per teacher); the page's last-met dates in one more statement, its records
   * awaiting the school in one more (the school admin's home page lists them, sorted by hours: furthest behind first).
   */
  async list(
    actor: Actor,
    f: TeacherFilter,
    sort: { field: 'id' | 'displayName' | 'hours' | 'major'; order: 'ASC' | 'DESC' },
    range: { start: number; end: number },
  ): Promise<{ rows: TeacherDto[]; total: number }> {
    const p = await this.ledger.statusParams();
    const params: unknown[] = [p.today, p.horizon, p.years, p.need];
    const where = [this.scope(actor, params)];
    if (f.ids) where.push(`tp.user_id = ANY($${params.push(f.ids)}::int[])`);
    if (f.schoolId) where.push(`tp.school_id = $${params.push(f.schoolId)}`);
    if (f.major) where.push(`tp.major = $${params.push(f.major)}`);
    if (f.employment) where.push(`tp.employment = $${params.push(f.employment)}`);
    if (f.dualQualified !== undefined) where.push(`tp.dual_qualified = $${params.push(f.dualQualified)}`);
    if (f.countyCode) where.push(`s.county_code = $${params.push(f.countyCode)}`);
    if (f.active !== undefined) where.push(`u.active = $${params.push(f.active)}`);
    if (f.q) where.push(`(u.display_name ILIKE $${params.push(`%${f.q.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`)} OR u.username ILIKE $${params.length})`);
    const outer: string[] = [];
    if (f.met !== undefined) outer.push(f.met ? `st.hours_now >= $4` : `st.hours_now < $4`);
    if (f.atRisk !== undefined) outer.push(f.atRisk ? `(st.hours_now >= $4 AND st.hours_then < $4)` : `NOT (st.hours_now >= $4 AND st.hours_then < $4)`);
    const order = { id: 'tt.user_id', displayName: 'tt.display_name', hours: 'st.hours_now', major: 'tt.major' }[sort.field];
    const rows = await this.ds.query<Array<TeacherRow & { total: number }>>(
      `WITH tt AS MATERIALIZED (SELECT ${COLUMNS} ${FROM} WHERE ${where.join(' AND ')}),
            st AS (${practiceRecordsSql.statusSql('tt', '$1', '$2', '$3')})
       SELECT tt.*, $4::int AS need, count(*) OVER ()::int AS total FROM tt JOIN st ON st.user_id = tt.user_id
        ${outer.length ? `WHERE ${outer.join(' AND ')}` : ''}
        ORDER BY ${order} ${sort.order}, tt.user_id OFFSET $${params.push(range.start)} LIMIT $${params.push(range.end - range.start + 1)}`,
      params,
    );
    let total = rows[0]?.total ?? 0;
    if (!rows.length && range.start > 0) {
      // past the last page: the count still answers
      const [c] = await this.ds.query<Array<{ n: number }>>(
        `WITH tt AS MATERIALIZED (SELECT ${COLUMNS} ${FROM} WHERE ${where.join(' AND ')}), st AS (${practiceRecordsSql.statusSql('tt', '$1', '$2', '$3')})
         SELECT count(*)::int AS n, $4::int AS need FROM tt JOIN st ON st.user_id = tt.user_id ${outer.length ? `WHERE ${outer.join(' AND ')}` : ''}`,
        params.slice(0, -2),
      );
      total = c.n;
    }
    const ids = rows.map((r) => r.user_id);
    const statuses = await this.ledger.statuses(ids);
    const awaiting = await practiceRecordsSql.awaitingSchool(this.ds.manager, ids);
    return { rows: rows.map((r) => toDto(r, statuses.get(r.user_id)!, awaiting.get(r.user_id) ?? 0)), total };
  }
}

function toDto(r: TeacherRow, s: TeacherStatus, awaitingSchool: number): TeacherDto {
  return {
    id: r.user_id,
    username: r.username,
    displayName: r.display_name,
    schoolId: r.school_id,
    schoolName: r.school_name,
    schoolCountyCode: r.school_county,
    phoneMasked: r.phone ? maskPhone(r.phone) : null,
    major: r.major,
    employment: r.employment,
    dualQualified: r.dual_qualified,
    dualQualifiedOn: r.dual_qualified_on,
    dualEvidenceName: r.dual_evidence_name,
    active: r.active,
    hours: s.hours,
    months: s.months,
    met: s.met,
    lastMetDate: s.lastMetDate,
    atRisk: s.atRisk,
    requiredHours: s.requiredHours,
    requiredMonths: s.requiredMonths,
    windowYears: s.windowYears,
    warnMonths: s.warnMonths,
    awaitingSchool,
  };
}
