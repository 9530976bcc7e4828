import { CREDIT_CODE_ALPHABET, creditCodeCheckChar } from '@portal/contracts';

let seq = 0;

/** A valid, unique 统一社会信用代码 for test enterprises (registered in `county`). */
export function makeCreditCode(county = '330302'): string {
  seq += 1;
  const n = (Date.now() * 1000 + process.pid * 7 + seq).toString(31).toUpperCase();
  const body = [...n.padStart(9, '0').slice(-9)].map((c) => CREDIT_CODE_ALPHABET[parseInt(c, 31) % 31]).join('');
  const first17 = `91${county}${body}`;
  return first17 + creditCodeCheckChar(first17)!;
}

/** A registration body for POST /api/auth/register-enterprise with unique code, name and username. */
export function registrationBody(over: { county?: string; username?: string; name?: string } = {}) {
  const code = makeCreditCode(over.county);
  return {
    organisation: {
      name: over.name ?? `测试企业${code.slice(8, 17)}有限公司`,
      creditCode: code,
      countyCode: over.county ?? '330302',
      industry: 'electrical',
      address: '温州市测试路1号',
      contactName: '测试联系人',
      contactPhone: '0577-12345678',
    },
    user: { username: over.username ?? `ent_${code.slice(8, 17).toLowerCase()}`, password: 'Test1234abc', displayName: '测试申报人' },
  };
}
