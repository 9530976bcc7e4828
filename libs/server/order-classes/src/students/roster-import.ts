import { maskIdNumber, maskPhone, portalToday } from '@portal/contracts';
import { maskPersonalNumbers, type ImportSpec } from '@portal/core';
import { checkStudent, type ValidStudent } from './student.rules.js';

export type RosterColumn = 'name' | 'idNumber' | 'gender' | 'phone';

/** A cell of the ID-number column as the preview shows it: at most the first 6 and last 4 characters. */
function maskedId(raw: string): string {
  const v = raw.trim().toUpperCase();
  return v.length > 10 ? maskIdNumber(v) : '*'.repeat(v.length);
}

/** Any cell as the preview shows it: ID numbers and mobile numbers in it masked (full-width digits read as digits). */
function maskCell(raw: string): string {
  return maskPersonalNumbers(raw.replace(/[０-９]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0)));
}

/**
 * The roster import (订单班学生名单): name, ID number, gender and phone, each row checked like a student added
 * one by one (against one `today`, taken once per file: birth dates after it are impossible); a second row with
 * the same ID number is a duplicate; the preview shows no ID number or phone in clear. The template has no example
 * row (it would import a student): its header cells carry the guidance as notes.
 */
export const rosterImport = (today = portalToday()): ImportSpec<RosterColumn, ValidStudent> => ({
  kind: 'order-class-roster',
  title: '订单班学生名单',
  // no example row: a valid one (a real check character, phone and gender) would be imported as a student by a
  // school that leaves it in; the guidance is in the header cells' notes instead
  columns: [
    { key: 'name', header: '姓名', required: true, note: '必填：学生姓名，如“张三”，不能含数字。从第 2 行起每行填写一名学生，表头请勿改动。' },
    {
      key: 'idNumber',
      header: '身份证号码',
      required: true,
      note: '必填：18 位居民身份证号码，最后一位可为 X；本列已设为文本格式，请勿改为数字格式，以免末尾数字丢失。',
    },
    { key: 'gender', header: '性别', required: true, note: '必填：填写“男”或“女”，须与身份证号码一致。' },
    { key: 'phone', header: '手机号码', note: '选填：11 位大陆手机号码。' },
  ],
  parse: (cells) => checkStudent(cells, today),
  duplicateKey: (s) => s.idNumber,
  display: (cells) => ({
    // columns may be shifted (an ID number in the name cell …): every cell is masked, not only the ID and phone ones
    name: maskCell(cells.name),
    idNumber: maskedId(cells.idNumber),
    gender: maskCell(cells.gender),
    phone: cells.phone.trim() ? maskPhone(cells.phone) : '',
  }),
});
