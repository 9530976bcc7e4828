import type { DocumentKind, DocumentRequest } from './documents.js';

/**
 * Every background job, by name, with its payload. The worker refuses to start when one has no
 * processor; the outbox relay publishes rows of these names to BullMQ with the outbox id as job id.
 */
export interface JobPayloads {
  /** fan a notification out to users (by id, or by role within a jurisdiction) and email them */
  notify: {
    kind: string;
    title: string;
    body?: string;
    caseId?: number;
    userIds?: number[];
    /** everyone holding one of these roles, within countyCode when given (null: city level) */
    role?: string;
    roles?: readonly string[];
    countyCode?: string | null;
    /** only users of this organisation (with roles: its users holding one of them) */
    organisationId?: number;
    dedupeKey?: string;
  };
  /** a workflow timer is due (end of 公示, SLA reminder or escalation) */
  'workflow.timer': { timerId: number };
  /** scan for tasks nearing or past their due time (repeating) */
  'workflow.sla-sweep': Record<string, never>;
  /** e-mail an organisation invited to a case by credit code its one-time link to accept (InvitationsService.mail) */
  'workflow.invite': { caseId: number; party: string };
  /** run a transition's effect outside the transaction that decided it */
  'workflow.effect': { effect: string; caseId: number; eventId: number; params?: Record<string, unknown> };
  /** render, number, store a document (one per kind, subject and generation) */
  'documents.issue': DocumentRequest;
  /** revoke the valid document of a subject (e.g. a revoked certification) */
  'documents.revoke': {
    kind: DocumentKind;
    subjectKey: string;
    reason: string;
    /** what became of the subject, in words (default 已撤销) */ statusLabel?: string;
  };
  /** a certified enterprise's annual report for a year: remind before it is due, escalate when it is late */
  'certification.annual-report': { certificationId: number; year: number; phase: 'remind' | 'overdue' };
  /** the city's monthly report on month 'YYYY-MM' (issued once, on the first working day after it) */
  'reporting.monthly-report': { month: string };
}
export type JobName = keyof JobPayloads;
export const JOB_NAMES = [
  'notify',
  'workflow.timer',
  'workflow.sla-sweep',
  'workflow.effect',
  'workflow.invite',
  'documents.issue',
  'documents.revoke',
  'certification.annual-report',
  'reporting.monthly-report',
] as const satisfies readonly JobName[];
