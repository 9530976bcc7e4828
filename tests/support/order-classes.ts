import { addDays, ORDER_CLASS_CHECKLIST, portalToday } from '@portal/contracts';
import { tinyPdf, type TestApp } from '@portal/testing';
import { organisationOf } from './people.js';

/** A complete registration body (PUT /api/order-classes/:id) for a class that started 60 days ago and runs a year. */
export function completeForm(dataVersion: number, over: Record<string, unknown> = {}): Record<string, unknown> {
  const today = portalToday();
  return {
    dataVersion,
    majorCode: '460306',
    cohortYear: 2025,
    plannedHeadcount: 40,
    termStart: addDays(today, -60),
    termEnd: addDays(today, 300),
    courses: '电工基础、PLC 编程、供配电设备运维；企业课程：智能配电柜装配工艺',
    mentors: [{ name: '陈工', title: '装配车间主任', years: 12 }],
    internship: {
      arrangement: '第三学期起在企业装配车间岗位实习 6 个月，双导师指导',
      months: 6,
      insurer: '中国人保温州分公司',
      policyNo: 'PICC-2025-0001',
      coverageYuan: 500000,
    },
    employment: { posts: [{ title: '电气装配技术员', openings: 30 }], salaryMinYuan: 5000, salaryMaxYuan: 7000, note: '结业考核合格者优先录用' },
    ...over,
  };
}

/** Upload the checklist's attachments (人才培养方案, 合作协议) as the school. */
export async function attachChecklist(t: TestApp, token: string, caseRef: string): Promise<void> {
  for (const c of ORDER_CLASS_CHECKLIST) {
    const res = await t
      .http()
      .post(`/api/cases/${caseRef}/attachments`)
      .set('Authorization', token)
      .field('purpose', c.purpose)
      .attach('file', await tinyPdf(c.label), `${c.purpose}.pdf`);
    if (res.status !== 201) throw new Error(`attaching ${c.purpose}: ${res.status} ${JSON.stringify(res.body)}`);
  }
}

/**
 * As the demo school (unless `school` names another admin): a registered order class with the demo
 * enterprise, complete and with its attachments, in draft. Answers its id and case reference.
 */
export async function draftClass(t: TestApp, p: { school?: string; enterpriseUser?: string; name?: string } = {}): Promise<{ id: number; caseRef: string }> {
  const token = `Bearer ${await t.token(p.school ?? 'school')}`;
  const enterpriseId = await organisationOf(t, p.enterpriseUser ?? 'enterprise');
  const created = await t
    .http()
    .post('/api/order-classes')
    .set('Authorization', token)
    .send({ name: p.name ?? '瓯江电气订单班', enterpriseId });
  if (created.status !== 201) throw new Error(`creating an order class: ${created.status} ${JSON.stringify(created.body)}`);
  const saved = await t.http().put(`/api/order-classes/${created.body.id}`).set('Authorization', token).send(completeForm(created.body.dataVersion));
  if (saved.status !== 200) throw new Error(`saving an order class: ${saved.status} ${JSON.stringify(saved.body)}`);
  await attachChecklist(t, token, created.body.caseRef);
  return { id: created.body.id, caseRef: created.body.caseRef };
}

/** POST an action on an order class as a user; answers the response. */
export async function classAct(t: TestApp, username: string, id: number, body: Record<string, unknown>) {
  return t
    .http()
    .post(`/api/order-classes/${id}/actions`)
    .set('Authorization', `Bearer ${await t.token(username)}`)
    .send(body);
}

/** Take a class from draft to active: school submits, enterprise confirms, county files. */
export async function activeClass(
  t: TestApp,
  p: { school?: string; enterpriseUser?: string; county?: string; name?: string } = {},
): Promise<{ id: number; caseRef: string }> {
  const c = await draftClass(t, p);
  for (const [user, action] of [
    [p.school ?? 'school', 'submit'],
    [p.enterpriseUser ?? 'enterprise', 'confirm'],
    [p.county ?? 'county', 'file'],
  ] as const) {
    const res = await classAct(t, user, c.id, { action });
    if (res.status !== 200) throw new Error(`${action} as ${user}: ${res.status} ${JSON.stringify(res.body)}`);
  }
  return c;
}
