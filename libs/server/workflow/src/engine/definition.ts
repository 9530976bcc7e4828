import type { ActionKind, ActionNeeds, Role, SettingKey, StageKind } from '@portal/contracts';
import type { Actor } from '@portal/identity';
import type { EntityManager } from 'typeorm';
import type { CaseRow } from './case-row.js';

/** Who may take a transition: a role, the case's owner organisation, or the engine itself (timers, panels). */
export type Party = Role | 'owner' | 'system';

export interface PanelStage {
  /** 'all': every member scores; { k }: the first k scores decide */
  rule: 'all' | { k: number };
  criteria: Array<{ key: string; label: string; max: number }>;
  /** setting holding the pass mark on the average total score */
  passMarkSetting?: SettingKey;
  /** setting holding the minimum number of panel members */
  minMembersSetting?: SettingKey;
  /** actions the engine takes when the panel completes */
  onPass: string;
  onFail: string;
}

export interface TimedStage {
  /** setting holding the number of working days the window stays open */
  workingDaysSetting: SettingKey;
  /** action the engine takes when the window closes */
  onExpire: string;
  /** the public may lodge objections while the window is open; an open one blocks onExpire's guard */
  objections: boolean;
}

export interface StageDef {
  label: string;
  kind: StageKind;
  /** who works a review or panel stage */
  role?: Role;
  /** county: reviewers of the case's county only; city: city-level reviewers */
  scope?: 'county' | 'city';
  /** the stage's SLA in working days (a setting key or a number of days) */
  sla?: SettingKey;
  /** who is told when the SLA passes */
  supervisorRole?: Role;
  panel?: PanelStage;
  timed?: TimedStage;
  /**
   * A clerical step (e.g. putting decided-upon cases on public notice) rather than a judgement: separation
   * of duties does not count acting here as working a review stage.
   */
  clerical?: boolean;
}

/** What a guard sees: the case, who acts, the request, and a transaction to read with. */
export interface GuardContext {
  row: CaseRow;
  actor: Actor | null;
  em: EntityManager;
  request: { items?: string[]; scores?: Record<string, number>; panel?: number[]; comment?: string };
}

/** A guard answers undefined when the transition may go ahead, or the reason (Chinese) it may not. */
export type Guard = (ctx: GuardContext) => string | undefined | Promise<string | undefined>;

/**
 * What a transition asks of the request, as the definition states it: like the web's ActionNeeds, except
 * that a panel's minimum may be a setting (a policy number), resolved when the actions are answered.
 */
export interface TransitionNeeds extends Omit<ActionNeeds, 'panel' | 'returnTargets'> {
  /** appoint panel members: at least `min` (a structural number, e.g. 1 to supplement) or the setting `minSetting` */
  panel?: { role: Role; min?: number; minSetting?: SettingKey };
}

export interface TransitionDef {
  from: string | readonly string[];
  action: string;
  /** the next state, or '@returnedFrom': back to the stage that returned the case for 补正 */
  to: string;
  label: string;
  kind: ActionKind;
  by: readonly Party[];
  guards?: readonly Guard[];
  /** effect names, run after commit through the outbox (each must have a registered handler) */
  effects?: readonly string[];
  needs?: TransitionNeeds;
}

export interface WorkflowDefinition {
  key: string;
  title: string;
  /** the resource the web app shows these cases under, e.g. 'certification-applications' */
  resource: string;
  initial: string;
  /** the roles through which the owner organisation acts on its cases (e.g. enterprise_applicant) */
  ownerRoles: readonly Role[];
  states: Record<string, StageDef>;
  transitions: readonly TransitionDef[];
  /**
   * The applicant's required materials, one attachment purpose each. A new file for an item that already
   * holds as many files as the setting attachments.maxPerChecklistItem allows replaces the old one.
   */
  checklist?: ReadonlyArray<{ purpose: string; label: string }>;
  /** what a submission freezes: the feature's data of the case, as plain JSON */
  snapshot?: (caseId: number, em: EntityManager) => Promise<Record<string, unknown>>;
}
