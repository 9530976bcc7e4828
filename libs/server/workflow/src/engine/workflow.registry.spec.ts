import type { StageDef, TransitionDef, WorkflowDefinition } from './definition.js';
import { WorkflowProcessors } from './workflow.processors.js';
import { definitionDto, definitionProblems, RETURNED_FROM, transitionsFrom, WorkflowRegistry } from './workflow.registry.js';

/**
 * Definitions are data, checked when the application boots (vendure's finite-state machine does the same):
 * every mistake a definition can make is named, and a sound one passes.
 */

const criteria = [{ key: 'plan', label: '三年规划', max: 100 }];

/** A small sound workflow of every kind of stage (the shape of the city certification). */
function sound(): WorkflowDefinition {
  return {
    key: 'spec-flow',
    title: '规则测试流程',
    resource: 'spec-cases',
    initial: 'draft',
    ownerRoles: ['enterprise_applicant'],
    states: {
      draft: { label: '草稿', kind: 'applicant' },
      returned: { label: '退回补正', kind: 'applicant' },
      review: { label: '审核', kind: 'review', role: 'county_reviewer', scope: 'county' },
      panel: { label: '专家评审', kind: 'panel', role: 'expert', panel: { rule: 'all', criteria, onPass: 'panel_pass', onFail: 'panel_fail' } },
      publicity: { label: '公示', kind: 'timed', timed: { workingDaysSetting: 'workflow.publicityWorkingDays', onExpire: 'publicity_end', objections: true } },
      decision: { label: '决定', kind: 'review', role: 'city_reviewer', scope: 'city' },
      approved: { label: '通过', kind: 'final', outcome: 'positive' },
      rejected: { label: '不通过', kind: 'final', outcome: 'negative' },
    },
    transitions: [
      { from: 'draft', action: 'submit', to: 'review', label: '提交', kind: 'submit', by: ['owner'] },
      { from: 'returned', action: 'resubmit', to: RETURNED_FROM, label: '重新提交', kind: 'submit', by: ['owner'] },
      { from: 'review', action: 'approve', to: 'panel', label: '通过', kind: 'approve', by: ['county_reviewer'], needs: { panel: { role: 'expert', min: 1 } } },
      {
        from: ['review', 'decision'],
        action: 'return',
        to: 'returned',
        label: '退回',
        kind: 'return',
        by: ['county_reviewer', 'city_reviewer'],
        needs: { returnItems: true },
      },
      { from: 'panel', action: 'score', to: 'panel', label: '评分', kind: 'score', by: ['expert'], needs: { score: { criteria } } },
      { from: 'panel', action: 'panel_pass', to: 'publicity', label: '评审通过', kind: 'system', by: ['system'] },
      { from: 'panel', action: 'panel_fail', to: 'rejected', label: '评审未通过', kind: 'system', by: ['system'] },
      { from: 'publicity', action: 'publicity_end', to: 'decision', label: '公示期满', kind: 'system', by: ['system'] },
      { from: 'decision', action: 'certify', to: 'approved', label: '认定', kind: 'approve', by: ['city_reviewer'], effects: ['spec.certify'] },
      { from: 'decision', action: 'decline', to: 'rejected', label: '不予认定', kind: 'reject', by: ['city_reviewer'], needs: { comment: 'required' } },
    ],
  };
}

const effects = new Set(['spec.certify']);
const problemsOf = (def: WorkflowDefinition) => definitionProblems(def, (e) => effects.has(e));

/** The sound definition with some states replaced or added and some transitions changed. */
function variant(change: {
  states?: Record<string, StageDef | undefined>;
  transitions?: (ts: TransitionDef[]) => TransitionDef[];
  initial?: string;
}): WorkflowDefinition {
  const base = sound();
  const states = { ...base.states };
  for (const [k, v] of Object.entries(change.states ?? {})) {
    if (v) states[k] = v;
    else delete states[k];
  }
  return {
    ...base,
    initial: change.initial ?? base.initial,
    states,
    transitions: change.transitions ? change.transitions([...base.transitions]) : base.transitions,
  };
}

describe('definitionProblems', () => {
  it('finds nothing wrong with a sound definition', () => {
    expect(problemsOf(sound())).toEqual([]);
  });

  it('names an unreachable state', () => {
    const def = variant({ states: { archive: { label: '归档', kind: 'final', outcome: 'negative' } } });
    expect(problemsOf(def)).toEqual(['state archive cannot be reached from draft']);
  });

  it('names a transition to an unknown state, and one from an unknown state', () => {
    const def = variant({
      transitions: (ts) => [
        ...ts.filter((t) => t.action !== 'decline'),
        { from: 'decision', action: 'decline', to: 'refused', label: '不予认定', kind: 'reject', by: ['city_reviewer'], needs: { comment: 'required' } },
        { from: 'limbo', action: 'revive', to: 'draft', label: '恢复', kind: 'other', by: ['admin'] },
      ],
    });
    const problems = problemsOf(def);
    expect(problems).toContain('decline: to unknown state refused');
    expect(problems).toContain('revive: from unknown state limbo');
  });

  it('names an effect that has no handler', () => {
    const def = variant({ transitions: (ts) => ts.map((t) => (t.action === 'certify' ? { ...t, effects: ['spec.certify', 'spec.send-flowers'] } : t)) });
    expect(problemsOf(def)).toEqual(['certify: effect spec.send-flowers has no handler']);
  });

  it('names a non-final state with no way out (and a final state with one)', () => {
    const def = variant({
      states: { hold: { label: '暂缓', kind: 'review', role: 'city_reviewer', scope: 'city' } },
      transitions: (ts) => [
        ...ts,
        { from: 'decision', action: 'hold', to: 'hold', label: '暂缓', kind: 'other', by: ['city_reviewer'] },
        { from: 'approved', action: 'reopen', to: 'decision', label: '重开', kind: 'other', by: ['admin'] },
      ],
    });
    const problems = problemsOf(def);
    expect(problems).toContain('state hold is not final and has no way out');
    expect(problems).toContain('final state approved has transitions out');
  });

  it('lets a final state go on only by a system transition to another final state (a revocation)', () => {
    const revocable = variant({
      states: { revoked: { label: '已撤销', kind: 'final', outcome: 'negative' } },
      transitions: (ts) => [...ts, { from: 'approved', action: 'revoke', to: 'revoked', label: '撤销', kind: 'system', by: ['system'] }],
    });
    expect(problemsOf(revocable)).toEqual([]);
    const backToReview = variant({
      transitions: (ts) => [...ts, { from: 'approved', action: 'reopen', to: 'decision', label: '重开', kind: 'system', by: ['system'] }],
    });
    expect(problemsOf(backToReview)).toContain('final state approved has transitions out');
  });

  it('names a panel stage whose outcomes are not system transitions from it', () => {
    const noSystem = variant({ transitions: (ts) => ts.map((t) => (t.action === 'panel_pass' ? { ...t, by: ['city_reviewer'] } : t)) });
    expect(problemsOf(noSystem)).toEqual(['state panel: panel outcome panel_pass is not a system transition from it']);
    const missing = variant({ transitions: (ts) => ts.filter((t) => t.action !== 'panel_fail') });
    expect(problemsOf(missing)).toEqual(['state panel: panel outcome panel_fail is not a system transition from it']);
    const noRule = variant({ states: { panel: { label: '专家评审', kind: 'panel', role: 'expert' } } });
    expect(problemsOf(noRule)).toContain('state panel: a panel stage needs its panel rule');
  });

  it('names a timed stage without its window or without its system way out', () => {
    const noWindow = variant({ states: { publicity: { label: '公示', kind: 'timed' } } });
    expect(problemsOf(noWindow)).toEqual(['state publicity: a timed stage needs its window']);
    const wrongAction = variant({
      states: {
        publicity: { label: '公示', kind: 'timed', timed: { workingDaysSetting: 'workflow.publicityWorkingDays', onExpire: 'close', objections: false } },
      },
    });
    expect(problemsOf(wrongAction)).toEqual(['state publicity: close is not a system transition from it']);
  });

  it('names a return that does not ask for the items to fix', () => {
    const def = variant({ transitions: (ts) => ts.map((t) => (t.action === 'return' ? { ...t, needs: { comment: 'optional' as const } } : t)) });
    expect(problemsOf(def)).toEqual(['return: a return must ask for the items to fix']);
  });

  it('names a review stage without a role, a transition defined twice from a state, and a bad initial state', () => {
    const def = variant({
      initial: 'start',
      states: { review: { label: '审核', kind: 'review' } },
      transitions: (ts) => [...ts, { from: 'draft', action: 'submit', to: 'review', label: '再提交', kind: 'submit', by: ['owner'] }],
    });
    const problems = problemsOf(def);
    expect(problems).toContain('initial state start is not a state');
    expect(problems).toContain('state review: a review stage needs an actor (a role, a party or the owner person)');
    expect(problems).toContain('submit: defined twice from draft');
  });

  it('a resubmission to @returnedFrom reaches only the stages a return comes from', () => {
    // 'recheck' could be entered only by a resubmission after a return from it, and nothing returns from it
    const def = variant({
      states: { recheck: { label: '复查', kind: 'review', role: 'city_reviewer', scope: 'city' } },
      transitions: (ts) => [...ts, { from: 'recheck', action: 'pass', to: 'decision', label: '通过', kind: 'approve', by: ['city_reviewer'] }],
    });
    expect(problemsOf(def)).toEqual(['state recheck cannot be reached from draft']);
    // returning from it does not help: a resubmission lands only where the case already was
    const returning = variant({
      states: { recheck: { label: '复查', kind: 'review', role: 'city_reviewer', scope: 'city' } },
      transitions: (ts) => [
        ...ts,
        { from: 'recheck', action: 'pass', to: 'decision', label: '通过', kind: 'approve', by: ['city_reviewer'] },
        { from: 'recheck', action: 'send_back', to: 'returned', label: '退回', kind: 'return', by: ['city_reviewer'], needs: { returnItems: true } },
      ],
    });
    expect(problemsOf(returning)).toEqual(['state recheck cannot be reached from draft']);
    // entered by an ordinary transition, it is reachable
    const entered = variant({
      states: { recheck: { label: '复查', kind: 'review', role: 'city_reviewer', scope: 'city' } },
      transitions: (ts) => [
        ...ts,
        { from: 'recheck', action: 'pass', to: 'decision', label: '通过', kind: 'approve', by: ['city_reviewer'] },
        { from: 'decision', action: 'recheck', to: 'recheck', label: '复查', kind: 'other', by: ['city_reviewer'] },
      ],
    });
    expect(problemsOf(entered)).toEqual([]);
  });
});

/** A sound workflow of the other shape: a person owns it, a party co-signs, the owner organisation approves, an active stage runs. */
function practice(): WorkflowDefinition {
  return {
    key: 'spec-practice',
    title: '实践测试流程',
    resource: 'spec-practices',
    initial: 'draft',
    ownerRoles: ['teacher'],
    parties: { host: { label: '接收企业', roles: ['enterprise_applicant'] } },
    read: { ownerOrganisation: ['school_admin'], reviewers: false },
    separation: { judgement: 'consecutive' },
    states: {
      draft: { label: '草稿', kind: 'applicant' },
      host_confirm: { label: '企业确认', kind: 'review', actor: 'party:host' },
      school: { label: '学校审核', kind: 'review', role: 'school_admin', scope: 'owner_organisation' },
      running: { label: '实践中', kind: 'active', role: 'school_admin', scope: 'owner_organisation' },
      done: { label: '完成', kind: 'final', outcome: 'positive' },
      withdrawn: { label: '撤回', kind: 'final', outcome: 'neutral' },
    },
    transitions: [
      { from: 'draft', action: 'submit', to: 'host_confirm', label: '提交', kind: 'submit', by: ['owner_person'] },
      { from: 'draft', action: 'withdraw', to: 'withdrawn', label: '撤回', kind: 'withdraw', by: ['owner_person'] },
      { from: 'host_confirm', action: 'confirm', to: 'school', label: '确认', kind: 'approve', by: ['party:host'], data: class Hours {} },
      { from: 'school', action: 'approve', to: 'running', label: '通过', kind: 'approve', by: ['school_admin'] },
      { from: 'running', action: 'record', to: 'running', label: '登记变更', kind: 'other', by: ['owner_person'] },
      { from: 'running', action: 'close', to: 'done', label: '结束', kind: 'approve', by: ['school_admin'] },
    ],
  };
}

describe('definitionProblems: parties, scopes, active stages, outcomes', () => {
  const problems = (change: (d: WorkflowDefinition) => WorkflowDefinition) => definitionProblems(change(practice()), () => true);

  it('finds nothing wrong with a sound definition of the other shape', () => {
    expect(problems((d) => d)).toEqual([]);
  });

  it('names a transition by an unknown party, a stage worked by an unknown party and a scope of an unknown party', () => {
    expect(
      problems((d) => ({
        ...d,
        states: {
          ...d.states,
          host_confirm: { label: '企业确认', kind: 'review', actor: 'party:mentor' },
          school: { label: '学校审核', kind: 'review', role: 'school_admin', scope: 'party:guest' },
        },
        transitions: d.transitions.map((t) => (t.action === 'confirm' ? { ...t, by: ['party:hots'] } : t)),
      })),
    ).toEqual(['confirm: by unknown party party:hots', 'state host_confirm: unknown party party:mentor', 'state school: scope of unknown party party:guest']);
  });

  it('names a review stage without an actor, and one with both a role and a party', () => {
    expect(
      problems((d) => ({
        ...d,
        states: {
          ...d.states,
          host_confirm: { label: '企业确认', kind: 'review' },
          school: { label: '学校审核', kind: 'review', role: 'school_admin', actor: 'party:host', scope: 'owner_organisation' },
        },
      })),
    ).toEqual([
      'state host_confirm: a review stage needs an actor (a role, a party or the owner person)',
      'state school: a review stage is worked by a role or by party:host, not both',
    ]);
  });

  it('names an active stage with no way out, or with an SLA', () => {
    expect(problems((d) => ({ ...d, transitions: d.transitions.filter((t) => t.action !== 'close') }))).toEqual([
      'state running: an active stage needs an action that closes it',
      'state done cannot be reached from draft',
    ]);
    expect(problems((d) => ({ ...d, states: { ...d.states, running: { ...d.states.running, sla: 'workflow.reviewWorkingDays' } } }))).toEqual([
      'state running: an active stage has no SLA',
    ]);
  });

  it('names a final state without an outcome and an outcome on a stage that is not final', () => {
    expect(
      problems((d) => ({
        ...d,
        states: { ...d.states, done: { label: '完成', kind: 'final' }, draft: { label: '草稿', kind: 'applicant', outcome: 'neutral' } },
      })),
    ).toEqual(['state draft: only a final state has an outcome', 'state done: a final state states its outcome (positive, negative or neutral)']);
  });

  it('names a scope without the role that acts in it, a party without roles, an empty read list, and data that is not a class', () => {
    expect(
      problems((d) => ({
        ...d,
        parties: { host: { label: '接收企业', roles: [] } },
        read: { ownerOrganisation: [] },
        states: { ...d.states, school: { label: '学校审核', kind: 'review', actor: 'owner_person', scope: 'owner_organisation' } },
        transitions: d.transitions.map((t) => (t.action === 'confirm' ? { ...t, data: { hours: 1 } as never } : t)),
      })),
    ).toEqual([
      'party host: a party acts through at least one role',
      'read: the owner organisation is read by all its users or by a non-empty list of roles',
      'confirm: its data is a class-validator DTO class',
      'state school: a scope needs the role that acts in it',
    ]);
  });

  it('definitionDto carries the parties, the stage actors and the final outcomes for the web app', () => {
    const dto = definitionDto(practice());
    expect(dto.parties).toEqual([{ key: 'host', label: '接收企业' }]);
    expect(dto.states.find((s) => s.key === 'host_confirm')).toMatchObject({ actor: 'party:host' });
    expect(dto.states.filter((s) => s.kind === 'final').map((s) => [s.key, s.outcome])).toEqual([
      ['done', 'positive'],
      ['withdrawn', 'neutral'],
    ]);
    expect(dto.transitions.find((t) => t.action === 'confirm')?.roles).toEqual(['party:host']);
  });
});

describe('WorkflowRegistry', () => {
  const bad = () =>
    variant({
      states: { archive: { label: '归档', kind: 'final', outcome: 'negative' } },
      transitions: (ts) => ts.map((t) => (t.action === 'certify' ? { ...t, effects: ['spec.certify', 'spec.missing'] } : t)),
    });

  it('validates a sound definition whose effects are registered', () => {
    const registry = new WorkflowRegistry();
    registry.define(sound());
    registry.effect('spec.certify', async () => {});
    expect(() => registry.validate()).not.toThrow();
  });

  it('throws listing every problem of every definition, each under its key', () => {
    const registry = new WorkflowRegistry();
    registry.define(bad());
    registry.define({ ...sound(), key: 'spec-other' });
    registry.effect('spec.certify', async () => {});
    let message = '';
    try {
      registry.validate();
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message.split('\n')).toEqual([
      'invalid workflow definitions:',
      '  - spec-flow: certify: effect spec.missing has no handler',
      '  - spec-flow: state archive cannot be reached from draft',
    ]);
  });

  it('an effect handler missing from the registry fails validation even when the definition is otherwise sound', () => {
    const registry = new WorkflowRegistry();
    registry.define(sound());
    expect(() => registry.validate()).toThrow('spec-flow: certify: effect spec.certify has no handler');
  });

  it('refuses a key or an effect registered twice', () => {
    const registry = new WorkflowRegistry();
    registry.define(sound());
    expect(() => registry.define(sound())).toThrow('workflow spec-flow defined twice');
    registry.effect('spec.certify', async () => {});
    expect(() => registry.effect('spec.certify', async () => {})).toThrow('effect spec.certify registered twice');
  });

  it('the engine validates at boot: its bootstrap hook throws on a bad definition', () => {
    const registry = new WorkflowRegistry();
    registry.define(bad());
    registry.effect('spec.certify', async () => {});
    const processors = new WorkflowProcessors(
      null as never,
      null as never,
      registry,
      null as never,
      null as never,
      null as never,
      null as never,
      null as never,
      null as never,
    );
    expect(() => processors.onApplicationBootstrap()).toThrow(/invalid workflow definitions:[\s\S]*state archive cannot be reached/);
  });
});

describe('definitions as data', () => {
  it('transitionsFrom finds single- and multi-source transitions', () => {
    expect(
      transitionsFrom(sound(), 'decision')
        .map((t) => t.action)
        .sort(),
    ).toEqual(['certify', 'decline', 'return']);
    expect(transitionsFrom(sound(), 'approved')).toEqual([]);
  });

  it('definitionDto has no functions and one edge per source state', () => {
    const dto = definitionDto(sound());
    expect(JSON.parse(JSON.stringify(dto))).toEqual(dto);
    expect(dto.transitions.filter((t) => t.action === 'return').map((t) => t.from)).toEqual(['review', 'decision']);
    // a panel stage carries its scoring criteria, so the web app can label scores
    expect(dto.states.find((s) => s.key === 'panel')).toEqual({ key: 'panel', label: '专家评审', kind: 'panel', role: 'expert', scope: undefined, criteria });
  });
});
