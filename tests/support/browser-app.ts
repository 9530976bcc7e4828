import type { Browser, Page } from 'playwright-core';
import { browserAvailable, demoPassword, launchBrowser, newPortalPage, pageAs, startTestApp, type TestApp, type TestAppOptions } from '@portal/testing';

/**
 * The describe of a browser suite: it runs wherever Debian's Chromium is installed (CI sets REQUIRE_BROWSER, so
 * there a missing one fails) and is skipped elsewhere.
 */
export const browserSuite = browserAvailable() ? describe : describe['skip'];

/** What a browser suite drives; `t`, `base` and `browser` are there once the suite's beforeAll has run. */
export interface BrowserApp {
  readonly t: TestApp;
  /** the app's address on its loopback port */
  readonly base: string;
  readonly browser: Browser;
  /** A new page signed in as `username` through the login page, on the dashboard; closed after the test. */
  open(username: string, password?: string): Promise<Page>;
  /** A new page signed in as nobody (as `pageAs` opens its pages); closed after the test. */
  newPage(): Promise<Page>;
}

/**
 * The setup every browser suite shares, called once inside its describe block: before the tests the app
 * (`startTestApp(env, opts)`) listens on a free port and Chromium is launched; the pages a test opened are closed
 * after it; Chromium and the app after them all. A suite that prepares more keeps a beforeAll of its own after this
 * call (jest runs the hooks in the order they were registered).
 */
export function useBrowserApp(env: Record<string, string> = {}, opts: TestAppOptions = {}): BrowserApp {
  let t: TestApp | undefined;
  let base: string | undefined;
  let browser: Browser | undefined;
  const pages: Page[] = [];

  beforeAll(async () => {
    t = await startTestApp(env, opts);
    base = await t.listen();
    browser = await launchBrowser();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });
  afterEach(async () => {
    for (const p of pages.splice(0)) await p.close();
  });

  const ready = <T>(value: T | undefined, name: string): T => {
    if (value === undefined) throw new Error(`useBrowserApp: no ${name} before the suite's beforeAll has run`);
    return value;
  };
  const kept = (page: Page): Page => {
    pages.push(page);
    return page;
  };
  return {
    get t() {
      return ready(t, 't');
    },
    get base() {
      return ready(base, 'base');
    },
    get browser() {
      return ready(browser, 'browser');
    },
    open: async (username, password = demoPassword()) => kept(await pageAs(ready(browser, 'browser'), ready(base, 'base'), username, password)),
    newPage: async () => kept(await newPortalPage(ready(browser, 'browser'))),
  };
}

/** The app bar's title reads `name` (a list opened from the menu is titled as its entry). */
export async function expectTitle(page: Page, name: string): Promise<void> {
  await page.locator('#react-admin-title').filter({ hasText: name }).first().waitFor();
  expect((await page.locator('#react-admin-title').innerText()).trim()).toBe(name);
}

/**
 * The side menu marks one entry, `name`, as the open page's (highlighted and aria-current): not every entry that
 * opens the same list with another filter (订单班备案 and 订单班), nor a list's entry on its create form.
 */
export async function expectActiveMenu(page: Page, name: string): Promise<void> {
  const active = page.locator('.RaMenuItemLink-active');
  await active.filter({ hasText: name }).first().waitFor();
  expect((await active.allInnerTexts()).map((s) => s.trim())).toEqual([name]);
  expect((await page.locator('.RaMenuItemLink-root[aria-current="page"]').allInnerTexts()).map((s) => s.trim())).toEqual([name]);
}
