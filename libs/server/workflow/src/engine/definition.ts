import type { ActionKind, ActionNeeds, FinalOutcome, Role, SettingKey, StageKind, StageScope, TransitionParty } from '@portal/contracts';
import type { Actor } from '@portal/identity';
import type { EntityManager } from 'typeorm';
import type { CaseRow } from './case-row.js';

/**
 * Who may take a transition: a role (in the stage's scope), the case's owner organisation (its users of
 * `ownerRoles`), the owner person (`owner_person`), a named party of the case (`party:host`: its person
 * when one is named, else its organisation's users of the party's roles), or the engine itself.
 */
export type Party = TransitionParty;

/** A named party of the definition's cases (e.g. `host`: the enterprise that hosts a teacher's practice). */
export interface PartyDef {
  label: string;
  /** the roles through which the party's organisation acts when no person of it is named on the case */
  roles: readonly Role[];
}

/**
 * Who reads the definition's cases (besides whoever holds or held a task on one): the owner person and the
 * parties (organisation or person) always; of the owner organisation, everyone ('all', certification's rule)
 * or only its users of these roles (its admins: a teacher reads their own records, the school admin all of
 * the school's); reviewers in scope (admins and city reviewers, county reviewers of the county) once the case
 * has been submitted, unless `reviewers` is false.
 */
export interface ReadRule {
  ownerOrganisation: 'all' | readonly Role[];
  reviewers?: boolean;
}

/**
 * Separation of duties, as a rule of the definition (always: nobody judges a case in which they are a
 * party as a person, and nobody judges their own organisation's case unless the stage's scope is that
 * organisation). `judgement`: 'distinct' — nobody works two different judgement stages of a case (acting
 * again at the same stage after a return is allowed; certification); 'consecutive' — nobody works two
 * consecutive judgement stages of a case.
 */
export interface SeparationRule {
  judgement: 'distinct' | 'consecutive';
}

/** What the definition's action hook sees: inside act()'s transaction, after the state changed. */
export interface ActionHookContext {
  em: EntityManager;
  /** the case before and after the transition */
  before: CaseRow;
  after: CaseRow;
  action: string;
  /** the action's data, validated against the transition's `data` class (plain JSON) */
  data: Record<string, unknown> | undefined;
  actor: Actor | null;
}

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
  /** who works a review or panel stage: users of this role in the stage's scope */
  role?: Role;
  /**
   * county: reviewers of the case's county only; city: city-level reviewers; owner_organisation: users of the
   * role in the case's owner organisation (a school approving its own teacher); party:x: users of the role
   * in that party's organisation
   */
  scope?: StageScope;
  /** a review stage worked by a party of the case (party:host) or the owner person, instead of a role */
  actor?: 'owner_person' | `party:${string}`;
  /** a final state's meaning: positive (certified), negative (refused, revoked), neutral (withdrawn) */
  outcome?: FinalOutcome;
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
  /**
   * The data the action carries (e.g. confirmed hours): a class-validator DTO class. act() validates the
   * request's `data` against it (400 naming each bad field), hands it to the definition's `onAction` hook in
   * the transaction and records it in the event. A transition without it refuses data.
   */
  data?: new () => object;
}

/** An invited organisation became a party of a case (InvitationsService.accept). */
export interface PartyAcceptedContext {
  em: EntityManager;
  caseId: number;
  party: string;
  organisationId: number;
}

export interface WorkflowDefinition {
  key: string;
  title: string;
  /** the resource the web app shows these cases under, e.g. 'certification-applications' */
  resource: string;
  initial: string;
  /** the roles through which the owner organisation acts on its cases (e.g. enterprise_applicant) */
  ownerRoles: readonly Role[];
  /** the named parties of its cases, by key (transitions name them as party:key) */
  parties?: Record<string, PartyDef>;
  /** who reads its cases; default: the whole owner organisation, reviewers in scope */
  read?: ReadRule;
  /** separation of duties; default: distinct judgement stages */
  separation?: SeparationRule;
  states: Record<string, StageDef>;
  transitions: readonly TransitionDef[];
  /**
   * The applicant's required materials, one attachment purpose each. A new file for an item that already
   * holds as many files as the setting attachments.maxPerChecklistItem allows replaces the old one.
   */
  checklist?: ReadonlyArray<{ purpose: string; label: string }>;
  /** what a submission freezes: the feature's data of the case, as plain JSON */
  snapshot?: (caseId: number, em: EntityManager) => Promise<Record<string, unknown>>;
  /** the feature's work for a user's action, inside act()'s transaction (it may write the feature's rows) */
  onAction?: (ctx: ActionHookContext) => Promise<void>;
  /** the feature's work when an invited organisation accepts to be a party, inside the acceptance's transaction */
  onPartyAccepted?: (ctx: PartyAcceptedContext) => Promise<void>;
}
