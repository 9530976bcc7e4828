import { CREDIT_CODE_PROBLEM_MESSAGES, creditCodeProblem } from '@portal/contracts';
import { ValidateBy, type ValidationOptions } from 'class-validator';

/** A 统一社会信用代码 with a correct GB 32100-2015 check character; the message names the problem. */
export function IsCreditCode(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isCreditCode',
      validator: {
        validate: (v: unknown) => typeof v === 'string' && creditCodeProblem(v) === undefined,
        defaultMessage: (args) =>
          typeof args?.value === 'string' ? CREDIT_CODE_PROBLEM_MESSAGES[creditCodeProblem(args.value) ?? 'check_digit'] : '统一社会信用代码应为文本',
      },
    },
    options,
  );
}

export const USERNAME_PATTERN = /^[A-Za-z0-9_.@-]{3,64}$/;
export const PHONE_PATTERN = /^[0-9+\-() ]{5,30}$/;
