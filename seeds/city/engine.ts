import { canonicalJson, type WorkflowDefinition } from '@portal/workflow';
import type { EntityManager } from 'typeorm';

/**
 * The engine's tables of a generated city (cases, case_parties, case_events, tasks, case_snapshots,
 * case_returns, timers): written with set-based SQL from a plan of cases and the paths they took.
 *
 * A path is a list of actions walked through the feature's own workflow definition, here in memory
 * (`simulatePath`): what the engine's act() would have left — state, version, submissions, the tasks each
 * stage opened and how they closed, the snapshots and returns — is computed once per path, then every case
 * on that path gets it in SQL. Events carry the engine's own hash chain (event-chain.ts's eventHash,
 * recomputed in SQL with sha256 over the same canonical JSON), so verifyChain holds for every case.
 * It follows the engine's migrations up to SeedRuns1795930000001: a migration that changes these tables
 * must change this file too.
 */

/** Who takes a step: resolved per case (owner, owner person, party, county reviewer, school admin) or a fixed user. */
export type Slot = 'owner' | 'owner_person' | 'party' | 'county' | 'school' | 'city' | 'city2' | 'expert1' | 'expert2' | 'expert3' | 'system';

export interface PathStep {
  action: string;
  by: Slot;
  /** the role the event records */
  role: string | null;
  comment?: string;
  /** the event's payload; strings '§name§' become the case's number of that name (hours, cert, subsidy, amount) */
  payload?: Record<string, unknown>;
  /** return items (a return step) */
  items?: string[];
  /** score (a panel score step) */
  score?: Record<string, number>;
  /** an event beside the transitions (recordEvent: a subsidy paid, recovered): state and version stay */
  event?: boolean;
}

export interface CasePath {
  key: string;
  steps: PathStep[];
}

/** What one path leaves, computed once. */
interface Simulated {
  key: string;
  state: string;
  version: number;
  submissions: number;
  returnedFrom: string | null;
  final: boolean;
  /** the seq (1-based; 1 = create) of the transition that entered the current stage */
  enteredSeq: number;
  events: Array<{
    seq: number;
    action: string;
    slot: Slot | 'creator';
    role: string | null;
    from: string | null;
    to: string;
    comment: string | null;
    payload: string | null;
  }>;
  tasks: Array<{
    openedSeq: number;
    closedSeq: number | null;
    closedBy: Slot | null;
    state: string;
    kind: 'review' | 'panel' | 'applicant';
    role: string;
    scope: 'county' | 'city' | 'owner_org' | 'party' | 'owner';
    assignee: Slot | null;
    status: 'open' | 'done' | 'cancelled';
    outcome: string | null;
    score: string | null;
    due: boolean;
  }>;
  snapshots: Array<{ seq: number; submission: number; by: Slot }>;
  returns: Array<{ seq: number; from: string; to: string; items: string; by: Slot; resolvedSeq: number | null }>;
  /** a timed stage's timer: fired when the stage's expiry moved the case on, cancelled when another action did */
  timers: Array<{ seq: number; state: string; closedSeq: number | null; fired: boolean }>;
}

const PANEL_SLOTS: Slot[] = ['expert1', 'expert2', 'expert3'];

/** Walk a path through the definition as act() would; throws on a step the definition does not allow. */
export function simulatePath(def: WorkflowDefinition, path: CasePath): Simulated {
  let state = def.initial;
  let version = 1;
  let submissions = 0;
  let returnedFrom: string | null = null;
  let enteredSeq = 1;
  const out: Simulated = {
    key: path.key,
    state,
    version,
    submissions,
    returnedFrom,
    final: false,
    enteredSeq,
    events: [{ seq: 1, action: 'create', slot: 'creator', role: null, from: null, to: state, comment: null, payload: null }],
    tasks: [],
    snapshots: [],
    returns: [],
    timers: [],
  };
  for (const [i, step] of path.steps.entries()) {
    const seq = i + 2;
    if (step.event) {
      out.events.push({
        seq,
        action: step.action,
        slot: step.by,
        role: step.role,
        from: state,
        to: state,
        comment: step.comment ?? null,
        payload: payloadText(step.payload),
      });
      continue;
    }
    const t = def.transitions.find((x) => x.action === step.action && (Array.isArray(x.from) ? x.from.includes(state) : x.from === state));
    if (!t) throw new Error(`demo city: ${def.key} path ${path.key}: no "${step.action}" from ${state}`);
    const target: string = t.to === '@returnedFrom' ? returnedFrom! : t.to;
    const payload: Record<string, unknown> = { ...(step.payload ?? {}) };
    if (step.items) payload.items = step.items;
    if (step.score) payload.scores = step.score;
    const st = def.states[state];
    const open = out.tasks.filter((x) => x.status === 'open' && x.state === state);
    if (target !== state) {
      for (const tm of out.timers) {
        if (tm.state === state && tm.closedSeq === null)
          Object.assign(tm, { closedSeq: seq, fired: step.by === 'system' && def.states[state].timed?.onExpire === step.action });
      }
    }
    if (t.kind === 'score') {
      const seat = open.find((x) => x.kind === 'panel' && x.assignee === step.by);
      if (!seat) throw new Error(`demo city: ${path.key}: ${step.by} has no seat`);
      Object.assign(seat, { status: 'done', closedSeq: seq, closedBy: step.by, outcome: 'scored', score: JSON.stringify(step.score ?? {}) });
    } else if (target !== state) {
      // leaveStage: the actor's task (or the unclaimed task of the kind they work) is done, the rest cancelled
      const works = step.by === 'owner' || step.by === 'owner_person' ? 'applicant' : step.by === 'system' ? null : 'review';
      for (const x of open) {
        const mine = x.assignee === step.by || (x.assignee === null && works !== null && x.kind === works);
        Object.assign(x, { status: mine ? 'done' : 'cancelled', closedSeq: seq, closedBy: step.by === 'system' ? null : step.by, outcome: step.action });
      }
    }
    if (t.kind === 'submit') {
      submissions += 1;
      out.snapshots.push({ seq, submission: submissions, by: step.by });
      for (const r of out.returns) r.resolvedSeq ??= seq;
      payload.submission = submissions;
    }
    if (t.kind === 'return') {
      returnedFrom = state;
      // as the engine: a return to an earlier review stage is recorded closed (nothing for the applicant to answer)
      const toApplicant = def.states[target].kind === 'applicant';
      out.returns.push({ seq, from: state, to: target, items: JSON.stringify(step.items ?? []), by: step.by, resolvedSeq: toApplicant ? null : seq });
    }
    if (t.needs?.panel && step.by !== 'system') payload.panel = '§panel§';
    version += 1;
    if (target !== state) {
      enteredSeq = seq;
      const next = def.states[target];
      if (next.kind === 'review') {
        const scope =
          next.scope === 'county' ? 'county' : next.scope === 'owner_organisation' ? 'owner_org' : next.actor?.startsWith('party:') ? 'party' : 'city';
        out.tasks.push(task(seq, target, 'review', (next.role ?? next.actor)!, scope, null, true));
      } else if (next.kind === 'panel') {
        for (const e of PANEL_SLOTS) out.tasks.push(task(seq, target, 'panel', next.role!, 'city', e, true));
      } else if (next.kind === 'timed') {
        out.timers.push({ seq, state: target, closedSeq: null, fired: false });
      } else if (next.kind === 'applicant' && t.kind === 'return') {
        out.tasks.push(task(seq, target, 'applicant', 'owner', 'owner', 'owner_person', false));
      }
    }
    void st;
    out.events.push({
      seq,
      action: step.action,
      slot: step.by,
      role: step.role,
      from: state,
      to: target,
      comment: step.comment ?? null,
      payload: Object.keys(payload).length ? payloadText(payload) : null,
    });
    state = target;
  }
  return { ...out, state, version, submissions, returnedFrom, enteredSeq, final: def.states[state].kind === 'final' };
}

function task(
  seq: number,
  state: string,
  kind: 'review' | 'panel' | 'applicant',
  role: string,
  scope: Simulated['tasks'][number]['scope'],
  assignee: Slot | null,
  due: boolean,
): Simulated['tasks'][number] {
  return { openedSeq: seq, closedSeq: null, closedBy: null, state, kind, role, scope, assignee, status: 'open', outcome: null, score: null, due };
}

/** The payload as canonicalJson writes it, with '§name§' placeholders left bare for SQL to fill with numbers. */
function payloadText(p: Record<string, unknown> | undefined): string | null {
  if (!p) return null;
  return canonicalJson(p).replace(/"§(\w+)§"/g, '§$1§');
}

/** One case of the plan: who owns it, who acts in it, when it started and how fast it moved. */
export interface PlannedCase {
  caseId: number;
  path: string;
  ownerOrgId: number;
  countyCode: string | null;
  title: string;
  createdBy: number;
  creatorRole: string;
  ownerUserId: number | null;
  party: { key: string; orgId: number; userId: number | null } | null;
  countyReviewerId: number | null;
  schoolAdminId: number | null;
  /** epoch seconds of the create event */
  t0: number;
  /** seconds between two events */
  gap: number;
  /** numbers the path's payload placeholders take */
  hours?: number | null;
  cert?: number | null;
  subsidy?: number | null;
  amount?: number | null;
  /** further placeholders '§name§' of the path's payloads, numbers or strings (a record's level and document number) */
  vars?: Record<string, string | number>;
}

/** Reserve `count` ids of a table's identity (the seed holds the table locked: nobody else takes one meanwhile). */
export async function reserveIds(em: EntityManager, table: string, count: number): Promise<number> {
  await em.query(`LOCK TABLE ${table} IN EXCLUSIVE MODE`);
  const [{ base }] = await em.query<Array<{ base: string }>>(
    `SELECT greatest((SELECT coalesce(max(id), 0) FROM ${table}), (SELECT CASE WHEN is_called THEN last_value ELSE last_value - 1 END FROM ${seqName(table)}))::bigint AS base`,
  );
  const start = Number(base) + 1;
  if (count > 0) await em.query(`SELECT setval($1, $2)`, [seqName(table), start + count - 1]);
  return start;
}

function seqName(table: string): string {
  return `${table}_id_seq`;
}

/**
 * Insert rows through unnest, in batches: one statement per batch, whatever the number of rows. `opts.into` and
 * `opts.select` name the table's columns and the expressions over the unnested columns (u.<name>) when they differ.
 */
export async function insertRows(
  em: EntityManager,
  table: string,
  columns: Record<string, string>,
  rows: unknown[][],
  opts: { into?: string; select?: string; extra?: string } = {},
): Promise<void> {
  const names = Object.keys(columns);
  const types = Object.values(columns);
  for (let at = 0; at < rows.length; at += 20_000) {
    const batch = rows.slice(at, at + 20_000);
    const arrays = names.map((_, i) => batch.map((r) => r[i] ?? null));
    await em.query(
      `INSERT INTO ${table} (${opts.into ?? names.join(', ')}) SELECT ${opts.select ?? '*'} FROM unnest(${types.map((t, i) => `$${i + 1}::${t}[]`).join(', ')}) AS u(${names.join(', ')}) ${opts.extra ?? ''}`,
      arrays,
    );
  }
}

/**
 * Write the cases of a plan (all of one workflow) with their parties, events (hash-chained), tasks, snapshots,
 * returns and timers. `fixed` maps the fixed slots (city, city2, experts) to user ids.
 */
export async function writeCases(
  em: EntityManager,
  def: WorkflowDefinition,
  paths: CasePath[],
  plan: PlannedCase[],
  fixed: Partial<Record<Slot, number>>,
): Promise<void> {
  if (!plan.length) return;
  const sims = paths.map((p) => simulatePath(def, p));
  const panel = PANEL_SLOTS.map((s) => fixed[s]).filter((x) => x !== undefined);
  await em.query(`DROP TABLE IF EXISTS city_plan, city_steps, city_tasks, city_paths, city_actors`);
  await em.query(`
    CREATE TEMP TABLE city_plan (case_id bigint PRIMARY KEY, path text, owner_org_id int, county_code text, title text, created_by int, creator_role text,
      owner_user_id int, party_key text, party_org_id int, party_user_id int, county_reviewer_id int, school_admin_id int, t0 timestamptz, gap int,
      hours bigint, cert bigint, subsidy bigint, amount bigint, vars jsonb) ON COMMIT DROP;
    CREATE TEMP TABLE city_steps (path text, seq int, action text, slot text, role text, from_state text, to_state text, comment text, payload text,
      PRIMARY KEY (path, seq)) ON COMMIT DROP;
    CREATE TEMP TABLE city_tasks (path text, opened_seq int, closed_seq int, closed_by text, state text, kind text, role text, scope text, assignee text,
      status text, outcome text, score text, due boolean) ON COMMIT DROP;
    CREATE TEMP TABLE city_paths (path text PRIMARY KEY, state text, version int, events int, submissions int, returned_from text, final boolean, entered_seq int,
      stage_due boolean, snapshots jsonb, returns jsonb, timers jsonb) ON COMMIT DROP;
    CREATE TEMP TABLE city_actors (slot text PRIMARY KEY, user_id int) ON COMMIT DROP;
  `);
  await insertRows(
    em,
    'city_plan',
    {
      case_id: 'bigint',
      path: 'text',
      owner_org_id: 'int',
      county_code: 'text',
      title: 'text',
      created_by: 'int',
      creator_role: 'text',
      owner_user_id: 'int',
      party_key: 'text',
      party_org_id: 'int',
      party_user_id: 'int',
      county_reviewer_id: 'int',
      school_admin_id: 'int',
      t0: 'timestamptz',
      gap: 'int',
      hours: 'bigint',
      cert: 'bigint',
      subsidy: 'bigint',
      amount: 'bigint',
      vars: 'jsonb',
    },
    plan.map((c) => [
      c.caseId,
      c.path,
      c.ownerOrgId,
      c.countyCode,
      c.title,
      c.createdBy,
      c.creatorRole,
      c.ownerUserId,
      c.party?.key,
      c.party?.orgId,
      c.party?.userId,
      c.countyReviewerId,
      c.schoolAdminId,
      new Date(c.t0 * 1000).toISOString(),
      c.gap,
      c.hours,
      c.cert,
      c.subsidy,
      c.amount,
      c.vars ? JSON.stringify(c.vars) : null,
    ]),
  );
  await insertRows(
    em,
    'city_steps',
    { path: 'text', seq: 'int', action: 'text', slot: 'text', role: 'text', from_state: 'text', to_state: 'text', comment: 'text', payload: 'text' },
    sims.flatMap((s) =>
      s.events.map((e) => [s.key, e.seq, e.action, e.slot, e.role, e.from, e.to, e.comment, e.payload?.replace('§panel§', JSON.stringify(panel)) ?? null]),
    ),
  );
  await insertRows(
    em,
    'city_tasks',
    {
      path: 'text',
      opened_seq: 'int',
      closed_seq: 'int',
      closed_by: 'text',
      state: 'text',
      kind: 'text',
      role: 'text',
      scope: 'text',
      assignee: 'text',
      status: 'text',
      outcome: 'text',
      score: 'text',
      due: 'boolean',
    },
    sims.flatMap((s) =>
      s.tasks.map((t) => [s.key, t.openedSeq, t.closedSeq, t.closedBy, t.state, t.kind, t.role, t.scope, t.assignee, t.status, t.outcome, t.score, t.due]),
    ),
  );
  await insertRows(
    em,
    'city_paths',
    {
      path: 'text',
      state: 'text',
      version: 'int',
      events: 'int',
      submissions: 'int',
      returned_from: 'text',
      final: 'boolean',
      entered_seq: 'int',
      stage_due: 'boolean',
      snapshots: 'jsonb',
      returns: 'jsonb',
      timers: 'jsonb',
    },
    sims.map((s) => [
      s.key,
      s.state,
      s.version,
      s.events.length,
      s.submissions,
      s.returnedFrom,
      s.final,
      s.enteredSeq,
      s.tasks.some((t) => t.status === 'open' && t.due) || s.timers.some((t) => t.closedSeq === null),
      JSON.stringify(s.snapshots),
      JSON.stringify(s.returns),
      JSON.stringify(s.timers),
    ]),
  );
  await insertRows(
    em,
    'city_actors',
    { slot: 'text', user_id: 'int' },
    Object.entries(fixed).map(([k, v]) => [k, v]),
  );
  // the time of an event; the due time of a stage: five working days ≈ a week (the SLA setting's default)
  const at = (seq: string) => `(p.t0 + ((${seq}) - 1) * p.gap * interval '1 second')`;
  const actor = (slot: string) =>
    `(CASE ${slot} WHEN 'creator' THEN p.created_by WHEN 'owner' THEN p.created_by WHEN 'owner_person' THEN p.owner_user_id WHEN 'party' THEN p.party_user_id
      WHEN 'county' THEN p.county_reviewer_id WHEN 'school' THEN p.school_admin_id WHEN 'system' THEN NULL ELSE (SELECT user_id FROM city_actors a WHERE a.slot = ${slot}) END)`;

  await em.query(
    `INSERT INTO cases (id, workflow_key, state, version, owner_org_id, county_code, title, created_by, owner_user_id, returned_from, submissions,
                        stage_entered_at, stage_due_at, decided_at, created_at, updated_at, event_count)
     SELECT p.case_id, $1, w.state, w.version, p.owner_org_id, p.county_code, p.title, p.created_by, p.owner_user_id, w.returned_from, w.submissions,
            ${at('w.entered_seq')}, CASE WHEN w.stage_due THEN ${at('w.entered_seq')} + interval '7 days' END,
            CASE WHEN w.final THEN ${at('w.entered_seq')} END, p.t0, ${at('w.events')}, w.events
       FROM city_plan p JOIN city_paths w ON w.path = p.path`,
    [def.key],
  );
  await em.query(
    `INSERT INTO case_parties (case_id, party, organisation_id, user_id, created_at)
     SELECT p.case_id, p.party_key, p.party_org_id, NULL, p.t0 FROM city_plan p WHERE p.party_key IS NOT NULL`,
  );
  // the cases' own placeholders (vars): each becomes its JSON value (a string quoted, a number bare)
  const fixedNames = new Set(['hours', 'cert', 'subsidy', 'amount', 'panel']);
  const varNames = [...new Set(sims.flatMap((x) => x.events.flatMap((e) => [...(e.payload ?? '').matchAll(/§(\w+)§/g)].map((m) => m[1]))))].filter(
    (n) => !fixedNames.has(n),
  );
  const withVars = (sql: string) => varNames.reduce((acc, n) => `replace(${acc}, '§${n}§', coalesce((p.vars -> '${n}')::text, 'null'))`, sql);
  const [{ max }] = await em.query<Array<{ max: number }>>(`SELECT max(events)::int AS max FROM city_paths`);
  for (let k = 1; k <= max; k++) {
    await em.query(
      `INSERT INTO case_events (case_id, seq, actor_id, actor_role, on_behalf_of, action, from_state, to_state, comment, payload, at, prev_hash, hash)
       SELECT x.case_id, x.seq, x.actor_id, x.actor_role, NULL, x.action, x.from_state, x.to_state, x.comment, x.payload::jsonb, x.at, x.prev,
              encode(sha256(convert_to('[' || coalesce(to_json(x.prev)::text, 'null') || ',' || x.case_id || ',' || x.seq || ',' || coalesce(x.actor_id::text, 'null')
                || ',' || coalesce(to_json(x.actor_role)::text, 'null') || ',null,' || to_json(x.action)::text || ',' || coalesce(to_json(x.from_state)::text, 'null')
                || ',' || to_json(x.to_state)::text || ',' || coalesce(to_json(x.comment)::text, 'null') || ',' || coalesce(x.payload, 'null')
                || ',' || to_json(to_char(x.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))::text || ']', 'UTF8')), 'hex')
         FROM (SELECT p.case_id, s.seq, ${actor('s.slot')} AS actor_id, CASE WHEN s.slot = 'creator' THEN p.creator_role ELSE s.role END AS actor_role,
                      s.action, s.from_state, s.to_state, s.comment,
                      ${withVars(`replace(replace(replace(replace(s.payload, '§hours§', coalesce(p.hours, 0)::text), '§cert§', coalesce(p.cert, 0)::text),
                        '§subsidy§', coalesce(p.subsidy, 0)::text), '§amount§', coalesce(p.amount, 0)::text)`)} AS payload,
                      ${at('s.seq')} AS at,
                      (SELECT e.hash FROM case_events e WHERE e.case_id = p.case_id AND e.seq = s.seq - 1) AS prev
                 FROM city_plan p JOIN city_steps s ON s.path = p.path AND s.seq = $1) x`,
      [k],
    );
  }
  await em.query(
    `INSERT INTO tasks (case_id, state, kind, role, county_code, organisation_id, assignee_id, status, due_at, claimed_at, completed_at, completed_by, outcome, score, created_at)
     SELECT p.case_id, t.state, t.kind, t.role,
            CASE WHEN t.scope = 'county' THEN p.county_code END,
            CASE t.scope WHEN 'owner_org' THEN p.owner_org_id WHEN 'owner' THEN p.owner_org_id WHEN 'party' THEN p.party_org_id END,
            ${actor('t.assignee')},
            t.status, CASE WHEN t.due THEN ${at('t.opened_seq')} + interval '7 days' END,
            CASE WHEN t.assignee IS NOT NULL THEN ${at('t.opened_seq')} END,
            CASE WHEN t.closed_seq IS NOT NULL THEN ${at('t.closed_seq')} END,
            CASE WHEN t.closed_seq IS NOT NULL THEN ${actor('t.closed_by')} END,
            t.outcome, t.score::jsonb, ${at('t.opened_seq')}
       FROM city_plan p JOIN city_tasks t ON t.path = p.path`,
  );
  await em.query(
    `INSERT INTO case_snapshots (case_id, seq, data, submitted_by, submitted_at)
     SELECT p.case_id, (s->>'submission')::int, '{"attachments": []}'::jsonb, ${actor(`s->>'by'`)}, ${at(`(s->>'seq')::int`)}
       FROM city_plan p JOIN city_paths w ON w.path = p.path, jsonb_array_elements(w.snapshots) s`,
  );
  await em.query(
    `INSERT INTO case_returns (case_id, from_state, to_state, items, deadline, returned_by, returned_at, resolved_at)
     SELECT p.case_id, r->>'from', r->>'to', (r->>'items')::jsonb, NULL, ${actor(`r->>'by'`)}, ${at(`(r->>'seq')::int`)},
            CASE WHEN r->>'resolvedSeq' IS NOT NULL THEN ${at(`(r->>'resolvedSeq')::int`)} END
       FROM city_plan p JOIN city_paths w ON w.path = p.path, jsonb_array_elements(w.returns) r`,
  );
  // a timed stage (公示) has its timer: fired or cancelled once the case left it; while it waits, the job that fires it when due
  await em.query(
    `WITH t AS (
       INSERT INTO timers (case_id, state, kind, due_at, fired_at, cancelled_at)
       SELECT p.case_id, x->>'state', 'expire', ${at(`(x->>'seq')::int`)} + interval '7 days',
              CASE WHEN (x->>'fired')::boolean THEN ${at(`(x->>'closedSeq')::int`)} END,
              CASE WHEN x->>'closedSeq' IS NOT NULL AND NOT (x->>'fired')::boolean THEN ${at(`(x->>'closedSeq')::int`)} END
         FROM city_plan p JOIN city_paths w ON w.path = p.path, jsonb_array_elements(w.timers) x
       RETURNING id, due_at, fired_at, cancelled_at)
     INSERT INTO outbox (job_name, payload, dedupe_key, available_at)
     SELECT 'workflow.timer', jsonb_build_object('timerId', t.id), 'timer:' || t.id, t.due_at FROM t WHERE t.fired_at IS NULL AND t.cancelled_at IS NULL`,
  );
  await em.query(`DROP TABLE city_plan, city_steps, city_tasks, city_paths, city_actors`);
}
