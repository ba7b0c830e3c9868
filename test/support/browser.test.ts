import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { browserExecutable, DISABLED_FEATURES, type TestBrowser, testBrowser } from './browser.js';

let browser: TestBrowser | undefined;
const launch = async () => (browser ??= await testBrowser());
afterAll(async () => {
  await browser?.close();
});

/** The command lines of this worker's child processes that are a browser playwright drives (over its pipe). */
function drivenBrowsers(): string[][] {
  const lines: string[][] = [];
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (parent !== process.pid) continue;
      const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      if (argv.includes('--remote-debugging-pipe')) lines.push(argv);
    } catch {
      // a process that ended while we read is not ours to judge
    }
  }
  return lines;
}

describe('the worker’s shared chromium (test/support/browser.ts)', () => {
  it('is the one ATAKORA_TEST_CHROMIUM names, else the headless shell where it is installed, else chromium', () => {
    const shell = '/usr/lib/chromium/chromium-headless-shell';
    expect(browserExecutable({ ATAKORA_TEST_CHROMIUM: '/opt/c/chrome' }, () => true)).toBe(
      '/opt/c/chrome',
    );
    expect(browserExecutable({}, (path) => path === shell)).toBe(shell);
    expect(browserExecutable({ ATAKORA_TEST_CHROMIUM: '' }, () => false)).toBe('/usr/bin/chromium');
  });

  it('keeps every feature playwright disables disabled (Chromium reads the last --disable-features)', async () => {
    await launch();
    const [argv, ...others] = drivenBrowsers();
    expect(others).toEqual([]);
    const lists = argv!
      .filter((arg) => arg.startsWith('--disable-features='))
      .map((arg) => arg.slice('--disable-features='.length).split(','));
    expect(lists.length).toBeGreaterThan(0);
    const effective = lists.at(-1)!;
    // Every name an earlier switch (playwright's own, the Debian wrapper's) gave is in the one Chromium reads.
    expect(lists.flat().filter((name) => !effective.includes(name))).toEqual([]);
    expect(effective).toEqual([...DISABLED_FEATURES]);
  });

  it('builds no address-bar suggestion popup (a WebUI renderer per context) beside a page', async () => {
    const page = await (await launch()).newPage();
    try {
      await page.goto('data:text/html,<p>hello</p>');
      const cdp = await page.context().browser()!.newBrowserCDPSession();
      try {
        const { targetInfos } = (await cdp.send('Target.getTargets')) as {
          targetInfos: { type: string; url: string }[];
        };
        // The page itself is there (the listing is the browser's whole), and nothing of Chrome's own UI is.
        expect(targetInfos.filter((t) => t.type === 'page').map((t) => t.url)).toContain(
          'data:text/html,<p>hello</p>',
        );
        expect(targetInfos.filter((t) => t.url.startsWith('chrome://'))).toEqual([]);
      } finally {
        await cdp.detach();
      }
    } finally {
      await page.close();
    }
  });
});
