import { ValidationPipe, type ArgumentMetadata } from '@nestjs/common';
import { isIsoDay } from '@portal/contracts';
import { ValidateBy, type ValidationOptions } from 'class-validator';
import { DomainException } from '../errors/domain-exception.js';
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

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const bad = malformedText(value, metadata.data ?? '');
    if (bad !== undefined)
      throw DomainException.validation(`输入有误 — ${bad || '请求'}：包含无法识别的字符`, [
        { field: bad, messages: ['包含无法识别的字符（不完整的 Unicode 编码）'] },
      ]);
    return super.transform(value, metadata);
  }
}

/** A lone UTF-16 surrogate: text JSON can carry ("\ud800") but no character is, on which validators throw (isEmail's URIError). */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** The path of the first string (or key) in `value` that is not well-formed Unicode, if any ('' for the value itself). */
function malformedText(value: unknown, path: string, depth = 0): string | undefined {
  if (typeof value === 'string') return LONE_SURROGATE.test(value) ? path : undefined;
  if (value === null || typeof value !== 'object' || depth > 32) return undefined;
  for (const [key, v] of Object.entries(value)) {
    const at = path ? `${path}.${key}` : key;
    if (LONE_SURROGATE.test(key)) return at;
    const bad = malformedText(v, at, depth + 1);
    if (bad !== undefined) return bad;
  }
  return undefined;
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
