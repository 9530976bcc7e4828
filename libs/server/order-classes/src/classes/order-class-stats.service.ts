import { Injectable } from '@nestjs/common';
import { countyName, type EmploymentStatsDto, type EmploymentStatsGroup, type OrderClassProgressDto } from '@portal/contracts';
import { PlanTargets } from '@portal/core';
import type { Actor } from '@portal/identity';
import { DataSource } from 'typeorm';
import { FROM_CLASSES } from './order-class.rows.js';
import { OrderClassesService, type OrderClassFilter } from './order-classes.service.js';
import { FILED_STATES } from './order-class.workflow.js';
/** Classes whose outcomes count: reporting or closed. */
const REPORTED_STATES = ['reporting', 'closed'];

const GROUPS: Record<EmploymentStatsGroup, { key: string; label: string }> = {
  class: { key: 'oc.id::text', label: 'oc.name' },
  school: { key: 'oc.school_id::text', label: 's.name' },
  enterprise: { key: `coalesce(e.id::text, oc.invited_credit_code)`, label: `coalesce(e.name, oc.invited_credit_code)` },
  county: { key: 'c.county_code', label: 'c.county_code' },
};

const rate = (n: number, of: number): number | null => (of > 0 ? Math.round((n / of) * 10_000) / 10_000 : null);

/**
 * Employment outcomes computed from the students' rows (never typed): per class, school, enterprise and
 * county, over the students still in class at the end of classes that report their completion; and the
 * progress toward the city's target of filed classes (seed task 30: the plan's target `order_classes`, 规划目标).
 */
@Injectable()
export class OrderClassStatsService {
  constructor(
    private readonly ds: DataSource,
    private readonly classes: OrderClassesService,
    private readonly targets: PlanTargets,
  ) {}

  async employment(actor: Actor, group: EmploymentStatsGroup, filter: OrderClassFilter): Promise<EmploymentStatsDto[]> {
    const { sql, params } = this.classes.where(actor, { ...filter, state: filter.state ?? REPORTED_STATES });
    const g = GROUPS[group];
    const rows = await this.ds.query<
      Array<{ key: string; label: string; classes: number; students: number; graduated: number; enterprise: number; elsewhere: number; study: number }>
    >(
      `SELECT ${g.key} AS key, min(${g.label}) AS label, count(DISTINCT oc.id)::int AS classes, count(st.id)::int AS students,
              count(st.id) FILTER (WHERE st.graduated)::int AS graduated,
              count(st.id) FILTER (WHERE st.graduated AND st.destination = 'enterprise')::int AS enterprise,
              count(st.id) FILTER (WHERE st.graduated AND st.destination = 'elsewhere')::int AS elsewhere,
              count(st.id) FILTER (WHERE st.graduated AND st.destination = 'further_study')::int AS study
         ${FROM_CLASSES}
         LEFT JOIN order_class_students st ON st.order_class_id = oc.id AND st.status = 'enrolled' AND st.left_on IS NULL
        WHERE ${sql} GROUP BY ${g.key} ORDER BY 1`,
      params,
    );
    return rows.map((r) => ({
      key: r.key,
      label: group === 'county' ? (countyName(r.key) ?? r.key) : r.label,
      classes: r.classes,
      students: r.students,
      graduated: r.graduated,
      employedByEnterprise: r.enterprise,
      employedElsewhere: r.elsewhere,
      furtherStudy: r.study,
      enterpriseRate: rate(r.enterprise, r.graduated),
      employmentRate: rate(r.enterprise + r.elsewhere, r.graduated),
    }));
  }

  async progress(actor: Actor): Promise<OrderClassProgressDto> {
    const { sql, params } = this.classes.where(actor, {});
    const rows = await this.ds.query<Array<{ county_code: string; filed: number; active: number; closed: number; in_progress: number }>>(
      `SELECT c.county_code,
              count(*) FILTER (WHERE c.state = ANY($${params.length + 1}))::int AS filed,
              count(*) FILTER (WHERE c.state = 'active')::int AS active,
              count(*) FILTER (WHERE c.state = 'closed')::int AS closed,
              count(*) FILTER (WHERE c.state IN ('enterprise_confirm', 'county_filing', 'returned'))::int AS in_progress
         ${FROM_CLASSES} WHERE ${sql} GROUP BY c.county_code ORDER BY c.county_code`,
      [...params, FILED_STATES],
    );
    const sum = (k: 'filed' | 'active' | 'closed' | 'in_progress') => rows.reduce((n, r) => n + r[k], 0);
    return {
      target: (await this.targets.of(this.ds.manager, ['order_classes'], null)).order_classes,
      filed: sum('filed'),
      active: sum('active'),
      closed: sum('closed'),
      inProgress: sum('in_progress'),
      byCounty: rows.map((r) => ({ countyCode: r.county_code, filed: r.filed })),
    };
  }
}
