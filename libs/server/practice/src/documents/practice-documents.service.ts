import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { chineseDate, PRACTICE_FORMS, portalToday, type DocumentRequest, type PracticeLedgerDto } from '@portal/contracts';
import { DomainException, JobsService, OutboxService, SettingsService } from '@portal/core';
import { DocumentsService } from '@portal/documents';
import { DataSource, type EntityManager } from 'typeorm';
import { certificateSubject, practiceRecordsSql as sql, type PracticeRecordRow } from '../records/practice-records.repository.js';

/** The 教师企业实践证明 of a counted record, as the documents service issues it (held by the school for the teacher). */
export function practiceCertificateRequest(r: PracticeRecordRow, authority: string): DocumentRequest {
  return {
    kind: 'practice_certificate',
    subjectKey: certificateSubject(r.id),
    generation: 1,
    caseId: Number(r.case_id),
    holderOrgId: r.school_id,
    holderUserId: r.teacher_id,
    holderName: `${r.teacher_name}（${r.school_name}）`,
    authority,
    body: `${r.teacher_name}同志于${chineseDate(r.start_date)}至${chineseDate(r.end_date)}在${r.host_name ?? '接收企业'}参加教师企业实践，经接收企业确认、所在学校审核，计入企业实践学时。特此证明。`,
    facts: [
      { label: '教师', value: r.teacher_name },
      { label: '所在学校', value: r.school_name },
      { label: '接收企业', value: r.host_name ?? '—' },
      { label: '实践形式', value: PRACTICE_FORMS[r.form] },
      { label: '实践时间', value: `${chineseDate(r.start_date)}至${chineseDate(r.end_date)}` },
      { label: '认定学时', value: `${r.hours} 学时` },
      { label: '认定日期', value: chineseDate(r.counted_on ?? portalToday()) },
    ],
    validUntil: null,
  };
}

/**
 * The certificates of records already counted, in one statement (a bulk load such as the demo city's generator,
 * which writes counted records without running the approval's effect): each with the instant its case was decided.
 */
export async function practiceCertificatesOf(
  em: EntityManager,
  caseIds: readonly number[],
  authority: string,
): Promise<Array<{ caseId: number; countedAt: Date; request: DocumentRequest }>> {
  const rows = await sql.countedByCases(em, caseIds);
  return rows.map((r) => ({ caseId: Number(r.case_id), countedAt: r.decided_at, request: practiceCertificateRequest(r, authority) }));
}

/**
 * The summary's subject: the teacher, the day and what it states — the counted records of the window with their
 * hours (a digest: a teacher may have many) — so that a record counted later the same day makes a new summary.
 */
export function summarySubject(teacherId: number, ledger: Pick<PracticeLedgerDto, 'asOf' | 'records'>): string {
  const stated = ledger.records
    .map((r) => `${r.id}:${r.hours}`)
    .sort()
    .join(',');
  return `practice-summary:${teacherId}:${ledger.asOf}:${createHash('sha256').update(stated).digest('hex').slice(0, 16)}`;
}

/**
 * The practice documents, through the documents service's job (serial, QR, public verification): the
 * certificate of one counted record (教师企业实践证明, an effect of its approval or import) and a teacher's
 * 5-year summary for 职称评审 (on demand; one per teacher, day and what it states — asking again the same day answers
 * the same document unless another record has been counted since).
 * Both are held by the teacher's school for the teacher (holder_user_id).
 */
@Injectable()
export class PracticeDocumentsService {
  constructor(
    private readonly ds: DataSource,
    private readonly outbox: OutboxService,
    private readonly jobs: JobsService,
    private readonly settings: SettingsService,
    private readonly documents: DocumentsService,
  ) {}

  /** The effect 'practice.certificate': idempotent (one document per record; the outbox dedupes the job). */
  async certificate(caseId: number): Promise<void> {
    await this.ds.transaction(async (em) => {
      const r = await sql.byCase(em, caseId);
      if (!r || !r.counted) throw new Error(`practice record of case ${caseId} is not counted`);
      const authority = await this.settings.text('documents.cityAuthority', em);
      const request = practiceCertificateRequest(r, authority);
      await this.outbox.enqueue(em, 'documents.issue', request, { dedupeKey: `document:practice_certificate:${request.subjectKey}:1` });
    });
    this.jobs.poke();
  }

  /** Ask for the 5-year summary of a teacher's ledger today (the caller checked who may). */
  async requestSummary(
    teacher: { id: number; displayName: string; schoolId: number; schoolName: string },
    ledger: PracticeLedgerDto,
  ): Promise<{ subjectKey: string }> {
    if (!ledger.records.length) throw DomainException.conflict('周期内没有已认定的企业实践记录，无法出具汇总证明');
    const subjectKey = summarySubject(teacher.id, ledger);
    await this.ds.transaction(async (em) => {
      const authority = await this.settings.text('documents.cityAuthority', em);
      const years = await this.settings.get('practice.windowYears', em);
      await this.outbox.enqueue(
        em,
        'documents.issue',
        {
          kind: 'practice_summary',
          subjectKey,
          generation: 1,
          holderOrgId: teacher.schoolId,
          holderUserId: teacher.id,
          holderName: `${teacher.displayName}（${teacher.schoolName}）`,
          authority,
          body: `截至${chineseDate(ledger.asOf)}，${teacher.displayName}同志近 ${years} 年内经认定的企业实践累计 ${ledger.hours} 学时，折合 ${ledger.months} 个月，${
            ledger.met ? `达到` : `未达到`
          }《职业学校教师企业实践规定》每 ${years} 年累计不少于 ${ledger.requiredMonths} 个月的要求${ledger.met && ledger.lastMetDate ? `（按现有记录保持至${chineseDate(ledger.lastMetDate)}）` : ''}。特此证明。`,
          // every record of the window, whose hours add up to the total the body states
          facts: ledger.records.map((r) => ({
            label: `${chineseDate(r.startDate)}至${chineseDate(r.endDate)}`,
            value: `${r.hostName ?? '—'}，${r.hours} 学时`,
          })),
          validUntil: null,
        },
        { dedupeKey: `document:practice_summary:${subjectKey}:1` },
      );
    });
    this.jobs.poke();
    return { subjectKey };
  }

  /** The summary document's id once issued (the web app polls it). */
  async summaryDocumentId(subjectKey: string): Promise<number | null> {
    return (await this.documents.ofSubject('practice_summary', subjectKey))?.id ?? null;
  }
}
