import { ValidationPipe, type ArgumentMetadata } from '@nestjs/common';
import { isIsoDay } from '@portal/contracts';
import { ValidateBy, type ValidationOptions } from 'class-validator';
import { validationFailure } from '../errors/validation-messages.js';

/**
 * Path parameters reach their own pipes (ParseIdPipe) as the text the client sent. Nest's pipe would first
 * turn a `number` path parameter into `+value`, so '1e3', '0x10' or ' 7' arrived at ParseIdPipe as valid
 * numbers (1000, 16, 7) and its strict check never saw them.
 */
class PortalValidationPipe extends ValidationPipe {
  protected override transformPrimitive(value: unknown, metadata: ArgumentMetadata): unknown {
    return metadata.type === 'param' ? value : super.transformPrimitive(value, metadata);
  }
}

/** The global pipe: unknown fields are refused, types are converted, every bad field is named in Chinese. */
export function createValidationPipe(): ValidationPipe {
  return new PortalValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    forbidUnknownValues: true,
    // the target (the DTO instance) names the fields in words; values are never echoed
    validationError: { target: true, value: false },
    exceptionFactory: (errors) => validationFailure(errors),
  });
}

/**
 * A calendar date written YYYY-MM-DD that exists (2026-02-30 does not): the portal's dates are Wenzhou's calendar
 * days as text, compared as text. `message` says which date, in Chinese.
 */
export function IsPortalDay(message = '日期应为 YYYY-MM-DD 格式的有效日期', options?: ValidationOptions): PropertyDecorator {
  return ValidateBy({ name: 'isPortalDay', validator: { validate: (v: unknown) => isIsoDay(v), defaultMessage: () => message } }, options);
}
