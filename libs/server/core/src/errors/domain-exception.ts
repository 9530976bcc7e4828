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
