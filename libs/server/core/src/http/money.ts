import { ValidateBy, type ValidationOptions } from 'class-validator';

export const YUAN_MESSAGE = '应为金额（元），最多两位小数';

/**
 * Whether a value is an amount of yuan that is a whole number of fen: a finite number written with at
 * most two decimals. Refuses what `@IsNumber({ maxDecimalPlaces: 2 })` lets through because its decimals
 * are counted on the text: `1e-7`, `1e+21` (exponent notation) and anything beyond a safe integer of fen.
 */
export function isYuan(value: unknown): value is number {
  if (typeof value !== 'number' || !Number.isFinite(value)) return false;
  if (!/^-?\d+(\.\d{1,2})?$/.test(String(value))) return false;
  return Number.isSafeInteger(Math.round(value * 100));
}

/** Money in yuan (two decimals at most: integer fen); stored and computed as fen with `yuanToFen`. */
export function IsYuan(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy({ name: 'isYuan', validator: { validate: (v) => isYuan(v), defaultMessage: () => YUAN_MESSAGE } }, options);
}

/** Integer fen of a validated yuan amount (no floating-point residue: 0.29 → 29, not 28.999…). */
export function yuanToFen(yuan: number): number {
  return Math.round(yuan * 100);
}
