/**
 * Who may take which action on a case, written from DOMAIN.md ("Who uses it", the three workflows) and DESIGN.md
 * ("The spine", separation of duties), as plain data and one function — deliberately not importing the product's
 * definitions or rule functions, so that the security drill (tests/e2e/authorization-oracle.test.ts) compares two
 * independent readings of the policy.
 */

export type Role = 'admin' | 'city_reviewer' | 'county_reviewer' | 'expert' | 'finance' | 'enterprise_applicant' | 'school_admin' | 'teacher';
export type Workflow = 'certification' | 'order-class' | 'practice-record' | 'practice-application';

/** Who takes a transition: the owner organisation (its users of the owner roles), the owner person, the named party, or a role. */
type By = 'owner' | 'owner_person' | 'party' | Role;

interface Stage {
  kind: 'applicant' | 'review' | 'panel' | 'timed' | 'active' | 'final';
  /** who works a review/panel/active stage: this role… */
  role?: Role;
  /** …in this scope: reviewers of the case's county, city-level reviewers (no county), the owner organisation */
  scope?: 'county' | 'city' | 'owner_organisation';
  /** a review stage worked by the named party instead of a role */
  byParty?: boolean;
  /** putting decided cases on notice is clerical: no separation of duties */
  clerical?: boolean;
}

interface Transition {
  from: string[];
  action: string;
  by: By[];
  /** the action depends on the case's data too (a complete form, a roster): see PoolCase.ready */
  guarded?: boolean;
}

interface Policy {
  ownerRoles: Role[];
  /** the roles through which the party's organisation acts when no person of it is named */
  partyRoles: Role[];
  /** which users of the owner organisation read its cases: all, or its school admins only */
  ownerReaders: 'all' | Role[];
  /** reviewers (admin, city, the county's reviewers) read submitted cases */
  reviewersRead: boolean;
  /** separation of duties between judgement stages: never two different ones, or never two consecutive ones */
  judgement: 'distinct' | 'consecutive';
  stages: Record<string, Stage>;
  transitions: Transition[];
}

const REVIEW: Stage['kind'][] = ['review', 'panel'];

/** 产教融合型企业认定 (DOMAIN.md §1): enterprise → county 初审/推荐 → city 复核 → panel (会签) → 公示 → 认定. */
const CERTIFICATION: Policy = {
  ownerRoles: ['enterprise_applicant'],
  partyRoles: [],
  ownerReaders: 'all',
  reviewersRead: true,
  judgement: 'distinct',
  stages: {
    draft: { kind: 'applicant' },
    returned: { kind: 'applicant' },
    county_review: { kind: 'review', role: 'county_reviewer', scope: 'county' },
    city_review: { kind: 'review', role: 'city_reviewer', scope: 'city' },
    panel: { kind: 'panel', role: 'expert' },
    publicity_pending: { kind: 'review', role: 'city_reviewer', scope: 'city', clerical: true },
    publicity: { kind: 'timed' },
    decision: { kind: 'review', role: 'city_reviewer', scope: 'city' },
    certified: { kind: 'final' },
    revoked: { kind: 'final' },
    not_certified: { kind: 'final' },
    rejected: { kind: 'final' },
    withdrawn: { kind: 'final' },
  },
  transitions: [
    { from: ['draft'], action: 'submit', by: ['owner'], guarded: true },
    { from: ['returned'], action: 'resubmit', by: ['owner'], guarded: true },
    { from: ['draft', 'returned', 'county_review', 'city_review', 'panel', 'publicity_pending'], action: 'withdraw', by: ['owner'] },
    { from: ['county_review'], action: 'recommend', by: ['county_reviewer'] },
    { from: ['county_review', 'city_review', 'decision'], action: 'return', by: ['county_reviewer', 'city_reviewer'] },
    { from: ['county_review', 'city_review'], action: 'reject', by: ['county_reviewer', 'city_reviewer'] },
    { from: ['city_review'], action: 'send_to_panel', by: ['city_reviewer'] },
    { from: ['panel'], action: 'appoint', by: ['city_reviewer'] },
    { from: ['panel'], action: 'score', by: ['expert'] },
    { from: ['panel'], action: 'recuse', by: ['expert'] },
    { from: ['publicity_pending'], action: 'publicize', by: ['city_reviewer'] },
    // an open objection blocks the decision: the pool's cases have none
    { from: ['decision'], action: 'certify', by: ['city_reviewer'], guarded: true },
    { from: ['decision'], action: 'decline', by: ['city_reviewer'] },
  ],
};

/** 订单班 (DOMAIN.md §2): school drafts → enterprise co-signs → county bureau files → active → completion report. */
const ORDER_CLASS: Policy = {
  ownerRoles: ['school_admin'],
  partyRoles: ['enterprise_applicant'],
  ownerReaders: ['school_admin'],
  reviewersRead: true,
  judgement: 'distinct',
  stages: {
    draft: { kind: 'applicant' },
    returned: { kind: 'applicant' },
    enterprise_confirm: { kind: 'review', byParty: true },
    county_filing: { kind: 'review', role: 'county_reviewer', scope: 'county' },
    active: { kind: 'active', role: 'school_admin', scope: 'owner_organisation' },
    reporting: { kind: 'active', role: 'school_admin', scope: 'owner_organisation' },
    closed: { kind: 'final' },
    terminated: { kind: 'final' },
    not_filed: { kind: 'final' },
    withdrawn: { kind: 'final' },
  },
  transitions: [
    { from: ['draft'], action: 'submit', by: ['owner'], guarded: true },
    { from: ['returned'], action: 'resubmit', by: ['owner'], guarded: true },
    { from: ['draft', 'returned', 'enterprise_confirm', 'county_filing'], action: 'withdraw', by: ['owner'] },
    { from: ['enterprise_confirm'], action: 'confirm', by: ['party'] },
    { from: ['enterprise_confirm', 'county_filing'], action: 'return', by: ['party', 'county_reviewer'] },
    { from: ['county_filing'], action: 'file', by: ['county_reviewer'] },
    { from: ['county_filing'], action: 'refuse', by: ['county_reviewer'] },
    { from: ['active'], action: 'record_leave', by: ['owner'] },
    { from: ['active'], action: 'record_join', by: ['owner'] },
    { from: ['active'], action: 'finish', by: ['owner'], guarded: true },
    { from: ['active'], action: 'terminate', by: ['owner'] },
    { from: ['reporting'], action: 'report', by: ['owner'], guarded: true },
  ],
};

/** 教师入企实践 (DOMAIN.md §3): teacher logs → host enterprise confirms the hours → the teacher's school approves. */
const PRACTICE: Policy = {
  ownerRoles: ['teacher'],
  partyRoles: ['enterprise_applicant'],
  ownerReaders: ['school_admin'],
  // bureaus see totals, not records
  reviewersRead: false,
  judgement: 'consecutive',
  stages: {
    draft: { kind: 'applicant' },
    returned: { kind: 'applicant' },
    host_confirm: { kind: 'review', byParty: true },
    school_approval: { kind: 'review', role: 'school_admin', scope: 'owner_organisation' },
    counted: { kind: 'final' },
    rejected: { kind: 'final' },
    withdrawn: { kind: 'final' },
  },
  transitions: [
    { from: ['draft'], action: 'submit', by: ['owner_person'] },
    { from: ['returned'], action: 'resubmit', by: ['owner_person'] },
    { from: ['draft', 'returned', 'host_confirm'], action: 'withdraw', by: ['owner_person'] },
    { from: ['host_confirm'], action: 'confirm', by: ['party'] },
    { from: ['host_confirm', 'school_approval'], action: 'return', by: ['party', 'school_admin'] },
    { from: ['school_approval'], action: 'approve', by: ['school_admin'] },
    { from: ['school_approval'], action: 'reject', by: ['school_admin'] },
  ],
};

/** 千企万岗岗位申请 (task 47): the teacher applies → the teacher's school lets them go → the post's enterprise accepts. */
const APPLICATION: Policy = {
  ownerRoles: ['teacher'],
  partyRoles: ['enterprise_applicant'],
  ownerReaders: ['school_admin'],
  // the bureaus do not follow the handshake
  reviewersRead: false,
  judgement: 'consecutive',
  stages: {
    draft: { kind: 'applicant' },
    applied: { kind: 'review', role: 'school_admin', scope: 'owner_organisation' },
    school_approved: { kind: 'review', byParty: true },
    accepted: { kind: 'final' },
    school_declined: { kind: 'final' },
    declined: { kind: 'final' },
    withdrawn: { kind: 'final' },
    // closed by the engine when the post's period is over
    post_ended: { kind: 'final' },
  },
  transitions: [
    { from: ['applied'], action: 'school_approve', by: ['school_admin'] },
    { from: ['applied'], action: 'school_decline', by: ['school_admin'] },
    { from: ['school_approved'], action: 'accept', by: ['party'] },
    { from: ['school_approved'], action: 'decline', by: ['party'] },
    { from: ['applied', 'school_approved'], action: 'withdraw', by: ['owner_person'] },
  ],
};

export const POLICIES: Record<Workflow, Policy> = {
  certification: CERTIFICATION,
  'order-class': ORDER_CLASS,
  'practice-record': PRACTICE,
  'practice-application': APPLICATION,
};

/** Actions the engine takes itself (timers, a completed panel, a revocation, an import): no user takes them. */
export const SYSTEM_ACTIONS: Record<Workflow, string[]> = {
  certification: ['panel_pass', 'panel_fail', 'publicity_end', 'revoke'],
  'order-class': [],
  'practice-record': ['import_approved'],
  // applying opens the case and takes it at once, in one request (POST /api/practice-applications)
  'practice-application': ['apply', 'expire'],
};

export const ALL_ACTIONS: string[] = [
  ...new Set([...Object.values(POLICIES).flatMap((p) => p.transitions.map((t) => t.action)), ...Object.values(SYSTEM_ACTIONS).flat(), 'fly_away']),
];

export const stagesOf = (wf: Workflow): string[] => Object.keys(POLICIES[wf].stages);

export interface OracleUser {
  id: number;
  roles: Role[];
  organisationId: number;
  /** the county of a county-level role; null: city-wide */
  jurisdiction: string | null;
}

/** A case as the oracle knows it: stage, ownership, party, panel seats, who worked which stage, what its data allows. */
export interface OracleCase {
  workflow: Workflow;
  stage: string;
  ownerOrgId: number;
  county: string;
  /** the owner person (a teacher's practice record) */
  ownerUserId: number | null;
  /** the named party: its organisation, and its person when one is named */
  party: { organisationId: number; userId: number | null } | null;
  /** whether it has ever been submitted (reviewers never see a draft) */
  submitted: boolean;
  /** experts holding an open panel seat (the current sitting) */
  seats: number[];
  /** judgement stages already worked on this case, by whom, in order */
  worked: Array<{ userId: number; stage: string }>;
  /** guarded actions whose data condition holds (complete form, students on the roster, no open objection) */
  ready: string[];
}

/**
 * What the API answers when `user` asks for `action` on `c`: ok (2xx), notRead (404: the case is not theirs to see,
 * nor its existence), unknown (400: no such action in the workflow), stage (409: not an action of this stage, or one
 * only the system takes), forbidden (403: not theirs to take), notReady (409: theirs, but the data is not ready).
 */
export type Verdict = 'ok' | 'notRead' | 'unknown' | 'stage' | 'forbidden' | 'notReady';

export function mayRead(u: OracleUser, c: OracleCase): boolean {
  const p = POLICIES[c.workflow];
  if (u.organisationId === c.ownerOrgId && (p.ownerReaders === 'all' || u.roles.some((r) => (p.ownerReaders as Role[]).includes(r)))) return true;
  if (c.ownerUserId === u.id) return true;
  // a party reads: its organisation (all its users) and its named person
  if (c.party && (c.party.organisationId === u.organisationId || c.party.userId === u.id)) return true;
  // whoever holds or held a task (a panel seat)
  if (c.seats.includes(u.id)) return true;
  if (p.reviewersRead && c.submitted) {
    if (u.roles.includes('admin') || u.roles.includes('city_reviewer')) return true;
    if (u.roles.includes('county_reviewer') && u.jurisdiction === c.county) return true;
  }
  return false;
}

/** Whether the user is the case's party: its named person, else a user of its organisation in the party's roles. */
function isParty(p: Policy, u: OracleUser, c: OracleCase): boolean {
  if (!c.party) return false;
  if (c.party.userId !== null) return c.party.userId === u.id;
  return c.party.organisationId === u.organisationId && u.roles.some((r) => p.partyRoles.includes(r));
}

/** Whether the user works the stage by its role in its scope. */
function worksStage(st: Stage, u: OracleUser, c: OracleCase): boolean {
  if (!st.role || !u.roles.includes(st.role)) return false;
  if (st.scope === 'county') return u.jurisdiction === c.county;
  if (st.scope === 'city') return u.jurisdiction === null;
  if (st.scope === 'owner_organisation') return u.organisationId === c.ownerOrgId;
  return true;
}

/** Separation of duties for a user acting in a role (DESIGN.md: nobody reviews their own organisation's case, nor works two judgement stages). */
function separated(p: Policy, st: Stage, role: Role, u: OracleUser, c: OracleCase): boolean {
  // a person who is a party of the case (its owner person, the party's named person) never judges it
  if (c.ownerUserId === u.id || c.party?.userId === u.id) return false;
  // nobody reviews their own organisation's case, unless the stage is that organisation's own (a school approving its teacher)
  if (u.organisationId === c.ownerOrgId && st.scope !== 'owner_organisation') return false;
  const judging = REVIEW.includes(st.kind) && st.role === role && !st.clerical;
  if (!judging) return true;
  const judged = (s: string) => REVIEW.includes(p.stages[s].kind) && !p.stages[s].clerical;
  if (p.judgement === 'distinct') return !c.worked.some((w) => w.userId === u.id && w.stage !== c.stage && judged(w.stage));
  const previous = [...c.worked].reverse().find((w) => w.stage !== c.stage && judged(w.stage));
  return previous?.userId !== u.id;
}

/** Whether the user may take the transition as one of its takers. */
function takes(p: Policy, t: Transition, u: OracleUser, c: OracleCase): boolean {
  const st = p.stages[c.stage];
  return t.by.some((by) => {
    if (by === 'owner') return u.organisationId === c.ownerOrgId && u.roles.some((r) => p.ownerRoles.includes(r));
    if (by === 'owner_person') return c.ownerUserId === u.id;
    // a party acts at the stage it works, or at one that is nobody's judgement
    if (by === 'party') return isParty(p, u, c) && (st.byParty === true || !REVIEW.includes(st.kind));
    const role = by;
    if (!u.roles.includes(role)) return false;
    // a review stage is worked by its own role only, in its scope
    if (st.kind === 'review' && st.role !== role) return false;
    if (['review', 'panel', 'active'].includes(st.kind) && st.role === role) {
      if (!worksStage(st, u, c)) return false;
    } else if (role === 'county_reviewer' && u.jurisdiction !== c.county) return false;
    if (!separated(p, st, role, u, c)) return false;
    // a panel member scores (or recuses) only on a seat they hold
    if (st.kind === 'panel' && role === st.role && !c.seats.includes(u.id)) return false;
    return true;
  });
}

export function verdict(u: OracleUser, c: OracleCase, action: string): Verdict {
  const p = POLICIES[c.workflow];
  if (!mayRead(u, c)) return 'notRead';
  const known = p.transitions.some((t) => t.action === action) || SYSTEM_ACTIONS[c.workflow].includes(action);
  if (!known) return 'unknown';
  const t = p.transitions.find((x) => x.action === action && x.from.includes(c.stage));
  if (!t) return 'stage';
  if (!takes(p, t, u, c)) return 'forbidden';
  if (t.guarded && !c.ready.includes(action)) return 'notReady';
  return 'ok';
}

/**
 * The oracle of the drill, in the brief's terms: may a user of these roles, organisation and jurisdiction take
 * `action` on a case of this workflow (its stage, its ownership and party, its history) — true exactly when the
 * API answers 2xx.
 */
export function mayAct(u: OracleUser, c: OracleCase, action: string): boolean {
  return verdict(u, c, action) === 'ok';
}

/** The HTTP status the actions endpoint answers for each verdict. */
export const VERDICT_STATUS: Record<Verdict, number> = { ok: 200, notRead: 404, unknown: 400, stage: 409, forbidden: 403, notReady: 409 };
