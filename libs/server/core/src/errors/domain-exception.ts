import { ERROR_CODES, type ErrorCode } from '@portal/contracts';

/**
 * The one exception services throw. `message` is what a user reads (Chinese by default); `details`
 * carries machine-readable specifics (bad fields, the current version after a conflict, …).
 */
export class DomainException extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'DomainException';
  }

  get status(): number {
    return ERROR_CODES[this.code];
  }

  static notFound(what = '记录'): DomainException {
    return new DomainException('NOT_FOUND', `${what}不存在或无权查看`);
  }
  static forbidden(message = '无权执行此操作'): DomainException {
    return new DomainException('FORBIDDEN', message);
  }
  static validation(message: string, details?: unknown): DomainException {
    return new DomainException('VALIDATION', message, details);
  }
  static conflict(message: string, details?: unknown): DomainException {
    return new DomainException('CONFLICT', message, details);
  }
}

/**
 * Independent checks of one input, run together: their results, or one VALIDATION naming every problem they found
 * (a form gets all its errors at once, not one per attempt). Any other error is thrown as it is.
 */
export async function allValid<T extends readonly (() => unknown)[]>(...checks: T): Promise<{ [K in keyof T]: Awaited<ReturnType<T[K]>> }> {
  // a check may throw before it returns a promise: Promise.resolve().then runs it where a throw becomes a rejection
  const settled = await Promise.allSettled(checks.map((check) => Promise.resolve().then(check)));
  const problems: DomainException[] = [];
  for (const s of settled) {
    if (s.status === 'fulfilled') continue;
    if (!(s.reason instanceof DomainException) || s.reason.code !== 'VALIDATION') throw s.reason;
    problems.push(s.reason);
  }
  if (problems.length === 1) throw problems[0];
  if (problems.length)
    throw DomainException.validation(
      problems.map((p) => p.message).join('；'),
      problems.flatMap((p): unknown[] => (Array.isArray(p.details) ? (p.details as unknown[]) : [])),
    );
  const values: unknown[] = settled.map((s) => (s as PromiseFulfilledResult<unknown>).value);
  return values as { [K in keyof T]: Awaited<ReturnType<T[K]>> };
}
