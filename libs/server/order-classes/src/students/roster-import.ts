import { maskIdNumber, maskPhone, portalToday } from '@portal/contracts';
import type { ImportSpec } from '@portal/core';
import { checkStudent, type ValidStudent } from './student.rules.js';

export type RosterColumn = 'name' | 'idNumber' | 'gender' | 'phone';

/** A cell of the ID-number column as the preview shows it: at most the first 6 and last 4 characters. */
function maskedId(raw: string): string {
  const v = raw.trim().toUpperCase();
  return v.length > 10 ? maskIdNumber(v) : '*'.repeat(v.length);
}

/**
 * The roster import (订单班学生名单): name, ID number, gender and phone, each row checked like a student added
 * one by one (against one `today`, taken once per file: birth dates after it are impossible); a second row with
 * the same ID number is a duplicate; the preview shows no ID number or phone in clear.
 */
export const rosterImport = (today = portalToday()): ImportSpec<RosterColumn, ValidStudent> => ({
  kind: 'order-class-roster',
  title: '订单班学生名单',
  columns: [
    { key: 'name', header: '姓名', required: true, example: '张三' },
    { key: 'idNumber', header: '身份证号码', required: true, example: '330302200503140016' },
    { key: 'gender', header: '性别', required: true, example: '男' },
    { key: 'phone', header: '手机号码', example: '13800000000' },
  ],
  parse: (cells) => checkStudent(cells, today),
  duplicateKey: (s) => s.idNumber,
  display: (cells) => ({ ...cells, idNumber: maskedId(cells.idNumber), phone: cells.phone.trim() ? maskPhone(cells.phone) : '' }),
});
