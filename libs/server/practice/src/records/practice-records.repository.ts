import type { PracticeForm } from '@portal/contracts';
import { countList, DomainException, type ListTotal } from '@portal/core';
import { QueryFailedError, type EntityManager } from 'typeorm';

/** A row of practice_records with the names a view shows. */
export interface PracticeRecordRow {
  id: string;
  case_id: string;
  teacher_id: number;
  teacher_name: string;
  school_id: number;
  school_name: string;
  /** the county of the teacher's school */
  school_county: string | null;
  post_id: string | null;
  start_date: string;
  end_date: string;
  hours: number;
  claimed_hours: number;
  form: PracticeForm;
  content: string;
  outcomes: string;
  live: boolean;
  counted: boolean;
  counted_on: string | null;
  imported: boolean;
  data_version: number;
  created_at: Date;
  updated_at: Date;
  host_org_id: number | null;
  host_name: string | null;
  host_credit_code: string | null;
  host_county: string | null;
  host_industry: string | null;
}

/** What the ledger reads of a counted record. */
export interface LedgerRow {
  id: string;
  teacher_id: number;
  start_date: string;
  end_date: string;
  hours: number;
  host_name: string | null;
}

export interface RecordWrite {
  teacherId: number;
  schoolId: number;
  postId: number | null;
  startDate: string;
  endDate: string;
  hours: number;
  form: PracticeForm;
  content: string;
  outcomes: string;
}

const FROM = `FROM practice_records r
  JOIN users t ON t.id = r.teacher_id
  JOIN organisations s ON s.id = r.school_id
  LEFT JOIN case_parties cp ON cp.case_id = r.case_id AND cp.party = 'host'
  LEFT JOIN organisations h ON h.id = cp.organisation_id`;

const SELECT = `SELECT r.*, t.display_name AS teacher_name, s.name AS school_name, s.county_code AS school_county, h.id AS host_org_id, h.name AS host_name,
  cp.invited_credit_code AS host_credit_code, h.county_code AS host_county, h.industry AS host_industry
  ${FROM}`;

/**
 * The industry ("5+5+N") of the host of the practice case `caseId` (an SQL expression): the host party's organisation,
 * named by id or invited by credit code and accepted since; `other` when it has none or has not accepted.
 */
export const hostIndustryOf = (caseId: string): string =>
  `coalesce((SELECT h.industry FROM case_parties cp JOIN organisations h ON h.id = cp.organisation_id
     WHERE cp.case_id = ${caseId} AND cp.party = 'host'), 'other')`;

/** The kept totals of person-times again from the counted records (after a bulk load: the demo city's generator). */
export async function recountPersonTimes(em: EntityManager): Promise<void> {
  await em.query(`DELETE FROM practice_person_times`);
  await em.query(`DELETE FROM practice_industry_person_times`);
  await em.query(
    `INSERT INTO practice_person_times (school_id, end_month, n)
     SELECT school_id, date_trunc('month', end_date)::date, count(*) FROM practice_records WHERE counted GROUP BY 1, 2`,
  );
  await em.query(
    `INSERT INTO practice_industry_person_times (school_id, industry, n)
     SELECT school_id, counted_industry, count(*) FROM practice_records WHERE counted GROUP BY 1, 2`,
  );
}

/** The subject of a record's 教师企业实践证明 in the documents service. */
export const certificateSubject = (recordId: string | number): string => `practice-record:${recordId}`;

/** The exclusion constraint's name (migration 1795910000001): one teacher's live records never overlap. */
const NO_OVERLAP = 'practice_records_no_overlap';

/**
 * The SQL of practice_records, in one place (DESIGN.md: one repository per table owner). The ledger's
 * queries read the partial index practice_records_ledger (teacher_id, end_date) INCLUDE (hours) WHERE counted.
 */
export const practiceRecordsSql = {
  async byId(em: EntityManager, id: number): Promise<PracticeRecordRow | undefined> {
    const [r] = await em.query<PracticeRecordRow[]>(`${SELECT} WHERE r.id = $1`, [id]);
    return r;
  },

  /** The counted records of these cases with the instant each was decided, in the order they were decided. */
  async countedByCases(em: EntityManager, caseIds: readonly number[]): Promise<Array<PracticeRecordRow & { decided_at: Date }>> {
    if (!caseIds.length) return [];
    return em.query(
      `${SELECT.replace('SELECT r.*', 'SELECT r.*, c.decided_at')} JOIN cases c ON c.id = r.case_id WHERE r.case_id = ANY($1::bigint[]) AND r.counted
      ORDER BY c.decided_at, r.id`,
      [caseIds],
    );
  },

  async byCase(em: EntityManager, caseId: number): Promise<PracticeRecordRow | undefined> {
    const [r] = await em.query<PracticeRecordRow[]>(`${SELECT} WHERE r.case_id = $1`, [caseId]);
    return r;
  },

  /** The live record of the teacher whose period overlaps [start, end] (other than `exceptId`), if any, with its host's name. */
  async overlapping(em: EntityManager, teacherId: number, start: string, end: string, exceptId?: number): Promise<OverlappingRecord | undefined> {
    const [r] = await em.query<OverlappingRecord[]>(
      `SELECT r.id, r.start_date, r.end_date, coalesce(h.name, '受邀企业（' || cp.invited_credit_code || '）') AS host_name
         FROM practice_records r
         LEFT JOIN case_parties cp ON cp.case_id = r.case_id AND cp.party = 'host'
         LEFT JOIN organisations h ON h.id = cp.organisation_id
        WHERE r.teacher_id = $1 AND r.live AND daterange(r.start_date, r.end_date, '[]') && daterange($2::date, $3::date, '[]') AND r.id <> $4
        ORDER BY r.start_date LIMIT 1`,
      [teacherId, start, end, exceptId ?? 0],
    );
    return r;
  },

  async insert(em: EntityManager, caseId: number, w: RecordWrite, createdBy: number): Promise<number> {
    const [r] = await guardOverlap(em, w, undefined, () =>
      em.query<Array<{ id: string }>>(
        `INSERT INTO practice_records (case_id, teacher_id, school_id, post_id, start_date, end_date, hours, claimed_hours, form, content, outcomes, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $7, $8, $9, $10, $11) RETURNING id`,
        [caseId, w.teacherId, w.schoolId, w.postId, w.startDate, w.endDate, w.hours, w.form, w.content, w.outcomes, createdBy],
      ),
    );
    return Number(r.id);
  },

  /** The teacher's correction: the hours claimed become the record's hours again (the host confirms them anew). */
  async update(em: EntityManager, id: number, dataVersion: number, w: RecordWrite): Promise<boolean> {
    const [rows] = await guardOverlap(em, w, id, () =>
      em.query<[unknown[], number]>(
        `UPDATE practice_records SET post_id = $3, start_date = $4, end_date = $5, hours = $6, claimed_hours = $6, form = $7, content = $8, outcomes = $9,
                data_version = data_version + 1, updated_at = now()
          WHERE id = $1 AND data_version = $2 RETURNING id`,
        [id, dataVersion, w.postId, w.startDate, w.endDate, w.hours, w.form, w.content, w.outcomes],
      ),
    );
    return rows.length > 0;
  },

  async setHours(em: EntityManager, caseId: number, hours: number): Promise<void> {
    await em.query(`UPDATE practice_records SET hours = $2, updated_at = now() WHERE case_id = $1`, [caseId, hours]);
  },

  /** Withdrawn or rejected: its period is free again. */
  async release(em: EntityManager, caseId: number): Promise<void> {
    await em.query(`UPDATE practice_records SET live = false, updated_at = now() WHERE case_id = $1`, [caseId]);
  },

  /**
   * 已认定: the record counts from `on`, in its host's industry of today (counted_industry), and adds one person-time to
   * its school's kept totals by month and by industry in the same statement (the dashboard's figures, migration
   * 1795940000001). A record counted already changes nothing.
   */
  async count(em: EntityManager, caseId: number, on: string, imported = false): Promise<void> {
    await em.query(
      `WITH counted AS (
         UPDATE practice_records r SET counted = true, counted_on = $2, imported = imported OR $3, counted_industry = ${hostIndustryOf('r.case_id')}, updated_at = now()
          WHERE r.case_id = $1 AND NOT r.counted
         RETURNING r.school_id, r.end_date, r.counted_industry),
       by_month AS (
         INSERT INTO practice_person_times AS p (school_id, end_month, n) SELECT school_id, date_trunc('month', end_date)::date, 1 FROM counted
         ON CONFLICT (school_id, end_month) DO UPDATE SET n = p.n + 1)
       INSERT INTO practice_industry_person_times AS p (school_id, industry, n) SELECT school_id, counted_industry, 1 FROM counted
       ON CONFLICT (school_id, industry) DO UPDATE SET n = p.n + 1`,
      [caseId, on, imported],
    );
  },

  /** A list page: the condition and parameters are the caller's (read scope and filters on aliases r, c, h). */
  async page(
    em: EntityManager,
    where: string,
    params: unknown[],
    order: string,
    range: { start: number; end: number },
  ): Promise<{ rows: PracticeRecordRow[]; total: ListTotal }> {
    const from = `${FROM} JOIN cases c ON c.id = r.case_id WHERE ${where}`;
    const total = await countList(em, from, params);
    const rows = await em.query<PracticeRecordRow[]>(
      `${SELECT.replace(FROM, from)} ORDER BY ${order}, r.id OFFSET $${params.length + 1} LIMIT $${params.length + 2}`,
      [...params, range.start, range.end - range.start + 1],
    );
    return { rows, total };
  },

  /** The ids of the records a list condition selects (the caller's read scope and filters on aliases r, c, s, h), in one statement. */
  async ids(em: EntityManager, where: string, params: unknown[]): Promise<number[]> {
    const rows = await em.query<Array<{ id: string }>>(`SELECT r.id ${FROM} JOIN cases c ON c.id = r.case_id WHERE ${where}`, params);
    return rows.map((r) => Number(r.id));
  },

  /**
   * Counted records of these teachers that may count on `from` or later: those that end by `until` and leave
   * after `from`. `yearsBack` bounds the index range (end_date ≥ from − years − 1 day, since a record leaves
   * at the latest `years` after its end); the exact window is the rule's (ledger.rules.ts).
   */
  async ledgerRows(em: EntityManager, teacherIds: readonly number[], from: string, yearsBack: number): Promise<LedgerRow[]> {
    if (!teacherIds.length) return [];
    return em.query<LedgerRow[]>(
      `SELECT r.id, r.teacher_id, r.start_date, r.end_date, r.hours, h.name AS host_name
         FROM practice_records r
         LEFT JOIN case_parties cp ON cp.case_id = r.case_id AND cp.party = 'host'
         LEFT JOIN organisations h ON h.id = cp.organisation_id
        WHERE r.teacher_id = ANY($1) AND r.counted AND r.end_date >= ($2::date - make_interval(years => $3))::date - 1
        ORDER BY r.teacher_id, r.end_date, r.id`,
      [teacherIds, from, yearsBack],
    );
  },

  /** The hours only (no names): the same index range, for the school's status list. */
  async ledgerHours(
    em: EntityManager,
    teacherIds: readonly number[],
    from: string,
    yearsBack: number,
  ): Promise<Array<{ teacher_id: number; end_date: string; hours: number }>> {
    if (!teacherIds.length) return [];
    return em.query(
      `SELECT r.teacher_id, r.end_date, r.hours FROM practice_records r
        WHERE r.teacher_id = ANY($1) AND r.counted AND r.end_date >= ($2::date - make_interval(years => $3))::date - 1`,
      [teacherIds, from, yearsBack],
    );
  },

  /**
   * Per teacher: their records awaiting their school (the workflow's 学校审核 stage), for the school's status list —
   * one statement for a page of teachers (index practice_records_teacher, then the case by its key).
   */
  async awaitingSchool(em: EntityManager, teacherIds: readonly number[]): Promise<Map<number, number>> {
    if (!teacherIds.length) return new Map();
    const rows = await em.query<Array<{ teacher_id: number; n: number }>>(
      `SELECT r.teacher_id, count(*)::int AS n FROM practice_records r JOIN cases c ON c.id = r.case_id
        WHERE r.teacher_id = ANY($1) AND r.live AND NOT r.counted AND c.state = 'school_approval' GROUP BY r.teacher_id`,
      [teacherIds],
    );
    return new Map(rows.map((r) => [r.teacher_id, r.n]));
  },

  /**
   * Per teacher of a school: counted hours on `today` and on `horizon` (the rule's exact window:
   * end ≤ d < end + years, PostgreSQL's date + interval clamps 29 February as addYears does). Index range
   * per teacher on practice_records_ledger. Records are all known today (an end date is never after the day it
   * is counted), so the total only falls after today: below on `horizon` ⇔ the rule lapses by then.
   */
  statusSql(teachersCte: string, todayParam: string, horizonParam: string, yearsParam: string): string {
    return `SELECT tt.user_id,
        coalesce(sum(r.hours) FILTER (WHERE r.end_date <= ${todayParam}::date AND (r.end_date + make_interval(years => ${yearsParam}))::date > ${todayParam}::date), 0)::int AS hours_now,
        coalesce(sum(r.hours) FILTER (WHERE r.end_date <= ${horizonParam}::date AND (r.end_date + make_interval(years => ${yearsParam}))::date > ${horizonParam}::date), 0)::int AS hours_then
      FROM ${teachersCte} tt
      LEFT JOIN practice_records r ON r.teacher_id = tt.user_id AND r.counted AND r.end_date >= (${todayParam}::date - make_interval(years => ${yearsParam}))::date - 1
      GROUP BY tt.user_id`;
  },

  /**
   * Person-times of counted records by the school's county, the school, the host's industry when counted and the month
   * of the end date — the dashboard's definitions (practice.indicators.ts), from the same kept totals.
   */
  /** The kept person-times grouped four ways, city-wide or (countyCode) of the schools of one county. */
  async stats(em: EntityManager, countyCode: string | null): Promise<Array<{ dim: string; key: string | null; n: number }>> {
    return em.query(
      `WITH m AS (SELECT p.*, s.county_code, s.name AS school_name FROM practice_person_times p JOIN organisations s ON s.id = p.school_id
                   WHERE $1::text IS NULL OR s.county_code = $1),
            i AS (SELECT p.* FROM practice_industry_person_times p JOIN organisations s ON s.id = p.school_id WHERE $1::text IS NULL OR s.county_code = $1)
       SELECT 'county' AS dim, county_code AS key, sum(n)::int AS n FROM m GROUP BY county_code
       UNION ALL SELECT 'school', school_id || '|' || school_name, sum(n)::int FROM m GROUP BY school_id, school_name
       UNION ALL SELECT 'industry', industry, sum(n)::int FROM i GROUP BY industry
       UNION ALL SELECT 'month', to_char(end_month, 'YYYY-MM'), sum(n)::int FROM m GROUP BY end_month`,
      [countyCode],
    );
  },

  /** Counted records hosted by an enterprise, the latest `limit` of them (linked evidence for its certification application). */
  async countedHostedBy(
    em: EntityManager,
    enterpriseId: number,
    limit: number,
  ): Promise<Array<{ id: string; school_name: string; end_date: string; hours: number; teacher_name: string }>> {
    return em.query(
      `SELECT r.id, s.name AS school_name, r.end_date, r.hours, t.display_name AS teacher_name
         FROM practice_records r JOIN case_parties cp ON cp.case_id = r.case_id AND cp.party = 'host'
         JOIN organisations s ON s.id = r.school_id JOIN users t ON t.id = r.teacher_id
        WHERE r.counted AND cp.organisation_id = $1
        ORDER BY r.end_date DESC, r.id DESC LIMIT $2`,
      [enterpriseId, limit],
    );
  },

  /**
   * The counted records hosted by an enterprise after its latest `skip` (in countedHostedBy's order), counted by the
   * year they ended: person-times and hours.
   */
  async countedHostedBeyond(em: EntityManager, enterpriseId: number, skip: number): Promise<Array<{ year: number; n: number; hours: number }>> {
    return em.query(
      `SELECT extract(year FROM x.end_date)::int AS year, count(*)::int AS n, sum(x.hours)::int AS hours
         FROM (SELECT r.end_date, r.hours FROM practice_records r JOIN case_parties cp ON cp.case_id = r.case_id AND cp.party = 'host'
                WHERE r.counted AND cp.organisation_id = $1
                ORDER BY r.end_date DESC, r.id DESC OFFSET $2) x
        GROUP BY 1 ORDER BY 1 DESC`,
      [enterpriseId, skip],
    );
  },
};

/** The advisory lock class of one teacher's record writes. */
const TEACHER_RECORDS_LOCK = 724_911;

/**
 * A write of a teacher's record, checked for overlap under a per-teacher transaction lock: concurrent writes of
 * one teacher's records queue here, so the check sees every committed record and names the one in conflict.
 * The exclusion constraint stays as the database's own guarantee (a write that bypassed this lock).
 */
async function guardOverlap<T>(em: EntityManager, w: RecordWrite, exceptId: number | undefined, write: () => Promise<T>): Promise<T> {
  await em.query(`SELECT pg_advisory_xact_lock($1, $2)`, [TEACHER_RECORDS_LOCK, w.teacherId]);
  const before = await practiceRecordsSql.overlapping(em, w.teacherId, w.startDate, w.endDate, exceptId);
  if (before) throw overlapError(before);
  try {
    return await write();
  } catch (e) {
    const err = e as QueryFailedError & { driverError?: { code?: string; constraint?: string; detail?: string } };
    if (e instanceof QueryFailedError && err.driverError?.code === '23P01' && err.driverError.constraint === NO_OVERLAP) {
      throw DomainException.conflict('实践时间与本人另一条实践记录重叠，同一时间段只能登记一条记录', { conflict: 'overlap' });
    }
    throw e;
  }
}

/** A live record a new period overlaps: its id, period and host enterprise (or the invited credit code). */
export interface OverlappingRecord {
  id: string;
  start_date: string;
  end_date: string;
  host_name: string | null;
}

/**
 * The refusal of an overlapping period, naming the other record by its host and dates (its id is shown nowhere):
 * to the teacher "本人", to the school admin importing a teacher's history "该教师".
 */
export function overlapError(r: OverlappingRecord, who: '本人' | '该教师' = '本人'): DomainException {
  const at = r.host_name ? `在${r.host_name}的` : '另一条';
  return new DomainException('CONFLICT', `实践时间与${who}${at}实践记录（${r.start_date} 至 ${r.end_date}）重叠，同一时间段只能登记一条记录`, {
    conflictingRecordId: Number(r.id),
    startDate: r.start_date,
    endDate: r.end_date,
  });
}
