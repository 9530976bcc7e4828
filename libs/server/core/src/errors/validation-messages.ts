import type { ValidationError } from 'class-validator';
import type { FieldProblem } from '@portal/contracts';
import { DomainException } from './domain-exception.js';

/** Chinese wording for class-validator's constraints, so DTOs need no message on every decorator. */
const CONSTRAINT_MESSAGES: Record<string, (c: string) => string> = {
  whitelistValidation: () => '不允许的字段',
  isDefined: () => '必填',
  isNotEmpty: () => '不能为空',
  isString: () => '应为文本',
  isInt: () => '应为整数',
  isNumber: () => '应为数字',
  isBoolean: () => '应为是/否',
  isEmail: () => '邮箱格式不正确',
  isEnum: () => '不在可选值范围内',
  isIn: () => '不在可选值范围内',
  isArray: () => '应为列表',
  isDateString: () => '日期格式不正确',
  isISO8601: () => '日期格式不正确',
  min: (c) => c.replace(/^.*must not be less than (\S+).*$/, '不能小于 $1'),
  max: (c) => c.replace(/^.*must not be greater than (\S+).*$/, '不能大于 $1'),
  minLength: (c) => c.replace(/^.*longer than or equal to (\d+).*$/, '长度不能少于 $1 个字符'),
  maxLength: (c) => c.replace(/^.*shorter than or equal to (\d+).*$/, '长度不能超过 $1 个字符'),
  isLength: (c) => {
    const min = /longer than or equal to (\d+)/.exec(c);
    const max = /shorter than or equal to (\d+)/.exec(c);
    return min ? `长度不能少于 ${min[1]} 个字符` : max ? `长度不能超过 ${max[1]} 个字符` : '长度不符合要求';
  },
  arrayMinSize: (c) => c.replace(/^.*at least (\d+).*$/, '至少需要 $1 项'),
  arrayMaxSize: (c) => c.replace(/^.*no more than (\d+).*$/, '最多 $1 项'),
  matches: () => '格式不正确',
  isPositive: () => '应为正数',
  nestedValidation: () => '内容不正确',
};

/** A field's name as users read it: its DTO property's OpenAPI description up to the first bracket or comma (拨付凭证号). */
function labelOf(e: ValidationError): string | undefined {
  const proto: unknown = e.target ? Object.getPrototypeOf(e.target) : undefined;
  if (!proto || typeof proto !== 'object') return undefined;
  const meta = Reflect.getMetadata('swagger/apiModelProperties', proto, e.property) as { description?: unknown } | undefined;
  const label = typeof meta?.description === 'string' ? meta.description.split(/[（(；;，,：:]/)[0].trim() : '';
  return label && label.length <= 20 ? label : undefined;
}

/** Flatten class-validator errors (nested too) into one problem per field path, in Chinese, with the field's label. */
function collect(errors: ValidationError[], prefix: string): Array<{ problem: FieldProblem; label: string | undefined }> {
  const out: Array<{ problem: FieldProblem; label: string | undefined }> = [];
  for (const e of errors) {
    const field = prefix ? `${prefix}.${e.property}` : e.property;
    if (e.constraints) {
      const messages = Object.entries(e.constraints).map(([key, original]) => {
        // a decorator given an explicit Chinese message keeps it
        if (/[\u4e00-\u9fff]/.test(original)) return original;
        const translate = CONSTRAINT_MESSAGES[key];
        return translate ? translate(original) : original;
      });
      out.push({ problem: { field, messages }, label: labelOf(e) });
    }
    if (e.children?.length) out.push(...collect(e.children, field));
  }
  return out;
}

/**
 * class-validator's errors as one VALIDATION: `details` names each field path with its problems in Chinese; the
 * message names the fields as users read them (拨付凭证号：长度不能少于 2 个字符), not by their property names.
 * Validate with `validationError.target` on (the DTO's class carries the labels); values are never read.
 */
export function validationFailure(errors: ValidationError[], prefix = ''): DomainException {
  const found = collect(errors, prefix);
  const shown = found.slice(0, 5).map(({ problem, label }) => `${label ?? problem.field}：${problem.messages.join('，')}`);
  return DomainException.validation(
    `输入有误 — ${shown.join('；')}${found.length > 5 ? ` 等 ${found.length} 处` : ''}`,
    found.map(({ problem }) => problem),
  );
}
