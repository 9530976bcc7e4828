import { ROLE_LABELS, type Role } from './roles.js';

/**
 * How a stage is worked: by the applicant, one reviewer (or a party), a countersigning panel, a timer (公示),
 * or `active`: a long-running stage without an SLA (an order class while it runs) whose actions keep it
 * active or close it.
 */
export type StageKind = 'applicant' | 'review' | 'panel' | 'timed' | 'active' | 'final';

/** What a final state means for the applicant: the web app reads this instead of guessing from names. */
export type FinalOutcome = 'positive' | 'negative' | 'neutral';

/**
 * Where a stage's actors come from: reviewers of the case's county, city-level reviewers, the owner
 * organisation's users of the role, or a party's organisation (`party:host`).
 */
export type StageScope = 'county' | 'city' | 'owner_organisation' | `party:${string}`;

/** Who may take a transition: a role, the owner organisation, the owner person, a named party, or the engine. */
export type TransitionParty = Role | 'owner' | 'owner_person' | `party:${string}` | 'system';

/** What a transition means, for wording, colours and the rules attached to each kind. */
export type ActionKind = 'submit' | 'approve' | 'return' | 'reject' | 'withdraw' | 'score' | 'recuse' | 'system' | 'other';

export interface WorkflowStateDto {
  key: string;
  label: string;
  kind: StageKind;
  /** who works the stage (review and panel stages) */
  role?: Role;
  /** county: only reviewers of the case's county; city: city-level reviewers; the owner organisation; a party's */
  scope?: StageScope;
  /** a stage worked by a party or the owner person rather than a role */
  actor?: 'owner_person' | `party:${string}`;
  /** a final state's meaning */
  outcome?: FinalOutcome;
  slaWorkingDays?: number;
  /** a panel stage's scoring criteria */
  criteria?: Array<{ key: string; label: string; max: number }>;
}

export interface WorkflowTransitionDto {
  from: string;
  action: string;
  to: string;
  label: string;
  kind: ActionKind;
  roles: TransitionParty[];
}

export interface WorkflowDefinitionDto {
  /** the key again, as react-admin names a record */
  id: string;
  key: string;
  title: string;
  initial: string;
  /** the applicant's required materials (attachment purposes), when the workflow has a checklist */
  checklist?: Array<{ purpose: string; label: string }>;
  /** the named parties of its cases (e.g. host → 接收企业) */
  parties?: Array<{ key: string; label: string }>;
  states: WorkflowStateDto[];
  transitions: WorkflowTransitionDto[];
}

/** What the web app must ask for before it can send an action. */
export interface ActionNeeds {
  comment?: 'required' | 'optional';
  /** return for 补正: the list of items to fix, a deadline, and which earlier stage gets the case */
  returnItems?: boolean;
  returnTargets?: Array<{ state: string; label: string }>;
  /** the 补正 deadline offered (YYYY-MM-DD, Asia/Shanghai): today plus the setting workflow.correctionDays */
  returnDeadline?: string;
  /** panel scoring: one score per criterion */
  score?: { criteria: Array<{ key: string; label: string; max: number }> };
  /** appoint the panel: choose members */
  panel?: { role: Role; min: number };
}

export interface AllowedAction {
  action: string;
  label: string;
  kind: ActionKind;
  needs: ActionNeeds;
}

export interface ActionRequest {
  action: string;
  comment?: string;
  /** the version the user saw; a stale one is a 409 */
  version?: number;
  /** return for 补正 */
  items?: string[];
  deadline?: string;
  target?: string;
  /** panel scores by criterion key */
  scores?: Record<string, number>;
  /** panel members appointed (user ids) */
  panel?: number[];
  /** act for an absent colleague who delegated to the actor */
  onBehalfOf?: number;
  /** the action's own data, when its transition declares it (e.g. confirmed hours) */
  data?: Record<string, unknown>;
}

/**
 * A case as list rows carry it: what one page loads in a fixed number of statements (`= ANY($1)`), whatever
 * its size. What the viewer may do (allowedActions, whoCanAct, noActionReasons) is on the detail only.
 */
export interface CaseListSummaryDto {
  ref: string;
  caseId: number;
  workflowKey: string;
  state: string;
  stateLabel: string;
  version: number;
  ownerOrgId: number;
  countyCode: string | null;
  title: string;
  /** the person who owns the case (a teacher's practice record), when the workflow has one */
  ownerUserId: number | null;
  /** the case's named parties (organisation, person, or an invitation not yet taken up) */
  parties: CasePartyDto[];
  submissions: number;
  /** when the case entered its current stage (how long it has waited there) */
  stageEnteredAt: string;
  stageDueAt: string | null;
  /** objections still open on a 公示 stage: they hold the case until a city reviewer resolves them */
  openObjections: number;
  /** the open return for 补正, if any: what to fix and by when */
  openReturn: { items: string[]; deadline: string | null; fromState: string } | null;
}

/** A case as its detail view shows it to the viewer: the list summary and what this viewer may do now. */
export interface CaseSummaryDto extends CaseListSummaryDto {
  allowedActions: AllowedAction[];
  /** when allowedActions is empty: why this user has nothing to do here (Chinese sentences) */
  noActionReasons: string[];
  /**
   * the actions that are this user's to take but whose conditions are not met yet, each with the condition's reason
   * (a draft's 提交 while a required field or file is missing), so that the page can say what is left to do
   */
  blockedActions: BlockedAction[];
  /** who can move the case on at its current stage (names only where this viewer may know them) */
  whoCanAct: StageActorDto[];
}

/** A case summary inside a feature's record: the light one in list rows, the full one on the detail view. */
export type CaseSummaryInRecord = CaseListSummaryDto & Partial<Pick<CaseSummaryDto, 'allowedActions' | 'noActionReasons' | 'blockedActions' | 'whoCanAct'>>;

/** An action of the viewer's that a condition holds back for now, and the condition's reason in words. */
export interface BlockedAction {
  action: string;
  label: string;
  reason: string;
}

/** Whether a summary is the detail view's (with what the viewer may do) rather than a list row's. */
export function isFullCaseSummary(c: CaseSummaryInRecord | undefined): c is CaseSummaryDto {
  return !!c && Array.isArray(c.allowedActions) && Array.isArray(c.noActionReasons) && Array.isArray(c.whoCanAct);
}

/** A named party of a case: its organisation (or the invited credit code until the invitation is accepted) and person. */
export interface CasePartyDto {
  party: string;
  label: string;
  organisationId: number | null;
  organisationName: string | null;
  userId: number | null;
  userName: string | null;
  /** an organisation invited by credit code and e-mail that has not accepted the invitation yet */
  invited: boolean;
  /** while invited: the invited credit code, and until when the mailed invitation can be accepted (null until it is mailed) */
  invitedCreditCode: string | null;
  invitationExpiresAt: string | null;
  /**
   * when the organisation joined by accepting an invitation (null: named by the owner): shown to those who judge the
   * case, since the inviter chose the address the invitation went to
   */
  acceptedAt: string | null;
}

/** An invitation's one-time token as its mail's link carries it: 32 random bytes, base64url. */
export const INVITATION_TOKEN = /^[A-Za-z0-9_-]{43}$/;

/**
 * An invitation by credit code as its one-time token shows it (POST /api/invitations/lookup): the token, mailed to
 * the invited address, is what proves the invited organisation, so it is all that is needed to read this.
 */
export interface InvitationDto {
  creditCode: string;
  /** the organisation that invited (the case's owner) */
  inviter: string;
  /** the workflow's and the case's titles, and the part the invited organisation is asked to take (接收企业, 合作企业) */
  workflowTitle: string;
  title: string;
  partyLabel: string;
  expiresAt: string;
  status: 'pending' | 'accepted' | 'expired';
  /** whether an organisation has registered with the credit code (then: log in with it to accept; else register first) */
  registered: boolean;
}

/** The case an accepted invitation made the organisation a party to. */
export interface InvitationAcceptedDto {
  caseId: number;
  caseRef: string;
  workflowKey: string;
  title: string;
}

/** A role (or the applicant, or the engine's timer) that can act at a case's current stage, with the people who can. */
export interface StageActorDto {
  role: Role | 'owner' | 'owner_person' | 'system' | `party:${string}`;
  /** the role in Chinese (市级审核, 评审专家, 申请单位…) */
  label: string;
  /** display names of the people who may act now; empty when the viewer may not know them (the applicant, a sitting panel) */
  people: string[];
}

export interface CaseEventDto {
  id: number;
  seq: number;
  actorId: number | null;
  actorName: string | null;
  actorRole: string | null;
  onBehalfOf: number | null;
  onBehalfOfName: string | null;
  action: string;
  fromState: string | null;
  toState: string;
  comment: string | null;
  payload: unknown;
  at: string;
  hash: string;
}

export interface TaskDto {
  id: number;
  caseRef: string;
  caseId: number;
  caseTitle: string;
  workflowKey: string;
  state: string;
  stateLabel: string;
  kind: 'review' | 'panel' | 'applicant';
  /**
   * the stage's role; `owner` for the applicant's own task (a returned case to correct); `party:<key>` where a party
   * of the case works the stage (the enterprise confirming an order class)
   */
  role: Role | 'owner' | `party:${string}`;
  countyCode: string | null;
  assigneeId: number | null;
  status: 'open' | 'done' | 'cancelled';
  dueAt: string | null;
  overdue: boolean;
  createdAt: string;
  /** whether this user may claim the task now (an open, unclaimed review task of a stage they may work) */
  claimable: boolean;
  /** why this user may not work the task (separation of duties, jurisdiction…), or null */
  blockedReason: string | null;
  /** whether this user may hand the task to someone else (admins; city reviewers for the bureaus' stages; a colleague with the role for an organisation's own stage) */
  reassignable: boolean;
}

export interface NotificationDto {
  id: number;
  kind: string;
  title: string;
  body: string | null;
  caseId: number | null;
  readAt: string | null;
  createdAt: string;
}

/** How a value differs between two submissions; a checklist file swapped for another is 'replaced'. */
export type DiffChange = 'added' | 'removed' | 'changed' | 'replaced';

export interface DiffEntry {
  path: string;
  change: DiffChange;
  before: unknown;
  after: unknown;
}

/**
 * The one attachment purpose on the review side: a reviewer's or expert's file to go with their opinion.
 * Every other purpose (the checklist, 补正材料, 其他) is the applicant's to upload.
 */
export const REVIEW_ATTACHMENT_PURPOSE = 'review_opinion';

export interface AttachmentDto {
  id: number;
  caseId: number;
  purpose: string | null;
  filename: string;
  mime: string;
  size: number;
  sha256: string;
  uploadedBy: number;
  createdAt: string;
  /** set on a file removed or replaced after a submission froze it (kept for that submission's history) */
  removedAt?: string | null;
  /** the file that replaced it */
  replacedBy?: number | null;
}

export interface ObjectionDto {
  id: number;
  caseId: number;
  name: string;
  phone: string;
  idNumberMasked: string | null;
  content: string;
  status: 'open' | 'upheld' | 'dismissed';
  resolution: string | null;
  resolvedAt: string | null;
  createdAt: string;
}

/** One delegation of a reviewer's tasks to a colleague for a period. */
export interface DelegationDto {
  id: number;
  principalId: number;
  delegateId: number;
  delegateName: string;
  principalName: string;
  startsAt: string;
  endsAt: string;
  reason: string | null;
}

/** The answer to resolving several objections at once: each one's own outcome. */
export interface BatchResolveResult {
  results: Array<{ id: number; ok: boolean; status: number; message?: string }>;
}

/** One day of the working-day calendar that differs from the week's rule: a holiday or a working weekend day. */
export interface CalendarDayRow {
  id: string;
  day: string;
  kind: 'holiday' | 'workday';
  name: string | null;
}

/** Whether a case's event chain is intact: each event's hash and its link to the one before. */
export interface ChainVerdict {
  valid: boolean;
  events: number;
  /** the first event whose hash or link does not match, if any */
  brokenAt?: { seq: number; reason: string };
}

/** The application content frozen at one submission. */
export interface SnapshotDto {
  seq: number;
  submittedAt: string;
  submittedBy: number;
  data: unknown;
}

/** What changed between two submissions of a case. */
export interface CaseDiffDto {
  from: number;
  to: number;
  changes: DiffEntry[];
}

/** One step of a simple status history (a 千企万岗 application's, a target's): who did what, and when. */
export interface StatusEventDto {
  action: string;
  actorName: string | null;
  from?: string | null;
  to?: string;
  comment?: string | null;
  before?: unknown;
  after?: unknown;
  at: string;
}

/** Who works a task, in words: the reviewer role, the applicant, or a party of the case. */
export function taskRoleLabel(role: TaskDto['role']): string {
  if (role === 'owner') return '申请方';
  if (role.startsWith('party:')) return '案件参与方';
  return ROLE_LABELS[role as Role]?.zh ?? role;
}
