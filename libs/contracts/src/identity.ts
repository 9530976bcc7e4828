import type { OrganisationKind, Role } from './roles.js';

export interface OrganisationDto {
  id: number;
  kind: OrganisationKind;
  name: string;
  creditCode: string | null;
  countyCode: string | null;
  industry: string | null;
  schoolType: string | null;
  authorityType: string | null;
  address: string | null;
  contactName: string | null;
  contactPhone: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface UserDto {
  id: number;
  username: string;
  displayName: string;
  organisationId: number;
  roles: Role[];
  /** A county code for county-scoped roles; null means city-wide. */
  jurisdiction: string | null;
  email: string | null;
  /** The mobile masked (maskPhone: 138****1234), as everyone sees another person's; a write still takes the whole number. */
  phoneMasked: string | null;
  active: boolean;
  lockedUntil: string | null;
  createdAt: string;
}

/** The logged-in user: their own phone in full (it is their own data), besides what any user record says. */
export interface MeDto extends UserDto {
  phone: string | null;
  organisation: Pick<OrganisationDto, 'id' | 'name' | 'kind' | 'countyCode'>;
}

export interface LoginResponse {
  token: string;
  expiresAt: string;
}

/** One sign-in attempt as the admin's login log shows it. */
export interface LoginEventDto {
  id: string;
  at: string;
  username: string;
  userId: number | null;
  success: boolean;
  reason: string | null;
  ip: string | null;
  userAgent: string | null;
}

/** The reference lists every form picks from: counties, industries, school and authority types. */
export interface ReferenceDto {
  counties: Array<{ code: string; name: string }>;
  industries: Array<{ code: string; name: string; group: string }>;
  schoolTypes: ReadonlyArray<{ code: string; name: string }>;
  authorityTypes: ReadonlyArray<{ code: string; name: string }>;
}

/** A user one may pick (a delegate, an assignee, a panel member): who, and of which organisation. */
export interface UserChoiceDto {
  id: number;
  displayName: string;
  organisationName?: string;
}

/** A registered enterprise one may pick (an order class's partner, a practice host): its public facts only. */
export interface EnterpriseChoiceDto {
  id: number;
  name: string;
  creditCode?: string | null;
  countyCode: string | null;
  industry: string | null;
}

/** How many unread notifications. */
export interface CountDto {
  count: number;
}

/** How many notifications were just marked read. */
export interface MarkedReadDto {
  marked: number;
}

/** The key of what was removed (a delegation ended, a calendar day deleted). */
export interface RemovedDto {
  id: number | string;
}

/** An outbox job as the admin's jobs page lists it. */
export interface JobDto {
  id: number;
  jobName: string;
  payload: unknown;
  attempts: number;
  lastError: string | null;
  createdAt: string;
  processedAt: string | null;
  status: 'pending' | 'scheduled' | 'retrying' | 'failed' | 'done';
}

/** The jobs page's counts: outbox rows by status, and BullMQ's own counts when jobs run on Redis. */
export interface JobStatsDto {
  mode: 'bullmq' | 'embedded';
  counts: Record<JobDto['status'], number>;
  bullmq?: Record<string, number>;
}

/** A failed job put back in line. */
export interface JobRetryDto {
  id: number;
  status: string;
}

/** What `/api/health` answers: the database and the job queue. */
export interface HealthReport {
  status: 'ok' | 'degraded' | 'down';
  database: { status: 'up' | 'down'; error?: string };
  queue: { mode: 'bullmq' | 'embedded'; status: 'up' | 'down' | 'in-process'; error?: string };
}
