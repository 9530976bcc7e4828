import { Injectable } from '@nestjs/common';
import { portalToday } from '@portal/contracts';
import { DomainException, SpreadsheetImports, type ImportedRow } from '@portal/core';
import type { ImportPreviewDto } from '@portal/contracts';
import type { Actor } from '@portal/identity';
import type { EntityManager } from 'typeorm';
import { OrderClassesService } from '../classes/order-classes.service.js';
import type { ValidStudent } from './student.rules.js';
import { rosterImport } from './roster-import.js';
import { ROSTER_OPEN, StudentsService } from './students.service.js';

const scopeOf = (classId: number) => `order-class:${classId}`;

/**
 * The roster import in two steps (SpreadsheetImports): a preview that lists every bad row with its reasons
 * (checked one by one, duplicates within the file, students the class holds already), then, when the school
 * asks, the good rows in one transaction — or nothing. Only the owning school's admin, before the class runs.
 */
@Injectable()
export class RosterImportsService {
  constructor(
    private readonly imports: SpreadsheetImports,
    private readonly classes: OrderClassesService,
    private readonly students: StudentsService,
  ) {}

  /** Students of the file that the class holds already (by keyed hash), by row. */
  private existing(classId: number) {
    return async (em: EntityManager, rows: readonly ImportedRow<ValidStudent>[]): Promise<Map<number, string[]>> => {
      const held = await this.students.existing(
        em,
        classId,
        rows.map((r) => r.value.idNumber),
      );
      return new Map(rows.filter((r) => held.has(r.value.idNumber)).map((r) => [r.row, ['该学生已在本班名单中']]));
    };
  }

  private async assertWriter(actor: Actor, classId: number): Promise<void> {
    const { cls, row } = await this.classes.readable(actor, classId);
    if (!this.classes.ownsRoster(actor, cls)) throw DomainException.forbidden('只有举办学校的管理员可以导入学生名单');
    if (!ROSTER_OPEN.has(row.state)) throw DomainException.conflict('订单班已开班或已办结：开班后新增学生请登记“学生加入”变更');
  }

  async maxFileBytes(): Promise<number> {
    return this.imports.maxFileBytes();
  }

  async preview(actor: Actor, classId: number, file: { fileName: string; bytes: Buffer }): Promise<ImportPreviewDto> {
    await this.assertWriter(actor, classId);
    return this.imports.preview(rosterImport(), scopeOf(classId), actor.id, file, this.existing(classId));
  }

  async get(actor: Actor, classId: number, importId: string): Promise<ImportPreviewDto> {
    await this.assertWriter(actor, classId);
    const { row: _row, ...dto } = await this.imports.get(importId, scopeOf(classId));
    void _row;
    return dto;
  }

  /** Write the good rows, all or nothing, under the case-row lock (the class may not have moved on meanwhile). */
  async commit(actor: Actor, classId: number, importId: string): Promise<ImportPreviewDto> {
    await this.assertWriter(actor, classId);
    return this.imports.commit(
      rosterImport(),
      importId,
      scopeOf(classId),
      actor.id,
      async (em, rows) => {
        const { cls, state } = await this.students.forRosterWrite(em, actor, classId);
        if (!ROSTER_OPEN.has(state)) throw DomainException.conflict('订单班已开班或已办结，不能再导入名单');
        await this.students.assertRoom(em, classId, rows.length);
        await this.students.insert(
          em,
          classId,
          rows.map((r) => r.value),
          cls.term_start ?? portalToday(),
          actor.id,
        );
      },
      this.existing(classId),
    );
  }

  /** The template, for whoever may import into this class. */
  async template(actor: Actor, classId: number): Promise<Buffer> {
    const { cls } = await this.classes.readable(actor, classId);
    if (!this.classes.ownsRoster(actor, cls)) throw DomainException.forbidden('只有举办学校的管理员可以导入学生名单');
    return this.imports.template(rosterImport());
  }
}
