import { ID_NUMBER_PROBLEM_MESSAGES, idNumberFacts, idNumberProblem, phoneKey, portalToday, type Gender } from '@portal/contracts';

/** A student as typed or imported (trimmed strings; '' when empty). */
export interface StudentCells {
  name: string;
  idNumber: string;
  gender: string;
  phone: string;
}

/** A checked student: the ID number normalised (upper-case X), the phone reduced to its digits. */
export interface ValidStudent {
  name: string;
  idNumber: string;
  gender: Gender;
  /** Only the year is kept: with the masked ID number (first 6, last 4), the full date would rebuild it. */
  birthYear: number;
  phone: string | null;
}

const GENDERS: Record<string, Gender> = { 男: 'male', 女: 'female', male: 'male', female: 'female', m: 'male', f: 'female' };

/** The ID number as it is sealed and hashed: trimmed, a lower-case x taken as X. */
export function normaliseIdNumber(raw: string): string {
  return raw.trim().toUpperCase();
}

/**
 * Check one student (a name without digits, GB 11643-1999 ID number with a real birth date and its check
 * character, gender consistent with the ID's 17th digit, a mainland mobile number when given); problems in Chinese.
 */
export function checkStudent(cells: StudentCells, today = portalToday()): { value?: ValidStudent; problems: string[] } {
  const problems: string[] = [];
  const name = cells.name.trim();
  if (!name) problems.push('姓名不能为空');
  else if ([...name].length > 40) problems.push('姓名不能超过 40 个字');
  else if ([...name].some((ch) => ch < ' ' || ch === '<' || ch === '>')) problems.push('姓名含有不允许的字符');
  // a name has no digits: digits there are an ID number or phone in the wrong column, which would be kept in clear
  else if (/\p{Nd}/u.test(name)) problems.push('姓名不能含有数字（请检查是否填错了列）');
  const idNumber = normaliseIdNumber(cells.idNumber);
  const idProblem = idNumber ? idNumberProblem(idNumber, today) : undefined;
  if (!idNumber) problems.push('身份证号码不能为空');
  else if (idProblem) problems.push(ID_NUMBER_PROBLEM_MESSAGES[idProblem]);
  const genderRaw = cells.gender.trim().toLowerCase();
  const gender = GENDERS[genderRaw];
  if (!genderRaw) problems.push('性别不能为空');
  else if (!gender) problems.push('性别应为“男”或“女”');
  const facts = idNumber && !idProblem ? idNumberFacts(idNumber) : undefined;
  if (facts && gender && facts.gender !== gender) problems.push('性别与身份证号码不一致');
  let phone: string | null = null;
  if (cells.phone.trim()) {
    phone = phoneKey(cells.phone);
    if (!/^1[3-9]\d{9}$/.test(phone)) problems.push('手机号码应为 11 位大陆手机号');
  }
  if (problems.length || !facts || !gender) return { problems };
  return { value: { name, idNumber, gender, birthYear: Number(facts.birthDate.slice(0, 4)), phone }, problems };
}
