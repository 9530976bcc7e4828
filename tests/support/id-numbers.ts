import { addDays, idNumberCheckChar } from '@portal/contracts';

/**
 * 居民身份证号码 for tests (GB 11643-1999): a real address code, a birth date and an order code whose last
 * digit gives the gender (odd male, even female), then the check character computed over the first 17.
 */
export function makeIdNumber(p: { region?: string; birth?: string; gender?: 'male' | 'female'; seq?: number } = {}): string {
  const region = p.region ?? '330302';
  const birth = (p.birth ?? '2005-03-14').replace(/-/g, '');
  const seq = p.seq ?? 0;
  // the order code's first two digits from seq, its last one odd for a man and even for a woman
  const first = String(Math.floor(seq / 5) % 100).padStart(2, '0');
  const last = ((seq % 5) * 2 + (p.gender === 'female' ? 0 : 1)) % 10;
  const first17 = `${region}${birth}${first}${last}`;
  return first17 + idNumberCheckChar(first17);
}

/**
 * `n` distinct valid ID numbers of students born in 2004-2006 (alternating gender), as `{ idNumber, gender }`.
 * Unique for up to 100,000 (1,000 birth dates × 100 order codes each).
 */
export function manyIdNumbers(n: number, offset = 0): Array<{ idNumber: string; gender: 'male' | 'female' }> {
  const out: Array<{ idNumber: string; gender: 'male' | 'female' }> = [];
  for (let i = offset; i < offset + n; i++) {
    const gender = i % 2 === 0 ? 'male' : 'female';
    const birth = addDays('2004-01-01', i % 1000);
    out.push({ idNumber: makeIdNumber({ birth, gender, seq: Math.floor(i / 1000) * 5 + (Math.floor(i / 2) % 5) }), gender });
  }
  return out;
}

/** The same ID number with a wrong check character. */
export function withWrongCheckChar(id: string): string {
  const right = id[17];
  const wrong = right === '0' ? '1' : '0';
  return id.slice(0, 17) + wrong;
}

/** An ID number whose birth date does not exist (30 February), with a check character that is right for it. */
export function impossibleBirthIdNumber(seq = 0): string {
  const first17 = `33030220050230${String(100 + (seq % 900)).padStart(3, '0')}`;
  return first17 + idNumberCheckChar(first17);
}

/** A mainland mobile number, unique per n. */
export function makePhone(n: number): string {
  return `139${String(10_000_000 + (n % 90_000_000)).padStart(8, '0')}`;
}

/** A student's name unique per n, without digits (a name with digits is refused): 学生 and n in Chinese numerals (学生一二). */
export function studentName(n: number, prefix = '学生'): string {
  return prefix + [...String(n)].map((d) => '零一二三四五六七八九'[Number(d)]).join('');
}
