import type { Browser } from 'playwright-core';
import { demoPassword, launchBrowser, loginInBrowser, newPortalPage, screenshot, startTestApp, type TestApp } from '@portal/testing';
import { browserSuite } from '../support/browser-app.js';

/**
 * A government intranet serves the portal over plain http under its own host name. Chromium treats every
 * loopback address as secure, so only a made-up name (mapped to 127.0.0.1) shows what such a browser does
 * with `upgrade-insecure-requests`: it would fetch the scripts over https and the page would stay blank.
 */
browserSuite('the web app over plain http on a non-loopback host name', () => {
  let t: TestApp;
  let base: string;
  let browser: Browser;

  beforeAll(async () => {
    t = await startTestApp({ PUBLIC_BASE_URL: 'http://intranet.test' });
    const loopback = new URL(await t.listen());
    base = `http://intranet.test:${loopback.port}`;
    browser = await launchBrowser(['--host-resolver-rules=MAP intranet.test 127.0.0.1']);
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('renders the login page and logs in', async () => {
    const page = await newPortalPage(browser);
    const failed: string[] = [];
    page.on('requestfailed', (r) => failed.push(r.url()));
    try {
      const res = await page.goto(`${base}/#/login`);
      // with `upgrade-insecure-requests` the scripts are fetched from https://intranet.test and the page stays blank
      await page.getByText('温州市产教融合平台').first().waitFor({ timeout: 15_000 });
      await page.locator('input[name="username"]').waitFor({ timeout: 15_000 });
      await screenshot(page, 'plain-http-01-login');
      expect(res?.headers()['content-security-policy']).not.toContain('upgrade-insecure-requests');
      expect(res?.headers()['strict-transport-security']).toBeUndefined();
      expect(failed.filter((u) => u.startsWith('https:'))).toEqual([]);
      await loginInBrowser(page, base, 'admin', demoPassword());
      await page.getByTestId('dashboard').waitFor();
      expect(new URL(page.url()).protocol).toBe('http:');
      await screenshot(page, 'plain-http-02-dashboard');
    } finally {
      await page.close();
    }
  });
});
