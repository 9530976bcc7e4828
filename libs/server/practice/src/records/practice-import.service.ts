import { Injectable } from '@nestjs/common';
import { isIsoDay, isValidCreditCode, PRACTICE_FORMS, portalToday, type ImportPreviewDto, type PracticeForm } from '@portal/contracts';
import { DomainException, SettingsService, SpreadsheetImports, type ImportedRow, type ImportSpec } from '@portal/core';
import { hasRole, type Actor } from '@portal/identity';
import { WorkflowService } from '@portal/workflow';
import type { EntityManager } from 'typeorm';
import { PRACTICE_WORKFLOW, recordTitle } from './practice.workflow.js';
import { practiceRecordsSql as sql, overlapError } from './practice-records.repository.js';
import { daysInPeriod } from './practice-records.service.js';

type Col = 'username' | 'creditCode' | 'startDate' | 'endDate' | 'hours' | 'form' | 'content' | 'outcomes';

/** One row of a school's past practice: the teacher by username, the host by credit code. */
export interface HistoryRow {
  username: string;
  creditCode: string;
  startDate: string;
  endDate: string;
  hours: number;
  form: PracticeForm;
  content: string;
  outcomes: string;
}

const FORM_BY_LABEL = new Map<string, PracticeForm>(Object.entries(PRACTICE_FORMS).map(([code, label]) => [label as string, code as PracticeForm]));

/** The template and the row rules of the import of past practice records (practice-history). */
export function historySpec(maxHoursPerDay: number): ImportSpec<Col, HistoryRow> {
  return {
    kind: 'practice-history',
    title: '历年教师企业实践记录',
    columns: [
      { key: 'username', header: '教师用户名', required: true, note: '例如：wanglaoshi' },
      { key: 'creditCode', header: '接收企业统一社会信用代码', required: true, note: '例如：91330302MA2AB12340' },
      { key: 'startDate', header: '开始日期', required: true, note: '例如：2023-07-01' },
      { key: 'endDate', header: '结束日期', required: true, note: '例如：2023-08-31' },
      { key: 'hours', header: '学时', required: true, note: '例如：320' },
      { key: 'form', header: '实践形式', required: true, note: '例如：岗位实践' },
      { key: 'content', header: '实践内容', required: true, note: '例如：参与装配线工艺改进' },
      { key: 'outcomes', header: '实践成果', note: '例如：编写实训项目 1 个' },
    ],
    parse(c) {
      const problems: string[] = [];
      if (!/^[A-Za-z0-9_.@-]{3,64}$/.test(c.username)) problems.push('教师用户名不正确');
      const code = c.creditCode.toUpperCase();
      if (!isValidCreditCode(code)) problems.push('接收企业统一社会信用代码不正确');
      if (!isIsoDay(c.startDate)) problems.push('开始日期应为 YYYY-MM-DD 格式的有效日期');
      if (!isIsoDay(c.endDate)) problems.push('结束日期应为 YYYY-MM-DD 格式的有效日期');
      else if (c.endDate > portalToday()) problems.push('结束日期不能晚于今天');
      if (isIsoDay(c.startDate) && isIsoDay(c.endDate) && c.endDate < c.startDate) problems.push('结束日期不能早于开始日期');
      const hours = Number(c.hours);
      if (!/^\d{1,6}$/.test(c.hours) || hours < 1) problems.push('学时应为正整数');
      else if (isIsoDay(c.startDate) && isIsoDay(c.endDate) && c.endDate >= c.startDate && hours > daysInPeriod(c.startDate, c.endDate) * maxHoursPerDay)
        problems.push(`学时不能超过实践天数 × 每天 ${maxHoursPerDay} 学时`);
      const form = FORM_BY_LABEL.get(c.form) ?? (c.form in PRACTICE_FORMS ? (c.form as PracticeForm) : undefined);
      if (!form) problems.push('实践形式应为考察观摩、岗位实践、技能培训或研发');
      if (!c.content || c.content.length > 4000) problems.push('实践内容应为 1–4000 字');
      if (c.outcomes.length > 4000) problems.push('实践成果不能超过 4000 字');
      if (problems.length) return { problems };
      return {
        value: {
          username: c.username,
          creditCode: code,
          startDate: c.startDate,
          endDate: c.endDate,
          hours,
          form: form!,
          content: c.content,
          outcomes: c.outcomes,
        },
        problems,
      };
    },
    // one teacher's periods in one file never overlap: the same teacher and start date is a repeat
    duplicateKey: (v) => `${v.username.toLowerCase()}|${v.startDate}`,
    display: (c) => c,
  };
}

/**
 * A school imports its teachers' past practice (two steps: preview, then commit all good rows or none), then
 * counts it as approved with one audited bulk act: each record gets its case, opened by the importing admin and
 * moved straight to 已认定 by the definition's system transition `import_approved`, recorded on the case's
 * chain under that admin with the reason (the import's id); the certificate follows as for any counted record.
 */
@Injectable()
export class PracticeImportService {
  constructor(
    private readonly imports: SpreadsheetImports,
    private readonly workflow: WorkflowService,
    private readonly settings: SettingsService,
  ) {}

  private static schoolOf(actor: Actor): number {
    if (actor.organisationKind !== 'school' || !hasRole(actor, 'school_admin')) throw DomainException.forbidden('只有学校管理员可以导入本校的历年实践记录');
    return actor.organisationId;
  }

  private async spec(): Promise<ImportSpec<Col, HistoryRow>> {
    return historySpec(await this.settings.get('practice.maxHoursPerDay'));
  }

  async template(): Promise<Buffer> {
    return this.imports.template(await this.spec());
  }

  maxFileBytes(): Promise<number> {
    return this.imports.maxFileBytes();
  }

  /** Rows that clash with what is stored: an unknown teacher (or not this school's), an unregistered host, an overlap. */
  private existing(schoolId: number) {
    return async (em: EntityManager, rows: readonly ImportedRow<HistoryRow>[]): Promise<Map<number, string[]>> => {
      const out = new Map<number, string[]>();
      const teachers = await em.query<Array<{ id: number; username: string }>>(
        `SELECT u.id, lower(u.username) AS username FROM users u JOIN teacher_profiles tp ON tp.user_id = u.id
          WHERE lower(u.username) = ANY($1) AND tp.school_id = $2 AND u.active`,
        [rows.map((r) => r.value.username.toLowerCase()), schoolId],
      );
      const hosts = await em.query<Array<{ id: number; credit_code: string }>>(
        `SELECT id, credit_code FROM organisations WHERE kind = 'enterprise' AND credit_code = ANY($1)`,
        [rows.map((r) => r.value.creditCode)],
      );
      const teacherBy = new Map(teachers.map((x) => [x.username, x.id]));
      const hostBy = new Map(hosts.map((h) => [h.credit_code, h.id]));
      const seen: Array<{ teacher: number; start: string; end: string; row: number }> = [];
      for (const r of rows) {
        const problems: string[] = [];
        const teacher = teacherBy.get(r.value.username.toLowerCase());
        if (!teacher) problems.push('本校没有这个用户名的教师');
        if (!hostBy.has(r.value.creditCode)) problems.push('接收企业尚未在平台注册');
        if (teacher) {
          const clash = await sql.overlapping(em, teacher, r.value.startDate, r.value.endDate);
          if (clash) problems.push(overlapError(clash, '该教师').message);
          const inFile = seen.find((s) => s.teacher === teacher && s.start <= r.value.endDate && r.value.startDate <= s.end);
          if (inFile) problems.push(`与第 ${inFile.row} 行的实践时间重叠`);
          seen.push({ teacher, start: r.value.startDate, end: r.value.endDate, row: r.row });
        }
        if (problems.length) out.set(r.row, problems);
      }
      return out;
    };
  }

  async preview(actor: Actor, file: { fileName: string; bytes: Buffer }): Promise<ImportPreviewDto> {
    const school = PracticeImportService.schoolOf(actor);
    return this.imports.preview(await this.spec(), `practice-history:${school}`, actor.id, file, this.existing(school));
  }

  async get(actor: Actor, id: string): Promise<ImportPreviewDto> {
    const { row: _row, ...dto } = await this.imports.get(id, `practice-history:${PracticeImportService.schoolOf(actor)}`);
    return dto;
  }

  /** All good rows or none: each a record, its case opened and counted through the engine (systemAct), audited. */
  async commit(actor: Actor, id: string): Promise<ImportPreviewDto> {
    const school = PracticeImportService.schoolOf(actor);
    const today = portalToday();
    // the events name the file and the day of the import, never the batch's id (a UUID no person reads)
    const { fileName } = await this.imports.get(id, `practice-history:${school}`);
    const comment = `由${actor.displayName}于${today}批量导入并认定（导入文件：${fileName}）`;
    return this.imports.commit(
      await this.spec(),
      id,
      `practice-history:${school}`,
      actor.id,
      async (em, rows) => {
        const [org] = await em.query<Array<{ county_code: string | null }>>(`SELECT county_code FROM organisations WHERE id = $1`, [school]);
        for (const { value: v } of rows) {
          const [teacher] = await em.query<Array<{ id: number; display_name: string }>>(
            `SELECT id, display_name FROM users WHERE lower(username) = lower($1) AND organisation_id = $2`,
            [v.username, school],
          );
          const [host] = await em.query<Array<{ id: number; name: string }>>(
            `SELECT id, name FROM organisations WHERE kind = 'enterprise' AND credit_code = $1`,
            [v.creditCode],
          );
          const row = await this.workflow.open(em, {
            workflowKey: PRACTICE_WORKFLOW,
            ownerOrgId: school,
            countyCode: org?.county_code ?? null,
            title: recordTitle(teacher.display_name, host.name, v.startDate, v.endDate),
            actor,
            ownerUserId: teacher.id,
            parties: [{ party: 'host', organisationId: host.id }],
          });
          await sql.insert(
            em,
            row.id,
            {
              teacherId: teacher.id,
              schoolId: school,
              postId: null,
              startDate: v.startDate,
              endDate: v.endDate,
              hours: v.hours,
              form: v.form,
              content: v.content,
              outcomes: v.outcomes,
            },
            actor.id,
          );
          const counted = await this.workflow.systemAct(em, row, 'import_approved', { importId: id }, { actor, comment });
          if (!counted) throw new Error(`import_approved refused for case ${row.id}`);
          await sql.count(em, row.id, today, true);
        }
      },
      this.existing(school),
    );
  }
}
