import { Injectable } from '@nestjs/common';
import type { WorkflowDefinitionDto } from '@portal/contracts';
import { registerReadRule } from './case-access.js';
import type { CaseRow } from './case-row.js';
import type { StageDef, TransitionDef, WorkflowDefinition } from './definition.js';

export const RETURNED_FROM = '@returnedFrom';

/** An effect: work a transition asks for, run after commit through the outbox (idempotent). */
export type EffectHandler = (ctx: { row: CaseRow; eventId: number; params?: Record<string, unknown> }) => Promise<void>;

/** Problems with a definition, each a sentence; empty when it is sound. */
export function definitionProblems(def: WorkflowDefinition, hasEffect: (name: string) => boolean): string[] {
  const problems: string[] = [];
  const states = Object.keys(def.states);
  const known = (s: string) => s in def.states;
  if (!known(def.initial)) problems.push(`initial state ${def.initial} is not a state`);
  const seen = new Set<string>();
  const parties = def.parties ?? {};
  const knownParty = (p: string) => !p.startsWith('party:') || p.slice('party:'.length) in parties;
  for (const [k, p] of Object.entries(parties)) {
    if (!/^[a-z][a-z_]{0,39}$/.test(k)) problems.push(`party ${k}: a party key is lower case letters and _`);
    if (!p.roles.length) problems.push(`party ${k}: a party acts through at least one role`);
  }
  if (def.read && Array.isArray(def.read.ownerOrganisation) && def.read.ownerOrganisation.length === 0)
    problems.push('read: the owner organisation is read by all its users or by a non-empty list of roles');
  for (const t of def.transitions) {
    for (const p of t.by) if (!knownParty(p)) problems.push(`${t.action}: by unknown party ${p}`);
    if (t.data !== undefined && typeof t.data !== 'function') problems.push(`${t.action}: its data is a class-validator DTO class`);
    const froms = typeof t.from === 'string' ? [t.from] : t.from;
    for (const f of froms) {
      if (!known(f)) problems.push(`${t.action}: from unknown state ${f}`);
      const key = `${f}/${t.action}`;
      if (seen.has(key)) problems.push(`${t.action}: defined twice from ${f}`);
      seen.add(key);
    }
    if (t.to !== RETURNED_FROM && !known(t.to)) problems.push(`${t.action}: to unknown state ${t.to}`);
    for (const e of t.effects ?? []) if (!hasEffect(e)) problems.push(`${t.action}: effect ${e} has no handler`);
    if (t.kind === 'return' && !t.needs?.returnItems) problems.push(`${t.action}: a return must ask for the items to fix`);
    const p = t.needs?.panel;
    if (p && (p.min === undefined) === (p.minSetting === undefined))
      problems.push(`${t.action}: a panel need states its minimum either as min or as minSetting`);
  }
  for (const [key, st] of Object.entries(def.states)) {
    const out = def.transitions.filter((t) => (typeof t.from === 'string' ? [t.from] : t.from).includes(key));
    if (st.kind !== 'final' && out.length === 0) problems.push(`state ${key} is not final and has no way out`);
    // a decision stays decided: only the feature may later mark it undone (a revoked certification), through
    // a system transition to another final state that no user can take from the actions endpoint
    if (st.kind === 'final' && out.some((t) => t.by.some((p) => p !== 'system') || def.states[t.to]?.kind !== 'final'))
      problems.push(`final state ${key} has transitions out`);
    if (st.kind === 'panel' && !st.role) problems.push(`state ${key}: a panel stage needs a role`);
    if (st.kind === 'review' && !st.role && !st.actor) problems.push(`state ${key}: a review stage needs an actor (a role, a party or the owner person)`);
    if (st.kind === 'review' && st.role && st.actor) problems.push(`state ${key}: a review stage is worked by a role or by ${st.actor}, not both`);
    if (st.actor && !knownParty(st.actor)) problems.push(`state ${key}: unknown party ${st.actor}`);
    if (st.scope && !knownParty(st.scope)) problems.push(`state ${key}: scope of unknown party ${st.scope}`);
    if ((st.scope === 'owner_organisation' || st.scope?.startsWith('party:')) && !st.role)
      problems.push(`state ${key}: a scope needs the role that acts in it`);
    if (st.kind === 'final' && !st.outcome) problems.push(`state ${key}: a final state states its outcome (positive, negative or neutral)`);
    if (st.kind !== 'final' && st.outcome) problems.push(`state ${key}: only a final state has an outcome`);
    if (st.kind === 'active') {
      if (st.sla) problems.push(`state ${key}: an active stage has no SLA`);
      if (!out.some((t) => t.to !== key && t.by.some((p) => p !== 'system'))) problems.push(`state ${key}: an active stage needs an action that closes it`);
    }
    if (st.kind === 'panel') {
      if (!st.panel) problems.push(`state ${key}: a panel stage needs its panel rule`);
      for (const a of st.panel ? [st.panel.onPass, st.panel.onFail] : []) {
        if (!out.some((t) => t.action === a && t.by.includes('system'))) problems.push(`state ${key}: panel outcome ${a} is not a system transition from it`);
      }
    }
    if (st.kind === 'timed') {
      if (!st.timed) problems.push(`state ${key}: a timed stage needs its window`);
      else if (!out.some((t) => t.action === st.timed!.onExpire && t.by.includes('system')))
        problems.push(`state ${key}: ${st.timed.onExpire} is not a system transition from it`);
    }
  }
  // reachability from the initial state; a resubmission (@returnedFrom) lands where a return came from (or
  // on the initial state): a stage the case was in already, so it never reaches a stage by itself
  const returnSources = [
    def.initial,
    ...def.transitions.filter((t) => t.kind === 'return').flatMap((t) => (typeof t.from === 'string' ? [t.from] : [...t.from])),
  ];
  const reach = new Set([def.initial]);
  for (let changed = true; changed;) {
    changed = false;
    for (const t of def.transitions) {
      const froms = typeof t.from === 'string' ? [t.from] : t.from;
      if (!froms.some((f) => reach.has(f))) continue;
      const targets = t.to === RETURNED_FROM ? returnSources.filter((s) => reach.has(s)) : [t.to];
      for (const to of targets) {
        if (!reach.has(to)) {
          reach.add(to);
          changed = true;
        }
      }
    }
  }
  for (const s of states) if (!reach.has(s)) problems.push(`state ${s} cannot be reached from ${def.initial}`);
  return problems;
}

/** A feature's periodic sweep (WorkflowRegistry.sweep): answers how many cases it moved. */
export type PeriodicSweep = () => Promise<number>;

/**
 * Every workflow definition and effect handler. Features register theirs when their module starts; the
 * engine validates all definitions when the application boots and refuses to start on a bad one.
 */
@Injectable()
export class WorkflowRegistry {
  private readonly defs = new Map<string, WorkflowDefinition>();
  private readonly effects = new Map<string, EffectHandler>();
  private readonly periodic = new Map<string, PeriodicSweep>();

  define(def: WorkflowDefinition): void {
    if (this.defs.has(def.key)) throw new Error(`workflow ${def.key} defined twice`);
    this.defs.set(def.key, def);
    registerReadRule(def);
  }

  effect(name: string, handler: EffectHandler): void {
    if (this.effects.has(name)) throw new Error(`effect ${name} registered twice`);
    this.effects.set(name, handler);
  }

  /**
   * A feature's periodic sweep (e.g. closing applications whose post has ended by a system transition): the
   * engine's SLA sweep job runs it once a minute after the SLA sweep. It must be idempotent, safe with two workers
   * (lock the cases it moves, skipping locked ones) and batched; it answers how many cases it moved.
   */
  sweep(name: string, run: PeriodicSweep): void {
    if (this.periodic.has(name)) throw new Error(`sweep ${name} registered twice`);
    this.periodic.set(name, run);
  }

  /** The workflows whose cases the bureaus' reviewers read (`read.reviewers` not false): their inbox's and workload's scope. */
  reviewedKeys(): string[] {
    return this.all()
      .filter((d) => d.read?.reviewers !== false)
      .map((d) => d.key);
  }

  sweeps(): Array<[string, PeriodicSweep]> {
    return [...this.periodic.entries()];
  }

  effectHandler(name: string): EffectHandler | undefined {
    return this.effects.get(name);
  }

  get(key: string): WorkflowDefinition | undefined {
    return this.defs.get(key);
  }

  all(): WorkflowDefinition[] {
    return [...this.defs.values()];
  }

  /** Throws listing every problem of every definition. */
  validate(): void {
    const problems = this.all().flatMap((d) => definitionProblems(d, (e) => this.effects.has(e)).map((p) => `${d.key}: ${p}`));
    if (problems.length) throw new Error(`invalid workflow definitions:\n  - ${problems.join('\n  - ')}`);
  }
}

export function transitionsFrom(def: WorkflowDefinition, state: string): TransitionDef[] {
  return def.transitions.filter((t) => (typeof t.from === 'string' ? t.from === state : t.from.includes(state)));
}

export function stage(def: WorkflowDefinition, state: string): StageDef {
  const s = def.states[state];
  if (!s) throw new Error(`${def.key}: unknown state ${state}`);
  return s;
}

/** The definition as data for the web app (diagram, labels): no functions. */
export function definitionDto(def: WorkflowDefinition): WorkflowDefinitionDto {
  return {
    id: def.key,
    key: def.key,
    title: def.title,
    initial: def.initial,
    ...(def.checklist ? { checklist: def.checklist.map((c) => ({ purpose: c.purpose, label: c.label })) } : {}),
    ...(def.parties ? { parties: Object.entries(def.parties).map(([key, p]) => ({ key, label: p.label })) } : {}),
    states: Object.entries(def.states).map(([key, s]) => ({
      key,
      label: s.label,
      kind: s.kind,
      role: s.role,
      scope: s.scope,
      ...(s.actor ? { actor: s.actor } : {}),
      ...(s.outcome ? { outcome: s.outcome } : {}),
      ...(s.panel ? { criteria: s.panel.criteria } : {}),
    })),
    transitions: def.transitions.flatMap((t) =>
      (typeof t.from === 'string' ? [t.from] : [...t.from]).map((from) => ({
        from,
        action: t.action,
        to: t.to,
        label: t.label,
        kind: t.kind,
        roles: [...t.by],
      })),
    ),
  };
}
