/**
 * The preload `atakora dev` starts Azurite with (cli/dev/storage/azurite.ts azuritePreload): Azurite's telemetry
 * module gets a stand-in for `applicationinsights` that loads nothing until it is used (Azurite runs with
 * `--disableTelemetry`, so never), and that is the real module once it is — any other require is untouched. Shown on
 * a stand-in module tree (a loaded flag, no 1.3 CPU-s load of the real SDK) and on the installed Azurite, whose
 * telemetry module must load without it (the path the preload matches is Azurite's own).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { azuritePreload } from '../../src/cli/dev/storage/azurite.js';
import { HANG_MS } from '../support/patience.js';

const repoRoot = resolve(import.meta.dirname, '../..');
const work = mkdtempSync(join(tmpdir(), 'atakora-azurite-preload-'));
const preload = azuritePreload(work);
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** `node --require <preload> -e <script>` in `cwd`; its stdout as JSON. */
function run(cwd: string, script: string): Record<string, unknown> {
  const r = spawnSync(process.execPath, ['--require', preload, '-e', script], {
    cwd,
    encoding: 'utf8',
    timeout: HANG_MS,
  });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return JSON.parse(r.stdout) as Record<string, unknown>;
}

describe("Azurite's preload", () => {
  it('loads applicationinsights for Azurite only at first use, then as itself; other requires as they are', () => {
    const tree = join(work, 'tree');
    const file = (path: string, text: string) => {
      mkdirSync(dirname(join(tree, path)), { recursive: true });
      writeFileSync(join(tree, path), text);
    };
    const sdk = `globalThis.loads = (globalThis.loads ?? 0) + 1; exports.setup = () => 'set up'; exports.kind = 'real';`;
    file('node_modules/applicationinsights/index.js', sdk);
    file(
      'node_modules/azurite/dist/src/common/Telemetry.js',
      `exports.appInsights = require('applicationinsights');`,
    );
    file('other.js', `exports.appInsights = require('applicationinsights');`);
    const out = run(
      tree,
      `const t = require('azurite/dist/src/common/Telemetry.js');
       const before = globalThis.loads ?? 0;
       const setup = t.appInsights.setup();
       const after = globalThis.loads;
       t.appInsights.extra = 1;
       const other = require('./other.js').appInsights;
       console.log(JSON.stringify({ before, setup, after, kind: t.appInsights.kind, has: 'setup' in t.appInsights,
         extra: other.extra, same: other.kind === 'real', loads: globalThis.loads }));`,
    );
    expect(out).toEqual({
      before: 0,
      setup: 'set up',
      after: 1,
      kind: 'real',
      has: true,
      // Written through the stand-in onto the real module, which the other file's plain require gets.
      extra: 1,
      same: true,
      loads: 1,
    });
  });

  it("the installed Azurite's telemetry module loads without the SDK", () => {
    const out = run(
      repoRoot,
      `const { AzuriteTelemetryClient } = require('azurite/dist/src/common/Telemetry');
       const sdk = Object.keys(require.cache).filter((f) => /[\\\\/]node_modules[\\\\/]applicationinsights[\\\\/]/.test(f));
       console.log(JSON.stringify({ client: typeof AzuriteTelemetryClient.init, sdk: sdk.length,
         stand: typeof AzuriteTelemetryClient.appInsights }));`,
    );
    expect(out).toEqual({ client: 'function', sdk: 0, stand: 'object' });
  });
});
