import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { testConfig } from './test-config.js';

export const CHROMIUM = testConfig.chromiumPath();
export const ARTIFACTS = path.resolve('tests/browser/artifacts');

/** Whether browser tests can run here; REQUIRE_BROWSER (set in CI) turns a missing Chromium into a failure. */
export function browserAvailable(): boolean {
  if (existsSync(CHROMIUM)) return true;
  if (testConfig.requireBrowser()) throw new Error(`REQUIRE_BROWSER is set but there is no Chromium at ${CHROMIUM} (apt-get install chromium)`);
  console.warn(`[browser tests] no Chromium at ${CHROMIUM}: skipped (install Debian's chromium to run them)`);
  return false;
}

/**
 * Debian's Chromium, headless, as root-safe as this machine needs (STACK.md). `extraArgs`: more switches,
 * e.g. `--host-resolver-rules=MAP intranet.test 127.0.0.1` to reach the app under a non-loopback name.
 * Chinese as a user's browser in Wenzhou is: `--lang` and the page's locale set the language the app sees, but the
 * browser's own formats (a date input's yyyy/mm/dd) follow `LANGUAGE` and need Debian's `chromium-l10n` (without
 * either they stay en-US: mm/dd/yyyy). `LANG` stays C.UTF-8, a locale every Debian has: one the system lacks
 * (zh_CN.UTF-8) would make file names ASCII, and a Chinese download name would become "download".
 */
export function launchBrowser(extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    env: { ...process.env, LANG: 'C.UTF-8', LANGUAGE: 'zh_CN:zh' },
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--lang=zh-CN',
      ...extraArgs,
    ],
  });
}

/** A full-page screenshot from the top (a page scrolled to a tab would draw the fixed app bar mid-page). */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const file = path.join(ARTIFACTS, `${name}.png`);
  await page.evaluate('window.scrollTo(0, 0)');
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/** A new page as a user in Wenzhou sees the portal: Chinese, a laptop's window. */
export function newPortalPage(browser: Browser): Promise<Page> {
  return browser.newPage({ locale: 'zh-CN', viewport: { width: 1280, height: 900 } });
}

/** A new page, logged in as `username` through the login page, on the dashboard. */
export async function pageAs(browser: Browser, baseUrl: string, username: string, password: string): Promise<Page> {
  const page = await newPortalPage(browser);
  await loginInBrowser(page, baseUrl, username, password);
  await page.getByTestId('dashboard').waitFor();
  return page;
}

/** Log in through the login page and wait for the dashboard. */
export async function loginInBrowser(page: Page, baseUrl: string, username: string, password: string): Promise<void> {
  await page.goto(`${baseUrl}/#/login`);
  await page.locator('input[name="username"]').fill(username);
  await page.locator('input[name="password"]').fill(password);
  await page.locator('button[type="submit"]').click();
  await page.waitForURL((u) => !u.hash.startsWith('#/login'), { timeout: 15_000 });
}
