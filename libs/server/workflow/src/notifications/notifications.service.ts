import { Injectable, Logger } from '@nestjs/common';
import type { JobPayloads, NotificationDto } from '@portal/contracts';
import { DomainException, listPage, type ListSpec, type RawListQuery } from '@portal/core';
import type { Actor } from '@portal/identity';
import { DataSource, type ObjectLiteral } from 'typeorm';
import { Mailer } from './mailer.js';

interface NotificationRow {
  id: string;
  kind: string;
  title: string;
  body: string | null;
  caseId: string | null;
  readAt: Date | null;
  createdAt: Date;
}

const LIST: ListSpec<ObjectLiteral> = {
  sortable: { id: 'n.id', createdAt: 'n.created_at' },
  filters: {
    id: 'n.id',
    unread: (qb, v) => void (v === true || v === 'true' ? qb.andWhere('n.read_at IS NULL') : qb.andWhere('n.read_at IS NOT NULL')),
    kind: 'n.kind',
    caseId: 'n.case_id',
  },
  defaultSort: { field: 'id', order: 'DESC' },
};

export function toNotificationDto(r: NotificationRow): NotificationDto {
  return {
    id: Number(r.id),
    kind: r.kind,
    title: r.title,
    body: r.body,
    caseId: r.caseId === null ? null : Number(r.caseId),
    readAt: r.readAt?.toISOString() ?? null,
    createdAt: r.createdAt.toISOString(),
  };
}

/** In-app notifications (and their emails): fan-out by the 'notify' job, read and marked by users. */
@Injectable()
export class NotificationsService {
  private readonly logger = new Logger('Notifications');

  constructor(
    private readonly ds: DataSource,
    private readonly mailer: Mailer,
  ) {}

  /** The 'notify' job: find the recipients, write one notification each (once per job), email them. */
  async deliver(p: JobPayloads['notify'], outboxId: number): Promise<number> {
    const recipients = await this.recipients(p);
    if (!recipients.length) return 0;
    const inserted: Array<{ user_id: number }> = await this.ds.query(
      `INSERT INTO notifications (user_id, kind, title, body, case_id, dedupe_key)
       SELECT u, $2, $3, $4, $5, $6 FROM unnest($1::int[]) AS u
       ON CONFLICT (user_id, dedupe_key) DO NOTHING RETURNING user_id`,
      [recipients, p.kind, p.title, p.body ?? null, p.caseId ?? null, p.dedupeKey ?? `ob-${outboxId}`],
    );
    if (inserted.length) {
      const emails: Array<{ email: string }> = await this.ds.query(`SELECT email FROM users WHERE id = ANY($1) AND email IS NOT NULL`, [
        inserted.map((i) => i.user_id),
      ]);
      for (const { email } of emails) {
        // email is best effort: the in-app notification is the record
        await this.mailer
          .send({ to: email, subject: `【温州市产教融合平台】${p.title}`, text: p.body ?? p.title })
          .catch((e: Error) => this.logger.warn(`mail to ${email} failed: ${e.message}`));
      }
    }
    return inserted.length;
  }

  private async recipients(p: JobPayloads['notify']): Promise<number[]> {
    if (p.userIds?.length) {
      const rows: Array<{ id: number }> = await this.ds.query(`SELECT id FROM users WHERE id = ANY($1) AND active`, [p.userIds]);
      return rows.map((r) => r.id);
    }
    const roles = p.roles ?? (p.role ? [p.role] : []);
    if (!roles.length && p.organisationId === undefined) return [];
    const where = ['active'];
    const params: unknown[] = [];
    if (roles.length) where.push(`roles && $${params.push(roles)}::text[]`);
    if (p.organisationId !== undefined) where.push(`organisation_id = $${params.push(p.organisationId)}`);
    if (p.countyCode !== undefined) where.push(p.countyCode === null ? 'jurisdiction IS NULL' : `jurisdiction = $${params.push(p.countyCode)}`);
    const rows: Array<{ id: number }> = await this.ds.query(`SELECT id FROM users WHERE ${where.join(' AND ')}`, params);
    return rows.map((r) => r.id);
  }

  async list(actor: Actor, raw: RawListQuery, reply: { header(n: string, v: string): unknown }): Promise<NotificationDto[]> {
    const qb = this.ds
      .createQueryBuilder()
      .select([
        'n.id AS id',
        'n.kind AS kind',
        'n.title AS title',
        'n.body AS body',
        'n.case_id AS "caseId"',
        'n.read_at AS "readAt"',
        'n.created_at AS "createdAt"',
      ])
      .from('notifications', 'n')
      .where('n.user_id = :me', { me: actor.id });
    const rows = await listPage(qb, raw, LIST, reply, 'notifications', { raw: true });
    return (rows as unknown as NotificationRow[]).map(toNotificationDto);
  }

  async unreadCount(actor: Actor): Promise<number> {
    const [{ n }] = await this.ds.query<Array<{ n: number }>>(`SELECT count(*)::int AS n FROM notifications WHERE user_id = $1 AND read_at IS NULL`, [
      actor.id,
    ]);
    return n;
  }

  async markRead(actor: Actor, id: number): Promise<NotificationDto> {
    const [rows]: [NotificationRow[], number] = await this.ds.query(
      `UPDATE notifications SET read_at = coalesce(read_at, now()) WHERE id = $1 AND user_id = $2
       RETURNING id, kind, title, body, case_id AS "caseId", read_at AS "readAt", created_at AS "createdAt"`,
      [id, actor.id],
    );
    if (!rows.length) throw DomainException.notFound('通知');
    return toNotificationDto(rows[0]);
  }

  async markAllRead(actor: Actor): Promise<number> {
    const [, n]: [unknown, number] = await this.ds.query(`UPDATE notifications SET read_at = now() WHERE user_id = $1 AND read_at IS NULL`, [actor.id]);
    return n;
  }
}
