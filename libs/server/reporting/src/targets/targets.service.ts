import { Injectable } from '@nestjs/common';
import { type StatusEventDto, type TargetDto } from '@portal/contracts';
import { DomainException, listPage, type ListSpec, type RawListQuery } from '@portal/core';
import { isAdmin, type Actor } from '@portal/identity';
import { DataSource, type EntityManager, type ObjectLiteral } from 'typeorm';

interface TargetRow {
  id: number;
  indicator: string;
  label: string;
  unit: string;
  value: string;
  deadline: string;
  seed_task: number;
  county_code: string | null;
  version: number;
  updated_at: Date;
  updated_by_name: string | null;
}

export interface TargetInput {
  indicator: string;
  label: string;
  unit: string;
  value: number;
  deadline: string;
  seedTask: number;
  countyCode: string | null;
}

const LIST: ListSpec<ObjectLiteral> = {
  sortable: { id: 't.id', indicator: 't.indicator', deadline: 't.deadline', seedTask: 't.seed_task', countyCode: 't.county_code' },
  filters: {
    id: 't.id',
    indicator: 't.indicator',
    seedTask: 't.seed_task',
    countyCode: (qb, value, param) => {
      // 'city' (or null) = the city-wide targets
      if (typeof value !== 'string')
        throw DomainException.validation('筛选条件 countyCode 应为 city 或县（市、区）代码', [{ field: 'filter.countyCode', messages: ['不正确'] }]);
      if (value === 'city') qb.andWhere('t.county_code IS NULL');
      else qb.andWhere(`t.county_code = :${param}`, { [param]: value });
    },
  },
  defaultSort: { field: 'id', order: 'ASC' },
};

const SELECT_COLUMNS = `t.id, t.indicator, t.label, t.unit, t.value, to_char(t.deadline, 'YYYY-MM-DD') AS deadline, t.seed_task, t.county_code, t.version, t.updated_at,
  u.display_name AS updated_by_name`;

/** Targets of the plan as data: everyone signed in reads them; admins create, edit and delete them, every change kept. */
@Injectable()
export class TargetsService {
  constructor(private readonly ds: DataSource) {}

  toDto(r: TargetRow): TargetDto {
    return {
      id: r.id,
      indicator: r.indicator,
      label: r.label,
      unit: r.unit,
      value: Number(r.value),
      deadline: r.deadline,
      seedTask: r.seed_task,
      countyCode: r.county_code,
      version: r.version,
      updatedAt: r.updated_at.toISOString(),
      updatedByName: r.updated_by_name,
    };
  }

  async list(raw: RawListQuery, reply: { header(n: string, v: string): unknown }): Promise<TargetDto[]> {
    const qb = this.ds
      .createQueryBuilder()
      .select('t.id', 'id')
      .addSelect(['t.indicator', 't.label', 't.unit', 't.value', 't.seed_task', 't.county_code', 't.version', 't.updated_at'])
      .addSelect(`to_char(t.deadline, 'YYYY-MM-DD')`, 'deadline')
      .addSelect('u.display_name', 'updated_by_name')
      .from('targets', 't')
      .leftJoin('users', 'u', 'u.id = t.updated_by');
    const rows = await listPage(qb, raw, LIST, reply, 'targets', { raw: true });
    return rows.map((r) => this.toDto(unprefix(r) as TargetRow));
  }

  async get(id: number, em: EntityManager = this.ds.manager): Promise<TargetDto> {
    const [r] = await em.query<TargetRow[]>(`SELECT ${SELECT_COLUMNS} FROM targets t LEFT JOIN users u ON u.id = t.updated_by WHERE t.id = $1`, [id]);
    if (!r) throw DomainException.notFound('目标');
    return this.toDto(r);
  }

  /** The targets of one scope (null = the city), for the dashboard. */
  async ofScope(em: EntityManager, countyCode: string | null): Promise<TargetDto[]> {
    const rows = await em.query<TargetRow[]>(
      `SELECT ${SELECT_COLUMNS} FROM targets t LEFT JOIN users u ON u.id = t.updated_by WHERE t.county_code IS NOT DISTINCT FROM $1 ORDER BY t.id`,
      [countyCode],
    );
    return rows.map((r) => this.toDto(r));
  }

  /**
   * The values of some indicators' targets for a county (its own target, else the city's) or, for null, the city: the
   * features' pages read them through PlanTargets (core), one statement.
   */
  async valuesFor(em: EntityManager, indicators: readonly string[], countyCode: string | null): Promise<Record<string, number>> {
    const rows = await em.query<Array<{ indicator: string; value: string }>>(
      `SELECT DISTINCT ON (indicator) indicator, value FROM targets
        WHERE indicator = ANY($1) AND (county_code IS NULL OR county_code = $2) ORDER BY indicator, county_code NULLS LAST`,
      [indicators, countyCode],
    );
    return Object.fromEntries(rows.map((r) => [r.indicator, Number(r.value)]));
  }

  private assertAdmin(actor: Actor): void {
    if (!isAdmin(actor)) throw DomainException.forbidden('只有系统管理员可以修改目标');
  }

  private duplicate(e: unknown): never {
    if ((e as { driverError?: { code?: string } }).driverError?.code === '23505')
      throw DomainException.conflict('该指标在此范围（全市或该县）已有目标', [{ field: 'indicator', messages: ['该指标在此范围已有目标'] }]);
    throw e;
  }

  async create(actor: Actor, input: TargetInput): Promise<TargetDto> {
    this.assertAdmin(actor);
    return this.ds.transaction(async (em) => {
      const [{ id }] = await em
        .query<Array<{ id: number }>>(
          `INSERT INTO targets (indicator, label, unit, value, deadline, seed_task, county_code, created_by, updated_by)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING id`,
          [input.indicator, input.label, input.unit, input.value, input.deadline, input.seedTask, input.countyCode, actor.id],
        )
        .catch((e: unknown) => this.duplicate(e));
      const after = await this.get(id, em);
      await this.log(em, id, 'create', null, after, actor);
      return after;
    });
  }

  async update(actor: Actor, id: number, patch: Partial<TargetInput> & { version?: number }): Promise<TargetDto> {
    this.assertAdmin(actor);
    return this.ds.transaction(async (em) => {
      const [locked] = await em.query<Array<{ id: number }>>(`SELECT id FROM targets WHERE id = $1 FOR UPDATE`, [id]);
      if (!locked) throw DomainException.notFound('目标');
      const before = await this.get(id, em);
      if (patch.version !== undefined && patch.version !== before.version)
        throw DomainException.conflict('目标已被他人修改，请刷新后重试', { currentVersion: before.version });
      const next: TargetDto = { ...before, ...Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) };
      await em
        .query(
          `UPDATE targets SET indicator = $2, label = $3, unit = $4, value = $5, deadline = $6, seed_task = $7, county_code = $8,
                  version = version + 1, updated_by = $9, updated_at = now() WHERE id = $1`,
          [id, next.indicator, next.label, next.unit, next.value, next.deadline, next.seedTask, next.countyCode, actor.id],
        )
        .catch((e: unknown) => this.duplicate(e));
      const after = await this.get(id, em);
      await this.log(em, id, 'update', before, after, actor);
      return after;
    });
  }

  async remove(actor: Actor, id: number): Promise<TargetDto> {
    this.assertAdmin(actor);
    return this.ds.transaction(async (em) => {
      const before = await this.get(id, em);
      await em.query(`DELETE FROM targets WHERE id = $1`, [id]);
      await this.log(em, id, 'delete', before, null, actor);
      return before;
    });
  }

  /** Who changed a target, when, from what to what (newest first). */
  async history(id: number): Promise<StatusEventDto[]> {
    const rows = await this.ds.query<Array<{ action: string; before: unknown; after: unknown; actor_name: string | null; at: Date }>>(
      `SELECT c.action, c.before, c.after, u.display_name AS actor_name, c.at FROM target_changes c LEFT JOIN users u ON u.id = c.actor_id
        WHERE c.target_id = $1 ORDER BY c.id DESC`,
      [id],
    );
    return rows.map((r) => ({ action: r.action, before: r.before, after: r.after, actorName: r.actor_name, at: r.at.toISOString() }));
  }

  private async log(em: EntityManager, targetId: number, action: string, before: TargetDto | null, after: TargetDto | null, actor: Actor) {
    await em.query(`INSERT INTO target_changes (target_id, action, before, after, actor_id) VALUES ($1, $2, $3, $4, $5)`, [
      targetId,
      action,
      before && JSON.stringify(before),
      after && JSON.stringify(after),
      actor.id,
    ]);
  }
}

/** Raw rows of a query builder come back as `t_label`…; the aliases chosen above keep plain names. */
function unprefix(r: ObjectLiteral): ObjectLiteral {
  return Object.fromEntries(Object.entries(r).map(([k, v]) => [k.replace(/^t_/, ''), v]));
}
