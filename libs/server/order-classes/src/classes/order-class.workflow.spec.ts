import { definitionProblems } from '@portal/workflow';
import { FILE_RECEIPT_EFFECT, orderClassWorkflow } from './order-class.workflow.js';
import { registrationGaps, type OrderClassRow } from './order-class.rows.js';
import { ORDER_CLASS_CHECKLIST } from '@portal/contracts';

const pass = () => undefined;
const def = orderClassWorkflow({ complete: pass, hasStudents: pass, outcomesReported: pass }, () => Promise.resolve());

describe('the 订单班 workflow definition', () => {
  it('passes the engine boot checks (with its receipt effect registered)', () => {
    expect(definitionProblems(def, (e) => e === FILE_RECEIPT_EFFECT)).toEqual([]);
    expect(definitionProblems(def, () => false)).toEqual([`file: effect ${FILE_RECEIPT_EFFECT} has no handler`]);
  });

  it('is co-signed by the enterprise party, filed by the county of the school, and withdrawn only before filing', () => {
    expect(def.states.enterprise_confirm).toMatchObject({ kind: 'review', actor: 'party:enterprise' });
    expect(def.states.county_filing).toMatchObject({ kind: 'review', role: 'county_reviewer', scope: 'county' });
    const withdraw = def.transitions.find((t) => t.action === 'withdraw')!;
    expect(withdraw.from).toEqual(['draft', 'returned', 'enterprise_confirm', 'county_filing']);
    // roster changes keep the class active; every final state states its outcome
    for (const a of ['record_leave', 'record_join']) expect(def.transitions.find((t) => t.action === a)).toMatchObject({ from: 'active', to: 'active' });
    const finals = Object.entries(def.states).filter(([, s]) => s.kind === 'final');
    expect(Object.fromEntries(finals.map(([k, s]) => [k, s.outcome]))).toEqual({
      closed: 'positive',
      terminated: 'negative',
      not_filed: 'negative',
      withdrawn: 'neutral',
    });
    // teachers of the school do not read the school's classes
    expect(def.read).toEqual({ ownerOrganisation: ['school_admin'], reviewers: true });
  });
});

describe('registrationGaps', () => {
  const complete: OrderClassRow = {
    major_code: '460306',
    cohort_year: 2025,
    planned_headcount: 40,
    term_start: '2025-09-01',
    term_end: '2026-07-01',
    courses: '课程',
    mentors: [{ name: '陈工', title: '主任', years: 10 }],
    internship: { arrangement: '岗位实习', insurer: '人保', policyNo: 'P1' },
    employment: { posts: [{ title: '技术员', openings: 10 }], salaryMinYuan: 5000, salaryMaxYuan: 7000 },
  } as OrderClassRow;
  const purposes = ORDER_CLASS_CHECKLIST.map((c) => c.purpose);

  it('finds nothing missing in a complete registration', () => {
    expect(registrationGaps(complete, purposes, ORDER_CLASS_CHECKLIST)).toEqual([]);
  });

  it('names every missing part in Chinese, attachments included', () => {
    const empty = { ...complete, major_code: null, mentors: [], internship: {}, employment: { salaryMinYuan: 8000, salaryMaxYuan: 7000 } } as OrderClassRow;
    expect(registrationGaps(empty, [], ORDER_CLASS_CHECKLIST)).toEqual([
      '专业',
      '企业导师',
      '实习安排',
      '实习保险',
      '就业岗位',
      '薪酬范围（下限高于上限）',
      '人才培养方案',
      '校企合作协议（订单培养协议）',
    ]);
  });
});
