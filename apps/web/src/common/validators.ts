import { creditCodeProblem } from '@portal/contracts';

/** A form value as text (numbers as typed; anything else is not text). */
const asText = (value: unknown): string => (typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '');

/** A react-admin validator: the 18-character 统一社会信用代码 (GB 32100-2015), checked as typed. */
export const validateCreditCode = (value: unknown): string | undefined => {
  if (value === null || value === undefined || value === '') return undefined;
  const problem = creditCodeProblem(asText(value));
  return problem ? `app.validation.credit_code.${problem}` : undefined;
};

/** Credit codes are upper-case; typing lower case is forgiven. */
export const parseCreditCode = (value: string | null | undefined): string | null => (value ? value.toUpperCase().replace(/\s+/g, '') : null);

/** Same shapes as the server's DTOs (libs/server/identity/src/dto/validators.ts). */
const PHONE = /^[0-9+\-() ]{5,30}$/;
export const validatePhone = (value: unknown): string | undefined =>
  value === null || value === undefined || value === '' || PHONE.test(asText(value)) ? undefined : 'app.validation.phone';

const USERNAME = /^[A-Za-z0-9_.@-]{3,64}$/;
export const validateUsername = (value: unknown): string | undefined =>
  value === null || value === undefined || value === '' || USERNAME.test(asText(value)) ? undefined : 'app.validation.username';

/**
 * The server's password policy: letters and digits both, and a minimum length that is a setting
 * (auth.minPasswordLength, default 8) — the length is left to the server, which names the current minimum.
 */
export const validatePasswordShape = (value: unknown): string | undefined => {
  if (value === null || value === undefined || value === '') return undefined;
  const v = asText(value);
  return /[A-Za-z]/.test(v) && /[0-9]/.test(v) ? undefined : 'app.validation.password';
};
