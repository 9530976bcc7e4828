import { Injectable } from '@nestjs/common';
import { isIsoDay, portalToday, type OrderClassDto, type RosterChangeDto, type RosterChangeKind } from '@portal/contracts';
import { DomainException } from '@portal/core';
import type { Actor } from '@portal/identity';
import type { ActionHookContext } from '@portal/workflow';
import { DataSource, type EntityManager } from 'typeorm';
import { OrderClassesService } from '../classes/order-classes.service.js';
import type { StudentCells } from './student.rules.js';
import { StudentsService } from './students.service.js';

/**
 * Roster changes while a class runs (加入 / 退出, with a date and a reason), each an action of the case
 * (`record_join`, `record_leave`: a self-loop of the active stage) so that the chain records who changed
 * what and when. The join's personal data never travels in the action: the student is staged first
 * (`pending`, on no roster) and the action names the staged row; its hook enrols it.
 */
@Injectable()
export class RosterChangesService {
  constructor(
    private readonly ds: DataSource,
    private readonly classes: OrderClassesService,
    private readonly students: StudentsService,
  ) {}

  /** The workflow's hook for the two change actions, in act()'s transaction (a throw rolls the action back). */
  readonly onAction = async ({ em, after, action, data, actor }: ActionHookContext): Promise<void> => {
    if (action !== 'record_join' && action !== 'record_leave') return;
    const d = data as { studentId: number; date: string; reason: string };
    const cls = await this.classes.byCase(em, after.id);
    if (!isIsoDay(d.date)) throw DomainException.validation('日期不存在', [{ field: 'data.date', messages: ['日期不存在'] }]);
    if (d.date > portalToday()) throw DomainException.validation('变更日期不能晚于今天', [{ field: 'data.date', messages: ['不能晚于今天'] }]);
    if (cls.term_start && d.date < cls.term_start)
      throw DomainException.validation('变更日期不能早于培养开始日期', [{ field: 'data.date', messages: ['不能早于培养开始日期'] }]);
    if (cls.term_end && d.date > cls.term_end)
      throw DomainException.validation('变更日期不能晚于培养结束日期', [{ field: 'data.date', messages: ['不能晚于培养结束日期'] }]);
    const kind: RosterChangeKind = action === 'record_join' ? 'join' : 'leave';
    const [s] = await em.query<Array<{ status: string; joined_on: string; left_on: string | null }>>(
      `SELECT status, joined_on, left_on FROM order_class_students WHERE id = $1 AND order_class_id = $2 FOR UPDATE`,
      [d.studentId, cls.id],
    );
    if (kind === 'join') {
      if (!s || s.status !== 'pending')
        throw DomainException.validation('加入的学生须先登记其信息', [{ field: 'data.studentId', messages: ['不是待加入的学生'] }]);
      await em.query(`UPDATE order_class_students SET status = 'enrolled', joined_on = $2 WHERE id = $1`, [d.studentId, d.date]);
    } else {
      if (!s || s.status !== 'enrolled' || s.left_on !== null)
        throw DomainException.validation('该学生不在本班名单中', [{ field: 'data.studentId', messages: ['不在名单中'] }]);
      if (d.date < s.joined_on) throw DomainException.validation('退出日期不能早于加入日期', [{ field: 'data.date', messages: ['不能早于加入日期'] }]);
      await em.query(`UPDATE order_class_students SET left_on = $2, graduated = NULL, destination = NULL WHERE id = $1`, [d.studentId, d.date]);
    }
    await em.query(`INSERT INTO order_class_changes (order_class_id, student_id, kind, on_date, reason, actor_id) VALUES ($1, $2, $3, $4, $5, $6)`, [
      cls.id,
      d.studentId,
      kind,
      d.date,
      d.reason.trim(),
      actor?.id ?? null,
    ]);
  };

  /** Record a change through the engine: a leave names a student; a join stages the new student first. */
  async record(
    actor: Actor,
    classId: number,
    c: { kind: RosterChangeKind; date: string; reason: string; studentId?: number; student?: StudentCells; version?: number },
  ): Promise<OrderClassDto> {
    const { cls } = await this.classes.readable(actor, classId);
    if (!this.classes.ownsRoster(actor, cls)) throw DomainException.forbidden('只有举办学校的管理员可以登记名单变更');
    if (c.kind === 'leave') {
      return this.classes.act(actor, classId, { action: 'record_leave', version: c.version, data: { studentId: c.studentId, date: c.date, reason: c.reason } });
    }
    const student = this.students.check(c.student ?? { name: '', idNumber: '', gender: '', phone: '' });
    const staged = await this.ds.transaction(async (em) => {
      const { state } = await this.students.forRosterWrite(em, actor, classId);
      if (state !== 'active') throw DomainException.conflict('只有培养中的订单班可以登记学生加入');
      await this.students.assertRoom(em, classId, 1);
      // a stale staged row of the same student (an earlier attempt that failed) gives way
      await em.query(`DELETE FROM order_class_students WHERE order_class_id = $1 AND status = 'pending' AND id_lookup = $2`, [
        classId,
        this.students.sealed(student).idLookup,
      ]);
      const [id] = await this.students.insert(em, classId, [student], c.date, actor.id, 'pending');
      return id;
    });
    try {
      return await this.classes.act(actor, classId, { action: 'record_join', version: c.version, data: { studentId: staged, date: c.date, reason: c.reason } });
    } catch (e) {
      await this.ds.query(`DELETE FROM order_class_students WHERE id = $1 AND status = 'pending'`, [staged]);
      throw e;
    }
  }

  async list(actor: Actor, classId: number, range: { start: number; end: number }): Promise<{ rows: RosterChangeDto[]; total: number }> {
    await this.classes.readable(actor, classId);
    return this.page(this.ds.manager, classId, range);
  }

  private async page(em: EntityManager, classId: number, range: { start: number; end: number }): Promise<{ rows: RosterChangeDto[]; total: number }> {
    const [{ n }] = await em.query<Array<{ n: number }>>(`SELECT count(*)::int AS n FROM order_class_changes WHERE order_class_id = $1`, [classId]);
    const rows = await em.query<
      Array<{
        id: string;
        student_id: string;
        name: string;
        id_masked: string;
        kind: RosterChangeKind;
        on_date: string;
        reason: string;
        actor_name: string | null;
        created_at: Date;
      }>
    >(
      `SELECT ch.id, ch.student_id, s.name, s.id_masked, ch.kind, ch.on_date, ch.reason, u.display_name AS actor_name, ch.created_at
         FROM order_class_changes ch JOIN order_class_students s ON s.id = ch.student_id LEFT JOIN users u ON u.id = ch.actor_id
        WHERE ch.order_class_id = $1 ORDER BY ch.on_date DESC, ch.id DESC OFFSET $2 LIMIT $3`,
      [classId, range.start, range.end - range.start + 1],
    );
    return {
      total: n,
      rows: rows.map((r) => ({
        id: Number(r.id),
        orderClassId: classId,
        studentId: Number(r.student_id),
        studentName: r.name,
        idNumberMasked: r.id_masked,
        kind: r.kind,
        date: r.on_date,
        reason: r.reason,
        actorName: r.actor_name,
        createdAt: r.created_at.toISOString(),
      })),
    };
  }
}
