import {
  certificateRequest,
  certificateRevocation,
  documentDedupeKey,
  subsidyNoticeRecovered,
  subsidyNoticeRequest,
  subsidyNoticeRevocation,
} from '@portal/certification';
import { textSettingDefaults, TEXT_SETTING_DEFINITIONS, type CertificationLevel, type DocumentRequest, type TextSettingKey } from '@portal/contracts';
import { filingReceiptsOf } from '@portal/order-classes';
import { practiceCertificatesOf } from '@portal/practice';
import type { EntityManager } from 'typeorm';
import { insertRows } from './engine.js';
import type { CityPeople } from './identity.js';
import type { NoticeNotification } from './notifications.js';

/**
 * The documents of a generated city, requested the way the features request them: a 'documents.issue' job in the
 * outbox per document, its payload built by the feature's own function (certificate and subsidy notice of each
 * certification, receipt of each filed order class, certificate of each counted practice record), under the
 * feature's dedupe key. The documents service then issues them after start (the in-process runner or the worker):
 * real PDFs, numbered gap-free by the service, with their verification codes. Each is dated when its decision was
 * taken (DocumentRequest.issuedAt) and requested in that order, so serials follow the dates within each year.
 *
 * What became of a subject since (a revoked certification, its subsidy cancelled, to recover or recovered) is
 * recorded as the 'documents.revoke' job records it (document_subjects), with the revocation's own time: the
 * document is then issued revoked, and its verification page says so from the start.
 *
 * The notifications those requests would send (a notice's to the finance bureau) are left out: a city's past was
 * notified when it happened; notifications.ts writes them with their times.
 *
 * At most MAX_DOCUMENTS are requested, shared fairly between the kinds (each kind the newest first, the demo
 * accounts' own before all): the demo city (120 enterprises, about 1,100 documents) gets every one; the benchmark
 * city (100,000 enterprises) a few hundred of each kind, not 900,000 PDFs. Its other subjects have none: their
 * subsidies read 待拨付 (no notice yet), their records and classes show no certificate or receipt.
 */
export const MAX_DOCUMENTS = 1_500;

interface Wanted {
  request: DocumentRequest;
  issuedAt: Date;
  /** what became of the subject, as document_subjects records it */
  revoked?: { at: Date; reason: string; statusLabel: string | null };
}

/** The wordings in force (settings overriding the defaults), as SettingsService.texts reads them. */
async function texts(em: EntityManager) {
  const values = textSettingDefaults();
  for (const r of await em.query<Array<{ key: string; value: unknown }>>(`SELECT key, value FROM settings`)) {
    if (Object.hasOwn(TEXT_SETTING_DEFINITIONS, r.key) && typeof r.value === 'string') values[r.key as TextSettingKey] = r.value;
  }
  return values;
}

/** Shares of `cap` for kinds with these counts: each its count if the others leave room, the rest split evenly. */
export function fairShares(counts: number[], cap: number): number[] {
  const shares = counts.map(() => 0);
  let left = cap;
  const order = counts.map((n, i) => [n, i] as const).sort((a, b) => a[0] - b[0]);
  for (const [k, [n, i]] of order.entries()) {
    shares[i] = Math.min(n, Math.floor(left / (order.length - k)));
    left -= shares[i];
  }
  return shares;
}

const notRequested = (kind: string, subject: string) =>
  `NOT EXISTS (SELECT 1 FROM outbox x WHERE x.dedupe_key = 'document:${kind}:' || ${subject} || ':1')
   AND NOT EXISTS (SELECT 1 FROM documents d WHERE d.kind = '${kind}' AND d.subject_key = ${subject})`;

/**
 * The newest third of the subsidies awaiting payment have no notice yet (待拨付: the finance bureau sends notices in
 * batches), the others theirs (已发通知), so that the demo's ledger shows every state.
 */
const AWAITING_NOTICE = `s.status = 'pending' AND s.id IN (SELECT p.id FROM subsidies p WHERE p.status = 'pending' ORDER BY p.created_at DESC, p.id DESC
                                                        LIMIT (SELECT count(*) / 3 FROM subsidies WHERE status = 'pending'))`;

export async function seedDocuments(em: EntityManager, people: CityPeople): Promise<{ counts: Record<string, number>; notices: NoticeNotification[] }> {
  const wording = await texts(em);
  const demo = { enterprise: people.demo.enterprise.id, school: people.demo.school.id, teacher: people.demo.teacherId };
  // the subjects still without a document, per kind; how many of each may be requested
  const CERTS = `FROM certifications c WHERE c.level = 'city' AND ${notRequested('certificate', `'certification:' || c.id`)}`;
  const NOTICES = `FROM subsidies s WHERE NOT (${AWAITING_NOTICE}) AND ${notRequested('subsidy_notice', `'subsidy:' || s.id`)}`;
  const RECEIPTS = `FROM order_classes oc WHERE oc.filed_at IS NOT NULL AND ${notRequested('order_class_receipt', `'order-class:' || oc.id`)}`;
  const PRACTICE = `FROM practice_records r WHERE r.counted AND ${notRequested('practice_certificate', `'practice-record:' || r.id`)}`;
  const counts: number[] = [];
  for (const from of [CERTS, NOTICES, RECEIPTS, PRACTICE]) counts.push(Number((await em.query<Array<{ n: string }>>(`SELECT count(*) AS n ${from}`))[0].n));
  const [nCerts, nNotices, nReceipts, nPractice] = fairShares(counts, MAX_DOCUMENTS);
  const wanted: Wanted[] = [];
  const told: NoticeNotification[] = [];

  const certs = await em.query<
    Array<{
      id: string;
      enterprise_id: number;
      name: string;
      credit_code: string;
      county_code: string | null;
      case_id: string | null;
      certified_at: string;
      valid_until: string;
      created_at: Date;
      revoked_at: Date | null;
      revoke_reason: string | null;
    }>
  >(
    `SELECT c.id, c.enterprise_id, o.name, o.credit_code, o.county_code, a.case_id, to_char(c.certified_at, 'YYYY-MM-DD') AS certified_at,
            to_char(c.valid_until, 'YYYY-MM-DD') AS valid_until, c.created_at, c.revoked_at, c.revoke_reason
       ${CERTS.replace('FROM certifications c', 'FROM certifications c JOIN organisations o ON o.id = c.enterprise_id LEFT JOIN certification_applications a ON a.id = c.application_id')}
      ORDER BY (c.enterprise_id = $1) DESC, c.created_at DESC, c.id DESC LIMIT $2`,
    [demo.enterprise, nCerts],
  );
  for (const c of certs) {
    wanted.push({
      request: certificateRequest(
        { id: c.enterprise_id, name: c.name, credit_code: c.credit_code, county_code: c.county_code },
        {
          certificationId: Number(c.id),
          caseId: c.case_id === null ? undefined : Number(c.case_id),
          certifiedAt: c.certified_at,
          validUntil: c.valid_until,
          texts: wording,
        },
      ),
      issuedAt: c.created_at,
      revoked: c.revoked_at ? { at: c.revoked_at, ...certificateRevocation(c.revoke_reason ?? ''), statusLabel: null } : undefined,
    });
  }

  const notices = await em.query<
    Array<{
      id: string;
      enterprise_id: number;
      name: string;
      credit_code: string;
      county_code: string | null;
      level: CertificationLevel;
      amount_fen: string;
      policy: 'full' | 'difference';
      status: string;
      created_at: Date;
      case_id: string | null;
      revoked_at: Date | null;
      revoke_reason: string | null;
      recovery_voucher_no: string | null;
    }>
  >(
    `SELECT s.id, s.enterprise_id, o.name, o.credit_code, o.county_code, s.level, s.amount_fen, s.policy, s.status, s.created_at,
            coalesce(a.case_id, cf.record_case_id) AS case_id, cf.revoked_at, cf.revoke_reason, s.recovery_voucher_no
       ${NOTICES.replace(
         'FROM subsidies s',
         `FROM subsidies s JOIN organisations o ON o.id = s.enterprise_id JOIN certifications cf ON cf.id = s.certification_id
          LEFT JOIN certification_applications a ON a.id = cf.application_id`,
       )}
      ORDER BY (s.enterprise_id = $1) DESC, s.created_at DESC, s.id DESC LIMIT $2`,
    [demo.enterprise, nNotices],
  );
  for (const s of notices) {
    const request = subsidyNoticeRequest(
      { id: s.enterprise_id, name: s.name, credit_code: s.credit_code, county_code: s.county_code },
      {
        subsidyId: Number(s.id),
        level: s.level,
        amountFen: Number(s.amount_fen),
        policy: s.policy,
        texts: wording,
        caseId: s.case_id === null ? undefined : Number(s.case_id),
      },
    );
    let revoked: Wanted['revoked'];
    if (s.status === 'cancelled' || s.status === 'to_recover') revoked = { at: s.revoked_at!, ...subsidyNoticeRevocation(s.status, s.revoke_reason ?? '') };
    // recovered: the revocation's reason stays, the status reads 已追回 (a later 'documents.revoke' only relabels it)
    if (s.status === 'recovered')
      revoked = {
        at: s.revoked_at!,
        reason: subsidyNoticeRevocation('to_recover', s.revoke_reason ?? '').reason,
        statusLabel: subsidyNoticeRecovered(s.recovery_voucher_no ?? '').statusLabel,
      };
    wanted.push({ request, issuedAt: s.created_at, revoked });
    if (s.status === 'pending' && request.notify)
      told.push({
        ...request.notify,
        body: request.notify.body ?? '',
        countyCode: request.notify.countyCode ?? null,
        subsidyId: Number(s.id),
        at: s.created_at,
      });
  }

  const classes = await em.query<Array<{ case_id: string }>>(
    `SELECT oc.case_id ${RECEIPTS} ORDER BY (oc.school_id = $1 OR oc.enterprise_id = $2) DESC, oc.filed_at DESC, oc.id DESC LIMIT $3`,
    [demo.school, demo.enterprise, nReceipts],
  );
  for (const r of await filingReceiptsOf(
    em,
    classes.map((c) => Number(c.case_id)),
    wording,
  ))
    wanted.push({ request: r.request, issuedAt: r.filedAt });

  const records = await em.query<Array<{ case_id: string }>>(
    `SELECT r.case_id ${PRACTICE} ORDER BY (r.teacher_id = $1) DESC, r.counted_on DESC, r.id DESC LIMIT $2`,
    [demo.teacher, nPractice],
  );
  for (const r of await practiceCertificatesOf(
    em,
    records.map((x) => Number(x.case_id)),
    wording['documents.cityAuthority'],
  ))
    wanted.push({ request: r.request, issuedAt: r.countedAt });

  // in the order the decisions were taken: the serials of a year follow its dates
  wanted.sort((a, b) => a.issuedAt.getTime() - b.issuedAt.getTime());
  const revoked = wanted.filter((w) => w.revoked);
  await insertRows(
    em,
    'document_subjects',
    { kind: 'text', subject_key: 'text', revoked_at: 'timestamptz', revoke_reason: 'text', status_label: 'text' },
    revoked.map((w) => [w.request.kind, w.request.subjectKey, w.revoked!.at.toISOString(), w.revoked!.reason, w.revoked!.statusLabel]),
    { extra: 'ON CONFLICT (kind, subject_key) DO NOTHING' },
  );
  await insertRows(
    em,
    'outbox',
    { job_name: 'text', payload: 'jsonb', dedupe_key: 'text' },
    wanted.map((w) => {
      const { notify, ...request } = w.request;
      void notify;
      return ['documents.issue', JSON.stringify({ ...request, issuedAt: w.issuedAt.toISOString() }), documentDedupeKey(request)];
    }),
    { extra: 'ON CONFLICT (dedupe_key) DO NOTHING' },
  );
  return {
    counts: { certificates: certs.length, subsidyNotices: notices.length, orderClassReceipts: classes.length, practiceCertificates: records.length },
    notices: told,
  };
}
