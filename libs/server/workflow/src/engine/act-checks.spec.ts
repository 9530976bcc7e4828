import type { Role } from '@portal/contracts';
import type { Actor } from '@portal/identity';
import type { EntityManager } from 'typeorm';
import { partyOf, separationProblem } from './act-checks.js';
import type { CaseParty } from './case-access.js';
import type { CaseRow } from './case-row.js';
import type { WorkflowDefinition } from './definition.js';

/**
 * Separation of duties and parties as rules of the definition: who acts as a party, who may judge their
 * own organisation's case, and the 'distinct' and 'consecutive' judgement rules, on a three-stage flow.
 */

const SCHOOL = 10;
const HOST = 20;
const BUREAU = 30;

function flow(judgement: 'distinct' | 'consecutive'): WorkflowDefinition {
  return {
    key: 'spec-sod',
    title: '回避测试',
    resource: 'spec-sod',
    initial: 'draft',
    ownerRoles: ['teacher'],
    parties: { host: { label: '接收企业', roles: ['enterprise_applicant'] } },
    read: { ownerOrganisation: ['school_admin'] },
    separation: { judgement },
    states: {
      draft: { label: '草稿', kind: 'applicant' },
      host: { label: '企业确认', kind: 'review', actor: 'party:host' },
      first: { label: '初审', kind: 'review', role: 'city_reviewer', scope: 'city' },
      second: { label: '复审', kind: 'review', role: 'city_reviewer', scope: 'city' },
      third: { label: '终审', kind: 'review', role: 'city_reviewer', scope: 'city' },
      school: { label: '学校审核', kind: 'review', role: 'school_admin', scope: 'owner_organisation' },
      done: { label: '完成', kind: 'final', outcome: 'positive' },
    },
    transitions: [
      { from: 'draft', action: 'submit', to: 'host', label: '提交', kind: 'submit', by: ['owner_person'] },
      { from: 'host', action: 'confirm', to: 'first', label: '确认', kind: 'approve', by: ['party:host'] },
      { from: 'first', action: 'pass1', to: 'second', label: '通过', kind: 'approve', by: ['city_reviewer'] },
      { from: 'second', action: 'pass2', to: 'third', label: '通过', kind: 'approve', by: ['city_reviewer'] },
      { from: 'third', action: 'pass3', to: 'school', label: '通过', kind: 'approve', by: ['city_reviewer'] },
      { from: 'school', action: 'approve', to: 'done', label: '通过', kind: 'approve', by: ['school_admin', 'party:host'] },
    ],
  };
}

const person = (id: number, roles: Role[], organisationId: number): Actor => ({
  id,
  username: `u${id}`,
  displayName: `u${id}`,
  roles,
  organisationId,
  organisationKind: 'authority',
  organisationName: '',
  organisationCountyCode: null,
  jurisdiction: null,
});
const row = (state: string): CaseRow => ({
  id: 1,
  workflowKey: 'spec-sod',
  state,
  version: 1,
  ownerOrgId: SCHOOL,
  ownerUserId: 1,
  countyCode: '330302',
  title: '',
  createdBy: 1,
  returnedFrom: null,
  submissions: 1,
  stageEnteredAt: new Date(),
  stageDueAt: null,
  decidedAt: null,
  createdAt: new Date(),
  updatedAt: new Date(),
});

/** A transaction whose case_events hold these stage exits (newest last), by actor id. */
function emWith(exits: Array<{ from: string; to: string; actor: number; role: string }>): EntityManager {
  return {
    query: (sql: string, params: unknown[]) => {
      if (sql.includes('ORDER BY seq DESC'))
        return Promise.resolve([...exits].reverse().map((e) => ({ from_state: e.from, actor_role: e.role, actor_id: e.actor, on_behalf_of: null })));
      // actedAt: the actor's own stages
      return Promise.resolve(exits.filter((e) => e.actor === params[1]).map((e) => ({ from_state: e.from, actor_role: e.role })));
    },
  } as unknown as EntityManager;
}

const teacher = person(1, ['teacher'], SCHOOL);
const schoolAdmin = person(2, ['school_admin'], SCHOOL);
const hostUser = person(3, ['enterprise_applicant'], HOST);
const reviewer = person(4, ['city_reviewer'], BUREAU);
const parties: CaseParty[] = [{ party: 'host', organisationId: HOST, userId: null }];
const exits = [
  { from: 'host', to: 'first', actor: 3, role: 'party:host' },
  { from: 'first', to: 'second', actor: 4, role: 'city_reviewer' },
];

describe('partyOf: parties and the owner person', () => {
  const def = flow('distinct');
  const t = (action: string) => def.transitions.find((x) => x.action === action)!;

  it('the owner person submits; a colleague of the same school does not', () => {
    expect(partyOf(def, t('submit'), def.states.draft, row('draft'), teacher, parties)).toEqual({ party: 'owner_person' });
    expect(partyOf(def, t('submit'), def.states.draft, row('draft'), person(9, ['teacher'], SCHOOL), parties)).toEqual({
      reason: '只有申请人本人可以执行此操作',
    });
  });

  it('the party acts at its own stage, and not at another stage whose transition also names it', () => {
    expect(partyOf(def, t('confirm'), def.states.host, row('host'), hostUser, parties)).toEqual({ party: 'party:host' });
    expect(partyOf(def, t('approve'), def.states.school, row('school'), hostUser, parties)).toEqual({ reason: '当前阶段不由您办理' });
    expect(partyOf(def, t('confirm'), def.states.host, row('host'), person(5, ['enterprise_applicant'], 99), parties)).toEqual({
      reason: '只有接收企业可以执行此操作',
    });
  });

  it('an owner-organisation stage is worked by the role in the owner organisation only', () => {
    expect(partyOf(def, t('approve'), def.states.school, row('school'), schoolAdmin, parties)).toEqual({ party: 'school_admin' });
    expect(partyOf(def, t('approve'), def.states.school, row('school'), person(6, ['school_admin'], 77), parties)).toEqual({
      reason: '本阶段由申请人所在单位办理',
    });
  });
});

describe('separationProblem', () => {
  it('the school admin judges its own teacher at an owner-organisation stage; never their own record', async () => {
    const def = flow('distinct');
    expect(await separationProblem(emWith([]), def, row('school'), schoolAdmin, 'school_admin', parties)).toBeUndefined();
    const ownRecord = { ...row('school'), ownerUserId: schoolAdmin.id };
    expect(await separationProblem(emWith([]), def, ownRecord, schoolAdmin, 'school_admin', parties)).toBe('您是此事项的当事人，不能办理（回避）');
  });

  it('a party’s named person never judges the case in another role', async () => {
    const def = flow('distinct');
    const named: CaseParty[] = [{ party: 'host', organisationId: HOST, userId: reviewer.id }];
    expect(await separationProblem(emWith([]), def, row('first'), reviewer, 'city_reviewer', named)).toBe('您是此事项的当事人，不能办理（回避）');
  });

  it('outside an owner-organisation stage, nobody judges their own organisation’s case', async () => {
    const def = flow('distinct');
    const insider = person(7, ['city_reviewer'], SCHOOL);
    expect(await separationProblem(emWith([]), def, row('first'), insider, 'city_reviewer', parties)).toBe('不能审核本单位的申请（回避）');
  });

  it("'distinct': whoever worked one judgement stage works no other", async () => {
    const def = flow('distinct');
    expect(await separationProblem(emWith(exits), def, row('second'), reviewer, 'city_reviewer', parties)).toContain('初审');
    expect(
      await separationProblem(
        emWith([...exits, { from: 'second', to: 'third', actor: 8, role: 'city_reviewer' }]),
        def,
        row('third'),
        reviewer,
        'city_reviewer',
        parties,
      ),
    ).toContain('初审');
  });

  it("'consecutive': only the judgement stage just before is barred", async () => {
    const def = flow('consecutive');
    // the reviewer worked 初审; 复审 follows it directly: refused
    expect(await separationProblem(emWith(exits), def, row('second'), reviewer, 'city_reviewer', parties)).toBe(
      '您已在“初审”阶段办理过此事项，不能接着办理“复审”阶段',
    );
    // someone else worked 复审; the reviewer may work 终审
    const later = [...exits, { from: 'second', to: 'third', actor: 8, role: 'city_reviewer' }];
    expect(await separationProblem(emWith(later), def, row('third'), reviewer, 'city_reviewer', parties)).toBeUndefined();
    // the owner person and the party never meet the judgement rules in their own capacity
    expect(await separationProblem(emWith(exits), def, row('host'), hostUser, 'party:host', parties)).toBeUndefined();
  });
});
