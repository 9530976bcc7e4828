import { Injectable, type PipeTransform } from '@nestjs/common';
import { DomainException } from '@portal/core';
import { parseCaseRef } from '../engine/case-row.js';

/** `:ref` path parameters: `<workflow>:<id>`, else a 400 naming it. */
@Injectable()
export class ParseCaseRefPipe implements PipeTransform<string, { workflowKey: string; id: number }> {
  transform(value: string): { workflowKey: string; id: number } {
    const ref = parseCaseRef(value);
    if (!ref) throw DomainException.validation('案件编号格式应为 <流程>:<编号>', [{ field: 'ref', messages: ['格式不正确'] }]);
    return ref;
  }
}
