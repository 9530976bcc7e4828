import { Injectable } from '@nestjs/common';
import { maskIdNumber, maskPhone, portalToday, type OrderClassStudentDto, type StudentDestination, type StudentRevealDto } from '@portal/contracts';
import { DomainException, FieldCipher, SettingsService } from '@portal/core';
import type { Actor } from '@portal/identity';
import { WorkflowService } from '@portal/workflow';
import { DataSource, QueryFailedError, type EntityManager } from 'typeorm';
import { OrderClassesService } from '../classes/order-classes.service.js';
import type { OrderClassRow } from '../classes/order-class.rows.js';
import { checkStudent, type StudentCells, type ValidStudent } from './student.rules.js';

export interface StudentRow {
  id: string;
  order_class_id: string;
  name: string;
  gender: 'male' | 'female';
  birth_year: number;
  id_masked: string;
  phone_masked: string | null;
  joined_on: string;
  left_on: string | null;
  graduated: boolean | null;
  destination: StudentDestination | null;
  created_at: Date;
}

/** Columns a view may read: never the sealed values. */
export const STUDENT_COLUMNS = `id, order_class_id, name, gender, birth_year, id_masked, phone_masked, joined_on, left_on, graduated, destination, created_at`;

/** States in which the school adds students one by one or by import (while active, a join is a recorded change). */
export const ROSTER_OPEN = new Set(['draft', 'returned', 'enterprise_confirm', 'county_filing']);
/** States in which outcomes are reported. */
const REPORTING = new Set(['active', 'reporting']);

export function toStudentDto(r: StudentRow): OrderClassStudentDto {
  return {
    id: Number(r.id),
    orderClassId: Number(r.order_class_id),
    name: r.name,
    gender: r.gender,
    birthYear: Number(r.birth_year),
    idNumberMasked: r.id_masked,
    phoneMasked: r.phone_masked,
    joinedOn: r.joined_on,
    leftOn: r.left_on,
    graduated: r.graduated,
    destination: r.destination,
    createdAt: r.created_at.toISOString(),
  };
}

function isUniqueViolation(e: unknown): boolean {
  return e instanceof QueryFailedError && (e.driverError as { code?: string } | undefined)?.code === '23505';
}

/**
 * The roster of an order class: students sealed with FieldCipher (ID number and phone), a keyed hash of the
 * ID number unique per class, masked copies for every view; the full values only to the owning school on an
 * explicit reveal, recorded on the case's chain.
 */
@Injectable()
export class StudentsService {
  constructor(
    private readonly ds: DataSource,
    private readonly cipher: FieldCipher,
    private readonly settings: SettingsService,
    private readonly classes: OrderClassesService,
    private readonly workflow: WorkflowService,
  ) {}

  /** The sealed and masked columns of a checked student. */
  sealed(s: ValidStudent): { idSealed: Buffer; idLookup: Buffer; idMasked: string; phoneSealed: Buffer | null; phoneMasked: string | null } {
    return {
      idSealed: this.cipher.seal(s.idNumber),
      idLookup: this.cipher.lookupHash(s.idNumber),
      idMasked: maskIdNumber(s.idNumber),
      phoneSealed: s.phone ? this.cipher.seal(s.phone) : null,
      phoneMasked: s.phone ? maskPhone(s.phone) : null,
    };
  }

  /** The class for a roster write by its school (its admin), locked in the transaction; 404 to strangers, 403 to other readers. */
  async forRosterWrite(em: EntityManager, actor: Actor, classId: number): Promise<{ cls: OrderClassRow; state: string }> {
    const { cls, row } = await this.classes.readable(actor, classId, em);
    if (!this.classes.ownsRoster(actor, cls)) throw DomainException.forbidden('只有举办学校的管理员可以维护学生名单');
    const [locked] = await em.query<Array<{ state: string }>>(`SELECT state FROM cases WHERE id = $1 FOR UPDATE`, [row.id]);
    return { cls, state: locked.state };
  }

  /** The roster may hold at most the configured number of students (left ones included). */
  async assertRoom(em: EntityManager, classId: number, adding: number): Promise<void> {
    const max = await this.settings.get('orderClasses.maxStudents', em);
    const [{ n }] = await em.query<Array<{ n: number }>>(`SELECT count(*)::int AS n FROM order_class_students WHERE order_class_id = $1`, [classId]);
    if (n + adding > max) throw DomainException.conflict(`每个订单班最多登记 ${max} 名学生（已有 ${n} 名）`);
  }

  /** Insert checked students (one statement); a duplicate within the class is a 409 naming nobody's ID number. */
  async insert(
    em: EntityManager,
    classId: number,
    students: ValidStudent[],
    joinedOn: string,
    actorId: number,
    status: 'enrolled' | 'pending' = 'enrolled',
  ): Promise<number[]> {
    if (!students.length) return [];
    const sealed = students.map((s) => this.sealed(s));
    try {
      const rows = await em.query<Array<{ id: string }>>(
        `INSERT INTO order_class_students (order_class_id, name, gender, birth_year, id_sealed, id_lookup, id_masked, phone_sealed, phone_masked, joined_on, status, created_by)
         SELECT $1, u.name, u.gender, u.birth_year, u.id_sealed, u.id_lookup, u.id_masked, u.phone_sealed, u.phone_masked, $2, $3, $4
           FROM unnest($5::text[], $6::text[], $7::smallint[], $8::bytea[], $9::bytea[], $10::text[], $11::bytea[], $12::text[])
             AS u(name, gender, birth_year, id_sealed, id_lookup, id_masked, phone_sealed, phone_masked)
         RETURNING id`,
        [
          classId,
          joinedOn,
          status,
          actorId,
          students.map((s) => s.name),
          students.map((s) => s.gender),
          students.map((s) => s.birthYear),
          sealed.map((s) => s.idSealed),
          sealed.map((s) => s.idLookup),
          sealed.map((s) => s.idMasked),
          sealed.map((s) => s.phoneSealed),
          sealed.map((s) => s.phoneMasked),
        ],
      );
      return rows.map((r) => Number(r.id));
    } catch (e) {
      if (isUniqueViolation(e)) throw DomainException.conflict('该学生（身份证号码）已在本班名单中');
      throw e;
    }
  }

  /** Which of these ID numbers the class already holds (by keyed hash). */
  async existing(em: EntityManager, classId: number, idNumbers: string[]): Promise<Set<string>> {
    if (!idNumbers.length) return new Set();
    const hashes = idNumbers.map((id) => this.cipher.lookupHash(id));
    const rows = await em.query<Array<{ id_lookup: Buffer }>>(
      `SELECT id_lookup FROM order_class_students WHERE order_class_id = $1 AND id_lookup = ANY($2::bytea[])`,
      [classId, hashes],
    );
    const found = new Set(rows.map((r) => r.id_lookup.toString('hex')));
    return new Set(idNumbers.filter((_, i) => found.has(hashes[i].toString('hex'))));
  }

  /** Check a student as typed, or a 400 naming the fields. */
  check(cells: StudentCells): ValidStudent {
    const { value, problems } = checkStudent(cells);
    if (!value) {
      const field = (p: string) => (p.startsWith('姓名') ? 'name' : p.startsWith('身份证') ? 'idNumber' : p.startsWith('性别') ? 'gender' : 'phone');
      throw DomainException.validation(
        `学生信息有误：${problems.join('；')}`,
        problems.map((p) => ({ field: field(p), messages: [p] })),
      );
    }
    return value;
  }

  /** Add one student (before the class runs; while it runs, a join is recorded as a change). */
  async add(actor: Actor, classId: number, cells: StudentCells): Promise<OrderClassStudentDto> {
    const student = this.check(cells);
    const id = await this.ds.transaction(async (em) => {
      const { cls, state } = await this.forRosterWrite(em, actor, classId);
      if (!ROSTER_OPEN.has(state)) throw DomainException.conflict('订单班已开班或已办结：开班后新增学生请登记“学生加入”变更');
      await this.assertRoom(em, classId, 1);
      const [sid] = await this.insert(em, classId, [student], cls.term_start ?? portalToday(), actor.id);
      return sid;
    });
    const [r] = await this.ds.query<StudentRow[]>(`SELECT ${STUDENT_COLUMNS} FROM order_class_students WHERE id = $1`, [id]);
    return toStudentDto(r);
  }

  /** Remove a student added by mistake (before the class runs; afterwards a student leaves). */
  async remove(actor: Actor, classId: number, studentId: number): Promise<void> {
    await this.ds.transaction(async (em) => {
      const { state } = await this.forRosterWrite(em, actor, classId);
      if (!ROSTER_OPEN.has(state)) throw DomainException.conflict('订单班已开班或已办结：学生离开请登记“学生退出”变更');
      const [rows] = await em.query<[unknown[], number]>(`DELETE FROM order_class_students WHERE id = $1 AND order_class_id = $2 RETURNING id`, [
        studentId,
        classId,
      ]);
      if (!rows.length) throw DomainException.notFound('学生');
    });
  }

  /**
   * The roster (masked) of a class the actor reads, optionally as it stood on a date (joined on or before it,
   * not left by it), with sort and range.
   */
  async list(
    actor: Actor,
    classId: number,
    p: { at?: string; ids?: number[]; q?: string },
    sort: { field: 'id' | 'name' | 'joinedOn'; order: 'ASC' | 'DESC' },
    range: { start: number; end: number },
  ): Promise<{ rows: OrderClassStudentDto[]; total: number }> {
    await this.classes.readable(actor, classId);
    const params: unknown[] = [classId];
    const where = [`order_class_id = $1`, `status = 'enrolled'`];
    if (p.at) where.push(`joined_on <= $${params.push(p.at)} AND (left_on IS NULL OR left_on > $${params.length})`);
    if (p.ids) where.push(`id = ANY($${params.push(p.ids)})`);
    if (p.q) where.push(`name ILIKE $${params.push(`%${p.q.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`)}`);
    const [{ n }] = await this.ds.query<Array<{ n: number }>>(`SELECT count(*)::int AS n FROM order_class_students WHERE ${where.join(' AND ')}`, params);
    const order = { id: 'id', name: 'name', joinedOn: 'joined_on' }[sort.field];
    const rows = await this.ds.query<StudentRow[]>(
      `SELECT ${STUDENT_COLUMNS} FROM order_class_students WHERE ${where.join(' AND ')} ORDER BY ${order} ${sort.order}, id
        OFFSET $${params.push(range.start)} LIMIT $${params.push(range.end - range.start + 1)}`,
      params,
    );
    return { rows: rows.map(toStudentDto), total: n };
  }

  /**
   * The full ID number and phone of one student, for the owning school's admin only, on an explicit request
   * with a reason; recorded on the case's chain (who, when, whose, why — the event itself masked).
   */
  async reveal(actor: Actor, classId: number, studentId: number, reason: string): Promise<StudentRevealDto> {
    return this.ds.transaction(async (em) => {
      const { cls, row } = await this.classes.readable(actor, classId, em);
      if (!this.classes.ownsRoster(actor, cls)) throw DomainException.forbidden('只有举办学校的管理员可以查看学生完整的身份证号码和手机号码');
      const [s] = await em.query<Array<{ id: string; name: string; id_sealed: Buffer; id_masked: string; phone_sealed: Buffer | null }>>(
        `SELECT id, name, id_sealed, id_masked, phone_sealed FROM order_class_students WHERE id = $1 AND order_class_id = $2 AND status = 'enrolled'`,
        [studentId, classId],
      );
      if (!s) throw DomainException.notFound('学生');
      await this.workflow.recordEvent(em, row.id, actor, {
        action: 'reveal_personal_data',
        comment: reason,
        payload: { studentId: Number(s.id), studentName: s.name, idNumberMasked: s.id_masked },
      });
      return { id: Number(s.id), name: s.name, idNumber: this.cipher.open(s.id_sealed), phone: s.phone_sealed ? this.cipher.open(s.phone_sealed) : null };
    });
  }

  /** A student's completion outcome (while the class runs or reports its completion), by the owning school. */
  async setOutcome(
    actor: Actor,
    classId: number,
    studentId: number,
    o: { graduated: boolean; destination?: StudentDestination },
  ): Promise<OrderClassStudentDto> {
    await this.ds.transaction(async (em) => {
      const { state } = await this.forRosterWrite(em, actor, classId);
      if (!REPORTING.has(state)) throw DomainException.conflict('只有培养中或填报结业报告时可以登记学生结业去向');
      if (o.graduated && !o.destination) throw DomainException.validation('请选择结业学生的去向', [{ field: 'destination', messages: ['必填'] }]);
      const [rows] = await em.query<[unknown[], number]>(
        `UPDATE order_class_students SET graduated = $3, destination = $4 WHERE id = $1 AND order_class_id = $2 AND status = 'enrolled' AND left_on IS NULL RETURNING id`,
        [studentId, classId, o.graduated, o.destination ?? (o.graduated ? null : 'none')],
      );
      if (!rows.length) throw DomainException.notFound('学生（在班）');
    });
    const [r] = await this.ds.query<StudentRow[]>(`SELECT ${STUDENT_COLUMNS} FROM order_class_students WHERE id = $1`, [studentId]);
    return toStudentDto(r);
  }

  /** Students of the class on the roster now: how many, and how many still lack an outcome (guards). */
  async counts(em: EntityManager, classId: number): Promise<{ enrolled: number; missingOutcome: number }> {
    const [r] = await em.query<Array<{ enrolled: number; missing: number }>>(
      `SELECT count(*)::int AS enrolled, count(*) FILTER (WHERE graduated IS NULL)::int AS missing
         FROM order_class_students WHERE order_class_id = $1 AND status = 'enrolled' AND left_on IS NULL`,
      [classId],
    );
    return { enrolled: r.enrolled, missingOutcome: r.missing };
  }
}
