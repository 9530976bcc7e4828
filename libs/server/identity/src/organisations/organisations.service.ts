import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { FieldProblem, OrganisationKind } from '@portal/contracts';
import { DomainException, listPage, textSearch, type ListSpec, type RawListQuery } from '@portal/core';
import { Brackets, Repository, type EntityManager } from 'typeorm';
import { forbiddenOrganisationFields, inScope, organisationScope } from '../auth/access.rules.js';
import { isAdmin, type Actor } from '../auth/actor.js';
import type { CreateOrganisationDto, UpdateOrganisationDto } from '../dto/identity.dto.js';
import { OrganisationEntity } from '../entities/organisation.entity.js';
import { definedEntries } from './changes.js';

const LIST: ListSpec<OrganisationEntity> = {
  sortable: { id: 'o.id', name: 'o.name', kind: 'o.kind', countyCode: 'o.county_code', industry: 'o.industry', createdAt: 'o.created_at' },
  filters: {
    id: 'o.id',
    kind: 'o.kind',
    countyCode: 'o.county_code',
    industry: 'o.industry',
    schoolType: 'o.school_type',
    authorityType: 'o.authority_type',
    creditCode: 'o.credit_code',
    q: textSearch('o.name', 'o.credit_code', 'o.address'),
  },
  defaultSort: { field: 'id', order: 'ASC' },
};

/** Which fields each kind of organisation must have, and which it must not. */
function kindProblems(o: Partial<OrganisationEntity> & { kind: OrganisationKind }): FieldProblem[] {
  const p: FieldProblem[] = [];
  const need = (field: keyof OrganisationEntity, msg: string) => {
    if (o[field] === null || o[field] === undefined) p.push({ field, messages: [msg] });
  };
  const none = (field: keyof OrganisationEntity, msg: string) => {
    if (o[field] !== null && o[field] !== undefined) p.push({ field, messages: [msg] });
  };
  if (o.kind === 'enterprise') {
    need('creditCode', '企业必须填写统一社会信用代码');
    need('countyCode', '企业必须选择所在县（市、区）');
    need('industry', '企业必须选择所属产业');
  } else {
    none('industry', '只有企业可以选择所属产业');
  }
  if (o.kind === 'school') need('schoolType', '学校必须选择办学类型');
  else none('schoolType', '只有学校可以选择办学类型');
  if (o.kind === 'authority') need('authorityType', '主管部门必须选择部门类型');
  else none('authorityType', '只有主管部门可以选择部门类型');
  return p;
}

@Injectable()
export class OrganisationsService {
  constructor(@InjectRepository(OrganisationEntity) private readonly repo: Repository<OrganisationEntity>) {}

  async list(actor: Actor, raw: RawListQuery, reply: { header(n: string, v: string): unknown }): Promise<OrganisationEntity[]> {
    const qb = this.repo.createQueryBuilder('o');
    const scope = organisationScope(actor);
    if (!scope.all) {
      qb.andWhere(
        new Brackets((b) => {
          b.where('o.id IN (:...scopeOrgs)', { scopeOrgs: scope.organisationIds });
          if (scope.countyCodes.length) b.orWhere('o.county_code IN (:...scopeCounties)', { scopeCounties: scope.countyCodes });
        }),
      );
    }
    return listPage(qb, raw, LIST, reply, 'organisations');
  }

  /** One organisation the actor may read; anything else is a 404 (we do not confirm it exists). */
  async get(actor: Actor, id: number): Promise<OrganisationEntity> {
    const org = await this.repo.findOneBy({ id });
    if (!org || !inScope(organisationScope(actor), org)) throw DomainException.notFound('单位');
    return org;
  }

  async create(actor: Actor, dto: CreateOrganisationDto, em: EntityManager = this.repo.manager): Promise<OrganisationEntity> {
    if (!isAdmin(actor)) throw DomainException.forbidden('只有管理员可以新建单位；企业请通过注册页面自行注册');
    const values = Object.fromEntries(definedEntries(dto)) as Partial<OrganisationEntity> & { kind: OrganisationKind };
    const problems = kindProblems(values);
    if (problems.length) throw DomainException.validation(problems.map((p) => p.messages[0]).join('；'), problems);
    await this.assertCreditCodeFree(values.creditCode ?? null, null, em);
    return em.getRepository(OrganisationEntity).save(em.getRepository(OrganisationEntity).create(values));
  }

  async update(actor: Actor, id: number, dto: UpdateOrganisationDto): Promise<OrganisationEntity> {
    const org = await this.get(actor, id);
    // only fields whose value changes count as writes (react-admin sends whole records)
    const changes = Object.fromEntries(definedEntries(dto).filter(([k, v]) => (org as unknown as Record<string, unknown>)[k] !== v));
    const forbidden = forbiddenOrganisationFields(actor, org, changes);
    if (forbidden.length) throw DomainException.forbidden(`无权修改单位的以下字段：${forbidden.join('、')}`);
    if (!Object.keys(changes).length) return org;
    const next = { ...org, ...changes };
    const problems = kindProblems(next);
    if (problems.length) throw DomainException.validation(problems.map((p) => p.messages[0]).join('；'), problems);
    if ('creditCode' in changes) await this.assertCreditCodeFree(next.creditCode, org.id);
    await this.repo.update(id, changes);
    return this.repo.findOneByOrFail({ id });
  }

  async remove(actor: Actor, id: number): Promise<OrganisationEntity> {
    if (!isAdmin(actor)) throw DomainException.forbidden('只有管理员可以删除单位');
    const org = await this.get(actor, id);
    const [{ n }] = await this.repo.query<Array<{ n: number }>>('SELECT count(*)::int AS n FROM users WHERE organisation_id = $1', [id]);
    if (n > 0) throw DomainException.conflict(`该单位仍有 ${n} 个用户，不能删除`);
    await this.repo.delete(id);
    return org;
  }

  /** The names of the organisations of one kind by id (for reports: no access rule, names are not personal data). */
  async namesOfKind(kind: OrganisationKind, em: EntityManager = this.repo.manager): Promise<Map<number, string>> {
    const rows = await em.getRepository(OrganisationEntity).find({ where: { kind }, select: { id: true, name: true } });
    return new Map(rows.map((r) => [r.id, r.name]));
  }

  /** One organisation of a kind, or null (for reports). */
  async findOfKind(id: number, kind: OrganisationKind, em: EntityManager = this.repo.manager): Promise<OrganisationEntity | null> {
    return em.getRepository(OrganisationEntity).findOneBy({ id, kind });
  }

  /** The authority (an education bureau…) of this name, or null (e.g. the issuer of the city's reports). */
  async authorityNamed(name: string, em: EntityManager = this.repo.manager): Promise<OrganisationEntity | null> {
    return em.getRepository(OrganisationEntity).findOneBy({ kind: 'authority', name });
  }

  async assertCreditCodeFree(code: string | null, exceptId: number | null, em: EntityManager = this.repo.manager, field = 'creditCode'): Promise<void> {
    if (!code) return;
    const other = await em.getRepository(OrganisationEntity).findOneBy({ creditCode: code });
    if (other && other.id !== exceptId) {
      throw new DomainException('DUPLICATE', '该统一社会信用代码已注册', [{ field, messages: ['该统一社会信用代码已注册'] }]);
    }
  }
}
