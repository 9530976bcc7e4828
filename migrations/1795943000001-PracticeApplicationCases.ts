import { eventHash } from '@portal/core';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/** How each old action is recorded on a case's chain: the role act() would record (the engine's `as`). */
const ROLE: Record<string, string> = {
  apply: 'teacher',
  school_approve: 'school_admin',
  school_decline: 'school_admin',
  accept: 'party:host',
  decline: 'party:host',
  withdraw: 'owner_person',
};

/** The path to each old status, for an application that has no events of its own. */
const PATH: Record<string, string[]> = {
  applied: ['apply'],
  school_approved: ['apply', 'school_approve'],
  accepted: ['apply', 'school_approve', 'accept'],
  school_declined: ['apply', 'school_decline'],
  declined: ['apply', 'school_approve', 'decline'],
  withdrawn: ['apply', 'withdraw'],
};
const TO: Record<string, string> = {
  apply: 'applied',
  school_approve: 'school_approved',
  school_decline: 'school_declined',
  accept: 'accepted',
  decline: 'declined',
  withdraw: 'withdrawn',
};
const FINAL = new Set(['accepted', 'school_declined', 'declined', 'withdrawn']);

interface OldApplication {
  id: string;
  post_id: string;
  teacher_id: number;
  school_id: number;
  status: string;
  created_at: Date;
  updated_at: Date;
  teacher_name: string;
  post_title: string;
  enterprise_id: number;
  county_code: string | null;
}

interface OldEvent {
  application_id: string;
  actor_id: number | null;
  action: string;
  from_status: string | null;
  to_status: string;
  comment: string | null;
  at: Date;
}

/**
 * 千企万岗 applications onto the workflow engine (workflow `practice-application`, DESIGN.md "The spine"): each
 * application becomes a case — owner the teacher and their school, party `host` the post's enterprise — in its
 * status as state, with its history as the case's hash-chained events (the engine's `create` at `draft`, then every
 * old event as the transition it was; `apply` records the submission), the submission's snapshot, and the open
 * stage's task (the school's admins at 待学校审批, the enterprise at 待企业接收; no due date: the SLA starts with the
 * next stage). Hashes by @portal/core's eventHash, the engine's own format, so verifyChain accepts every chain.
 * The own status, version and events table go; `live` (kept by the action hook) carries the unique index of one
 * live application per teacher and post.
 */
export class PracticeApplicationCases1795943000001 implements MigrationInterface {
  name = 'PracticeApplicationCases1795943000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE practice_applications ADD COLUMN case_id bigint UNIQUE REFERENCES cases(id);
      ALTER TABLE practice_applications ADD COLUMN live boolean NOT NULL DEFAULT true;
      UPDATE practice_applications SET live = status IN ('applied', 'school_approved', 'accepted');
    `);
    const apps = (await q.query(
      `SELECT a.id, a.post_id, a.teacher_id, a.school_id, a.status, a.created_at, a.updated_at, t.display_name AS teacher_name, p.title AS post_title,
              p.enterprise_id, s.county_code
         FROM practice_applications a JOIN users t ON t.id = a.teacher_id JOIN practice_posts p ON p.id = a.post_id JOIN organisations s ON s.id = a.school_id
        ORDER BY a.id`,
    )) as OldApplication[];
    const events = (await q.query(
      `SELECT application_id, actor_id, action, from_status, to_status, comment, at FROM practice_application_events ORDER BY application_id, at, id`,
    )) as OldEvent[];
    const byApp = new Map<string, OldEvent[]>();
    for (const e of events) byApp.set(e.application_id, [...(byApp.get(e.application_id) ?? []), e]);
    for (const a of apps) {
      let history = byApp.get(a.id) ?? [];
      if (!history.length || history[0].action !== 'apply') {
        // no history of its own (or none from the start): the path to its status, at its creation and last change
        history = PATH[a.status].map((action, i) => ({
          application_id: a.id,
          actor_id: action === 'apply' || action === 'withdraw' ? a.teacher_id : null,
          action,
          from_status: i === 0 ? null : TO[PATH[a.status][i - 1]],
          to_status: TO[action],
          comment: null,
          at: i === 0 ? a.created_at : a.updated_at,
        }));
      }
      const last = history[history.length - 1];
      const [c] = (await q.query(
        `INSERT INTO cases (workflow_key, state, version, owner_org_id, county_code, title, created_by, owner_user_id, submissions, stage_entered_at,
                            decided_at, created_at, updated_at, event_count)
         VALUES ('practice-application', $1, $2, $3, $4, $5, $6, $6, 1, $7, $8, $9, $10, $11) RETURNING id`,
        [
          a.status,
          1 + history.length,
          a.school_id,
          a.county_code,
          `${a.teacher_name}：${a.post_title}`,
          a.teacher_id,
          last.at,
          FINAL.has(a.status) ? last.at : null,
          a.created_at,
          a.updated_at,
          history.length + 1,
        ],
      )) as Array<{ id: string }>;
      const caseId = Number(c.id);
      await q.query(`UPDATE practice_applications SET case_id = $2 WHERE id = $1`, [a.id, caseId]);
      await q.query(`INSERT INTO case_parties (case_id, party, organisation_id, created_at) VALUES ($1, 'host', $2, $3)`, [
        caseId,
        a.enterprise_id,
        a.created_at,
      ]);
      const chain = [
        { actorId: a.teacher_id, actorRole: 'teacher', action: 'create', fromState: null, toState: 'draft', comment: null, payload: null, at: a.created_at },
        ...history.map((e) => ({
          actorId: e.actor_id,
          actorRole: e.actor_id === null ? 'system' : ROLE[e.action],
          action: e.action,
          fromState: e.action === 'apply' ? 'draft' : e.from_status,
          toState: e.to_status,
          comment: e.comment,
          payload: e.action === 'apply' ? { submission: 1 } : null,
          at: e.at,
        })),
      ];
      let prevHash: string | null = null;
      for (const [i, e] of chain.entries()) {
        // the hash covers the instant to the millisecond, as the driver reads it back
        const at = new Date(e.at.getTime());
        const base = { caseId, seq: i + 1, onBehalfOf: null, prevHash, ...e, at };
        const hash = eventHash(base);
        await q.query(
          `INSERT INTO case_events (case_id, seq, actor_id, actor_role, on_behalf_of, action, from_state, to_state, comment, payload, at, prev_hash, hash)
           VALUES ($1, $2, $3, $4, NULL, $5, $6, $7, $8, $9, $10, $11, $12)`,
          [
            caseId,
            base.seq,
            e.actorId,
            e.actorRole,
            e.action,
            e.fromState,
            e.toState,
            e.comment,
            e.payload === null ? null : JSON.stringify(e.payload),
            at,
            prevHash,
            hash,
          ],
        );
        prevHash = hash;
      }
      const applied = chain[1];
      await q.query(`INSERT INTO case_snapshots (case_id, seq, data, submitted_by, submitted_at) VALUES ($1, 1, '{"attachments": []}', $2, $3)`, [
        caseId,
        a.teacher_id,
        applied.at,
      ]);
      if (a.status === 'applied' || a.status === 'school_approved') {
        await q.query(
          `INSERT INTO tasks (case_id, state, kind, role, organisation_id, created_at) VALUES ($1, $2, 'review', $3, $4, $5)`,
          a.status === 'applied' ? [caseId, a.status, 'school_admin', a.school_id, last.at] : [caseId, a.status, 'party:host', a.enterprise_id, last.at],
        );
      }
    }
    await q.query(`
      ALTER TABLE practice_applications ALTER COLUMN case_id SET NOT NULL;
      DROP INDEX practice_applications_live;
      CREATE UNIQUE INDEX practice_applications_live ON practice_applications (post_id, teacher_id) WHERE live;
      ALTER TABLE practice_applications DROP COLUMN status, DROP COLUMN version;
      DROP TABLE practice_application_events;
    `);
  }

  down(): Promise<void> {
    return Promise.reject(new Error('PracticeApplicationCases1795943000001 cannot be undone: the applications live on the workflow engine now'));
  }
}
