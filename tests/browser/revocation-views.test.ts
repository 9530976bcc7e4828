import { portalToday } from '@portal/contracts';
import { CertificationsService } from '@portal/certification';
import { screenshot } from '@portal/testing';
import { browserSuite, expectActiveMenu, useBrowserApp } from '../support/browser-app.js';
import { act, atPanel, newApplicant, SCORES } from '../support/certification.js';

/**
 * Issue 9 in the browser: after a revocation the documents table keeps its layout (a long reason wraps in
 * its cell; the table does not spill out of the page) and reads the subject's state; a 公示 held by an open
 * objection says so in the case header, with 处理异议 right there.
 */
browserSuite('revocation in the web app', () => {
  const web = useBrowserApp();
  const reason =
    '经核查，该企业申报材料中校企合作协议、实习生接收记录与实际情况严重不符，存在弄虚作假行为，依据《温州市产教融合型企业培育认定办法（试行）》第十八条撤销其认定资格';

  beforeAll(async () => {
    const [{ id: enterpriseId }] = await web.t.ds.query(`SELECT id FROM organisations WHERE name = '温州瓯江电气科技有限公司'`);
    const certifications = web.t.app.get(CertificationsService);
    const { id } = await web.t.ds.transaction((em) =>
      certifications.grant(em, { enterpriseId, level: 'city', source: 'portal', certifiedAt: portalToday(), actorId: null }),
    );
    await web.t.drain();
    const res = await web.t
      .http()
      .post(`/api/certifications/${id}/revoke`)
      .set('Authorization', `Bearer ${await web.t.token('city')}`)
      .send({ reason });
    expect(res.status).toBe(200);
    await web.t.drain();
  });

  it('the documents table keeps its layout after a revocation and says what became of each document', async () => {
    const page = await web.open('enterprise');
    await page.goto(`${web.base}/#/documents`);
    await page.getByText('产教融合型企业证书').first().waitFor();
    await page.getByText('补助资金拨付通知书').first().waitFor();
    await screenshot(page, 'revocation-01-documents');
    // nothing spills out sideways: the page does not scroll horizontally, and the table fits its card
    const overflow = await page.evaluate<{ page: number; table: number | null }>(`(() => {
      const table = document.querySelector('table');
      const card = table && table.closest('.MuiPaper-root, .RaList-content');
      return { page: document.documentElement.scrollWidth - document.documentElement.clientWidth, table: table && card ? table.scrollWidth - card.clientWidth : null };
    })()`);
    expect(overflow.page).toBeLessThanOrEqual(0);
    expect(overflow.table).not.toBeNull();
    expect(overflow.table!).toBeLessThanOrEqual(0);
    // the long reason stays in a bounded status cell: the serial, the dates and the download button keep
    // to one line each, the chip is a chip (not a bar across the column), each row stays short
    const rows = page.locator('tbody tr');
    expect(await rows.count()).toBe(2);
    for (let i = 0; i < 2; i++) {
      const row = rows.nth(i);
      expect(await row.innerText()).toContain('已撤销');
      const serial = (await row.locator('td').nth(1).locator('p').boundingBox())!;
      expect(serial.height).toBeLessThan(24);
      const download = (await row.getByRole('button', { name: /下载/ }).boundingBox())!;
      expect(download.height).toBeLessThan(40);
      const chip = (await row.locator('.MuiChip-root').first().boundingBox())!;
      expect(chip.width).toBeLessThan(160);
      const issued = await row.locator('td').nth(3).locator('span').first().boundingBox();
      expect(issued?.height ?? 999).toBeLessThan(24);
      expect((await row.boundingBox())!.height).toBeLessThan(90);
    }
    // the notice of a cancelled subsidy, the certificate of a revoked certification: both read 已撤销
    expect(await page.locator('tbody .MuiChip-root').allInnerTexts()).toEqual(['已撤销', '已撤销']);
  });

  it('finance opens 拨付通知 from the menu: the page is titled 拨付通知 (not 文件) and lists the notice', async () => {
    const page = await web.open('finance');
    await page.getByRole('menuitem', { name: '拨付通知' }).click();
    await page.getByText('补助资金拨付通知书').first().waitFor();
    const title = page.locator('#react-admin-title');
    await title.filter({ hasText: '拨付通知' }).waitFor();
    expect((await title.innerText()).trim()).toBe('拨付通知');
    await expectActiveMenu(page, '拨付通知');
    await screenshot(page, 'revocation-01b-finance-subsidy-notices');
  });

  it('a 公示 held by an open objection says so in the case header, where the city resolves it', async () => {
    const e = await newApplicant(web.t);
    const app = await atPanel(web.t, e);
    for (const u of ['expert1', 'expert2', 'expert3']) expect((await act(web.t, u, app.id, { action: 'score', scores: SCORES })).status).toBe(200);
    expect((await act(web.t, 'city', app.id, { action: 'publicize' })).status).toBe(200);
    expect(
      (
        await web.t
          .http()
          .post(`/api/publicity-notices/${app.id}/objections`)
          .send({ name: '李四', phone: '13900000000', content: '该企业未实际开展订单班培养，佐证材料与事实不符。' })
      ).status,
    ).toBe(201);

    const page = await web.open('city');
    await page.goto(`${web.base}/#/certification-applications/${app.id}/show`);
    const header = page.getByTestId('case-header');
    const notice = header.getByTestId('open-objections');
    await notice.waitFor();
    expect(await notice.innerText()).toContain('公示因 1 件异议暂停');
    expect(await notice.innerText()).toContain('该企业未实际开展订单班培养');
    await screenshot(page, 'revocation-02-objection-in-header');
    await notice.getByRole('button', { name: '处理异议' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('处理意见').fill('经核查，企业 2023、2024 年均开设订单班，异议不成立。');
    await dialog.getByRole('button', { name: '确定' }).click();
    await notice.waitFor({ state: 'detached' });
    const [o] = await web.t.ds.query(`SELECT status, resolution FROM objections WHERE case_id = $1`, [app.case.caseId]);
    expect(o).toEqual({ status: 'dismissed', resolution: '经核查，企业 2023、2024 年均开设订单班，异议不成立。' });
  });
});
