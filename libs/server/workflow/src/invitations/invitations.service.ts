import { Injectable } from '@nestjs/common';
import { addDays, chineseDate, endOfPortalDay, INVITATION_TOKEN, portalToday, type InvitationAcceptedDto, type InvitationDto } from '@portal/contracts';
import { AppConfig, DomainException, OutboxService, SettingsService } from '@portal/core';
import type { Actor } from '@portal/identity';
import { createHash, randomBytes } from 'node:crypto';
import { DataSource, type EntityManager } from 'typeorm';
import { actsForOwnerOrganisation, isOwnerPerson } from '../engine/act-checks.js';
import { caseRef } from '../engine/case-row.js';
import { WorkflowRegistry } from '../engine/workflow.registry.js';
import { WorkflowService } from '../engine/workflow.service.js';
import { Mailer } from '../notifications/mailer.js';

const hashOf = (token: string): string => createHash('sha256').update(token).digest('hex');

const GONE = () => new DomainException('NOT_FOUND', '邀请链接无效或已被新的邀请取代，请使用最新一封邀请邮件中的链接');

interface InvitationRow {
  id: string;
  case_id: string;
  party: string;
  organisation_id: number | null;
  invited_credit_code: string;
  invite_expires_at: Date;
  accepted_at: Date | null;
  workflow_key: string;
  state: string;
  title: string;
  inviter: string;
  registered: boolean;
}

/**
 * Invitations by credit code (a school's unregistered partner enterprise, a teacher's unregistered host). Naming a
 * credit code proves nothing, and neither does registering one: an invitation counts for nobody until an organisation
 * with that credit code accepts it with the one-time token mailed to the invited address. Only the token's SHA-256 is
 * kept; a new mailing (a new address or credit code, a resend) replaces it. Acceptance names the organisation as the
 * party — from then on it reads the case and acts at its stages — hands it the party's open task, records an event on
 * the case and lets the feature follow (`onPartyAccepted`).
 */
@Injectable()
export class InvitationsService {
  constructor(
    private readonly ds: DataSource,
    private readonly registry: WorkflowRegistry,
    private readonly workflow: WorkflowService,
    private readonly mailer: Mailer,
    private readonly outbox: OutboxService,
    private readonly settings: SettingsService,
    private readonly config: AppConfig,
  ) {}

  /**
   * The 'workflow.invite' job: a fresh token for the party's pending invitation, mailed to the invited address with
   * who invited, to what, until when, and the link to accept it. Nothing once the invitation is gone or accepted.
   */
  async mail(caseId: number, party: string): Promise<void> {
    const token = randomBytes(32).toString('base64url');
    // valid through the last day (Asia/Shanghai) the setting gives, as a 补正 deadline is
    const lastDay = addDays(portalToday(), await this.settings.get('workflow.invitationDays'));
    // (an UPDATE … RETURNING answers [rows, count] through TypeORM)
    const [[r]] = await this.ds.query<
      [Array<{ invited_email: string; invited_credit_code: string; state: string; title: string; workflow_key: string; owner: string }>, number]
    >(
      `UPDATE case_parties cp SET invite_token_hash = $3, invite_expires_at = $4
         FROM cases c JOIN organisations o ON o.id = c.owner_org_id
        WHERE cp.case_id = $1 AND cp.party = $2 AND c.id = cp.case_id AND cp.organisation_id IS NULL
          AND cp.invited_credit_code IS NOT NULL AND cp.invited_email IS NOT NULL
        RETURNING cp.invited_email, cp.invited_credit_code, c.state, c.title, c.workflow_key, o.name AS owner`,
      [caseId, party, hashOf(token), endOfPortalDay(lastDay)],
    );
    const def = r && this.registry.get(r.workflow_key);
    // a case that has ended invites nobody any more (the token just written is never sent: no link holds it)
    if (!r || !def || def.states[r.state]?.kind === 'final') return;
    const label = def.parties?.[party]?.label ?? '当事单位';
    await this.mailer.send({
      to: r.invited_email,
      subject: `【温州市产教融合平台】${r.owner}邀请贵单位参与${def.title}：${r.title}`,
      text: [
        `${r.owner}在温州市产教融合平台将贵单位（统一社会信用代码 ${r.invited_credit_code}）列为“${r.title}”的${label}。`,
        `请打开以下链接接受邀请，链接有效期至${chineseDate(lastDay)}（含当日）；尚未注册的，请先使用该统一社会信用代码注册本单位账号：`,
        `${this.config.publicBaseUrl}/#/invitations/accept?invitation=${token}`,
        '接受邀请后，即可在平台“待办任务”中查看并办理。此链接仅供贵单位使用，请勿转发；如非贵单位事项，请忽略本邮件。',
      ].join('\n'),
    });
  }

  /** What an invitation token invites to (public: the token is the proof). */
  async lookup(token: string): Promise<InvitationDto> {
    const r = await this.byToken(this.ds.manager, token, false);
    const def = this.registry.get(r.workflow_key);
    return {
      creditCode: r.invited_credit_code,
      inviter: r.inviter,
      workflowTitle: def?.title ?? '',
      title: r.title,
      partyLabel: def?.parties?.[r.party]?.label ?? '当事单位',
      expiresAt: r.invite_expires_at.toISOString(),
      status: r.accepted_at ? 'accepted' : r.invite_expires_at.getTime() < Date.now() ? 'expired' : 'pending',
      registered: r.registered,
    };
  }

  /**
   * Accept an invitation for the actor's organisation: it must hold the invited credit code, and the actor a role
   * through which it takes that part. Accepting again for the same organisation answers the same.
   */
  async accept(actor: Actor, token: string): Promise<InvitationAcceptedDto> {
    return this.ds.transaction(async (em) => {
      // the case first, then its party, in the order act() and the features' edits lock them: a stage entered meanwhile
      // (its party task) is committed before this reads it
      const { case_id } = await this.byToken(em, token, false);
      await em.query(`SELECT 1 FROM cases WHERE id = $1 FOR UPDATE`, [case_id]);
      const r = await this.byToken(em, token, true);
      const def = this.registry.get(r.workflow_key);
      const answer = {
        caseId: Number(r.case_id),
        caseRef: caseRef({ workflowKey: r.workflow_key, id: Number(r.case_id) }),
        workflowKey: r.workflow_key,
        title: r.title,
      };
      const [mine] = await em.query<Array<{ credit_code: string | null }>>(`SELECT credit_code FROM organisations WHERE id = $1`, [actor.organisationId]);
      if (r.accepted_at) {
        if (r.organisation_id === actor.organisationId) return answer;
        throw DomainException.conflict('该邀请已被接受');
      }
      if (mine?.credit_code !== r.invited_credit_code)
        throw DomainException.forbidden(`此邀请发给统一社会信用代码为 ${r.invited_credit_code} 的单位，您所在的单位不是该单位`);
      const roles = def?.parties?.[r.party]?.roles ?? [];
      if (!actor.roles.some((role) => roles.includes(role))) throw DomainException.forbidden('您的角色不能代表本单位接受此邀请');
      if (r.invite_expires_at.getTime() < Date.now()) throw DomainException.conflict('邀请已过期，请联系邀请方重新发送邀请');
      if (def?.states[r.state]?.kind === 'final') throw DomainException.conflict(`该事项已结束（${def.states[r.state].label}），无需再接受邀请`);
      await em.query(`UPDATE case_parties SET organisation_id = $2, accepted_at = now(), accepted_by = $3 WHERE id = $1`, [
        r.id,
        actor.organisationId,
        actor.id,
      ]);
      // the party's open task (its stage was entered while the invitation was pending) is now the organisation's
      const [[handed]] = await em.query<[Array<{ state: string }>, number]>(
        `UPDATE tasks SET organisation_id = $3 WHERE case_id = $1 AND role = $2 AND status = 'open' AND organisation_id IS NULL AND assignee_id IS NULL RETURNING state`,
        [r.case_id, `party:${r.party}`, actor.organisationId],
      );
      if (handed)
        await this.outbox.enqueue(em, 'notify', {
          kind: 'task_assigned',
          title: `待办：${def?.states[handed.state]?.label ?? ''}`,
          body: `${def?.title ?? ''}：${r.title}`,
          caseId: Number(r.case_id),
          roles: [...roles],
          organisationId: actor.organisationId,
        });
      await this.workflow.recordEvent(em, Number(r.case_id), actor, {
        action: 'invitation_accepted',
        payload: { party: r.party, organisationId: actor.organisationId, creditCode: r.invited_credit_code },
      });
      await def?.onPartyAccepted?.({ em, caseId: Number(r.case_id), party: r.party, organisationId: actor.organisationId });
      return answer;
    });
  }

  /** Mail a pending invitation again with a fresh token (the old link stops working): the case's owner only. */
  async resend(actor: Actor, ref: { workflowKey: string; id: number }, party: string): Promise<void> {
    await this.ds.transaction(async (em) => {
      const row = await this.workflow.readable(actor, ref.workflowKey, ref.id, em);
      const def = this.workflow.definition(ref.workflowKey);
      // the inviter: the owner person of a personal case (a teacher's record), else the owner organisation
      if (!(row.ownerUserId !== null ? isOwnerPerson(row, actor) : actsForOwnerOrganisation(def, row, actor)))
        throw DomainException.forbidden('只有邀请方可以重新发送邀请');
      if (def.states[row.state]?.kind === 'final') throw DomainException.conflict(`该事项已结束（${def.states[row.state].label}），不再发送邀请`);
      const [p] = await em.query<Array<{ organisation_id: number | null; invited_email: string | null }>>(
        `SELECT organisation_id, invited_email FROM case_parties WHERE case_id = $1 AND party = $2`,
        [row.id, party],
      );
      if (!p || p.organisation_id !== null || !p.invited_email) throw DomainException.conflict('该当事方没有待接受的邀请');
      await this.outbox.enqueue(em, 'workflow.invite', { caseId: row.id, party });
    });
  }

  private async byToken(em: EntityManager, token: string, lock: boolean): Promise<InvitationRow> {
    if (!INVITATION_TOKEN.test(token)) throw GONE();
    const [r] = await em.query<InvitationRow[]>(
      `SELECT cp.id, cp.case_id, cp.party, cp.organisation_id, cp.invited_credit_code, cp.invite_expires_at, cp.accepted_at,
              c.workflow_key, c.state, c.title, o.name AS inviter, EXISTS (SELECT 1 FROM organisations x WHERE x.credit_code = cp.invited_credit_code) AS registered
         FROM case_parties cp JOIN cases c ON c.id = cp.case_id JOIN organisations o ON o.id = c.owner_org_id
        WHERE cp.invite_token_hash = $1${lock ? ' FOR UPDATE OF cp' : ''}`,
      [hashOf(token)],
    );
    if (!r) throw GONE();
    return r;
  }
}
