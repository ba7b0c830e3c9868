import { existsSync } from 'node:fs';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { HANG_MS } from './patience.js';
import { timedStart } from './profile.js';
import { onWorkerExit } from './worker-scope.js';

/**
 * Debian's Chromium through playwright-core (no browser download: none is reachable; .ci/run installs it; which
 * build: browserExecutable below), one per worker: the browser tests' files share it (each start is seconds of
 * CPU) and each opens contexts of its own — cookies, storage and pages are a context's, so one file sees nothing of
 * another's — closing them when done.
 * Started on first need with no start-up limit (a hang is the hook's to catch: playwright's own 30 s failed on a
 * loaded machine), and stopped with the worker: playwright kills it at the process's exit, and it ends by itself
 * when its pipe to a killed worker closes.
 */
// On the global, not the module: after a file calls vi.resetModules every later import in its worker is a fresh copy
// of this module, whose own variable would start a second chromium beside the first (test/support/browser.test.ts
// saw two).
const SLOT = Symbol.for('atakora.test.shared-browser');
const slot = globalThis as { [SLOT]?: Promise<Browser> | undefined };

/**
 * The features the shared browser runs without. Chromium reads only the last `--disable-features` switch, so this
 * one repeats playwright-core's own list (1.65's chromiumSwitches.ts; ./browser.test.ts fails when playwright's
 * list names one this does not) and adds:
 * - `WebUIOmniboxPopup`, `WebUIOmniboxAimPopup`: Chromium 156's new headless mode builds each context's window with
 *   its address bar's suggestion popup as a WebUI page (chrome://omnibox-popup.top-chrome/, a `browser_ui` target)
 *   in a renderer of its own, preloaded and never shown: no test types into an address bar (they drive pages
 *   through CDP). Measured over the browser test files: 26 such renderers, 19.7 of chromium's 44.8 CPU-s, and
 *   building them cost the browser process a third of its share.
 */
export const DISABLED_FEATURES = [
  // playwright-core 1.65.1's (packages/playwright-core/src/server/chromium/chromiumSwitches.ts), in its order
  'AvoidUnnecessaryBeforeUnloadCheckSync',
  'DestroyProfileOnBrowserClose',
  'HttpsUpgrades',
  'HttpsFirstBalancedModeAutoEnable',
  'LensOverlay',
  'MediaRouter',
  'PaintHolding',
  'ThirdPartyStoragePartitioning',
  'AvoidCorsURLLoaderRestartOnRedirect',
  'TcpPortRandomizationWin',
  'OptimizationHints',
  'NetworkTimeServiceQuerying',
  'AimEnabled',
  'PreconnectToSearch',
  'msForceBrowserSignIn',
  'msEdgeUpdateLaunchServicesPreferredVersion',
  // ours
  'WebUIOmniboxPopup',
  'WebUIOmniboxAimPopup',
] as const;

/**
 * Which browser: `ATAKORA_TEST_CHROMIUM` if set (a path), else Debian's chromium-headless-shell where it is
 * installed (.ci/run installs it), else Debian's chromium. The shell is Chromium's old headless mode — the build
 * playwright itself runs for `headless: true` — with the same Blink, V8 and network stack but no browser window,
 * toolbar or tab strip built for each context: about half the CPU of the full browser's new headless mode for the
 * same pages (measured: 12 contexts each loading a page, 3.5 CPU-s against 7.0). The tests drive pages, never
 * Chrome's own UI, so either proves the same; chromium stays the fallback so a machine without the shell runs them.
 */
export function browserExecutable(
  env: NodeJS.ProcessEnv = process.env,
  exists = existsSync,
): string {
  const chosen = env['ATAKORA_TEST_CHROMIUM'];
  if (chosen) return chosen;
  return exists(HEADLESS_SHELL) ? HEADLESS_SHELL : '/usr/bin/chromium';
}
const HEADLESS_SHELL = '/usr/lib/chromium/chromium-headless-shell';

/** What the shared browser is started with beside playwright's own switches. */
export const LAUNCH_ARGS = [
  '--no-sandbox',
  `--disable-features=${DISABLED_FEATURES.join(',')}`,
] as const;

function sharedBrowser(): Promise<Browser> {
  if (!slot[SLOT]) {
    const started = chromium
      .launch({ executablePath: browserExecutable(), args: [...LAUNCH_ARGS], timeout: 0 })
      .then((browser) => {
        onWorkerExit(() => {
          slot[SLOT] = undefined;
        });
        return browser;
      });
    slot[SLOT] = started;
    // A start that failed is tried again by the next file, not handed to it.
    started.catch(() => {
      if (slot[SLOT] === started) slot[SLOT] = undefined;
    });
  }
  const shared = slot[SLOT];
  return timedStart('chromium', () => shared);
}

/** A test file's door to the worker's browser: what it opens it closes, the browser itself stays. */
export interface TestBrowser {
  /** A fresh context whose waits give up only at a hang (HANG_MS), not at playwright's 30 s. */
  newContext(options?: BrowserContextOptions): Promise<BrowserContext>;
  /** A page in a context of its own (closing the page closes it), as `Browser.newPage()` gives. */
  newPage(options?: BrowserContextOptions): Promise<Page>;
  /** Close every context this door opened: the file leaves the browser as it found it. */
  close(): Promise<void>;
}

type BrowserContextOptions = Parameters<Browser['newContext']>[0];

/** The worker's browser for one test file (close it in afterAll). */
export async function testBrowser(): Promise<TestBrowser> {
  const browser = await sharedBrowser();
  const opened = new Set<BrowserContext>();
  const newContext = async (options: BrowserContextOptions = {}) => {
    const context = await browser.newContext(options);
    context.setDefaultTimeout(HANG_MS);
    context.setDefaultNavigationTimeout(HANG_MS);
    opened.add(context);
    context.once('close', () => opened.delete(context));
    return context;
  };
  return {
    newContext,
    async newPage(options) {
      const context = await newContext(options);
      const page = await context.newPage();
      page.once('close', () => void context.close().catch(() => undefined));
      return page;
    },
    async close() {
      await Promise.all([...opened].map((c) => c.close().catch(() => undefined)));
    },
  };
}
