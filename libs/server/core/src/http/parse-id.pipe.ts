import { Injectable, type PipeTransform } from '@nestjs/common';
import { DomainException } from '../errors/domain-exception.js';

/** A path id: a positive 32-bit integer, else a 400 naming it (never a database error). */
@Injectable()
export class ParseIdPipe implements PipeTransform<string, number> {
  transform(value: string): number {
    const n = Number(value);
    if (!/^\d{1,10}$/.test(value) || !Number.isSafeInteger(n) || n < 1 || n > 2_147_483_647) {
      throw DomainException.validation('路径中的 id 应为正整数', [{ field: 'id', messages: ['应为正整数'] }]);
    }
    return n;
  }
}
