import { validate } from 'class-validator';
import { IsPortalDay } from './validation.js';

class Term {
  @IsPortalDay('培养开始日期应为有效日期')
  start!: unknown;
}

const problems = async (start: unknown) => {
  const t = Object.assign(new Term(), { start });
  return (await validate(t)).flatMap((e) => Object.values(e.constraints ?? {}));
};

describe('IsPortalDay', () => {
  it.each(['2026-11-30', '2028-02-29', '2000-02-29'])('takes a date that exists: %s', async (day) => {
    expect(await problems(day)).toEqual([]);
  });

  it.each(['2026-02-30', '2027-02-29', '1900-02-29', '2026-13-01', '2026-1-5', '2026-11-30T00:00:00Z', 20261130, null])(
    'refuses %p with the given message',
    async (day) => {
      expect(await problems(day)).toEqual(['培养开始日期应为有效日期']);
    },
  );
});
