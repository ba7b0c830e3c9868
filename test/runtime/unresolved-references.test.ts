/**
 * A setting App Service could not resolve still holds its `@Microsoft.KeyVault(...)` text; user code must read
 * it as undefined — at module load and at call time — and the app logs it once, by name.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { hideUnresolvedReferences } from '../../src/runtime/settings/unresolved-references.js';
import { appPackageFile } from '../../src/apply/package/app-package.js';
import { unzip } from '../packaging/support/unzip.js';

const run = promisify(execFile);
const repo = resolve(import.meta.dirname, '../..');
const work = mkdtempSync(join(tmpdir(), 'atakora-unresolved-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const REF = '@Microsoft.KeyVault(VaultName=kv-shop-dev-x1;SecretName=STRIPE-KEY)';

describe('hideUnresolvedReferences', () => {
  it('removes settings still holding a reference (any case), keeps the rest, logs each name once', () => {
    const env: Record<string, string | undefined> = {
      STRIPE_KEY: REF,
      WEBHOOK: ' @microsoft.keyvault(SecretUri=https://kv.vault.azure.net/secrets/x)',
      PLAIN: 'value',
      MENTIONS: 'see @Microsoft.KeyVault( in docs',
    };
    const lines: string[] = [];
    expect(hideUnresolvedReferences(env, (l) => lines.push(l))).toEqual(['STRIPE_KEY', 'WEBHOOK']);
    expect(env).toEqual({ PLAIN: 'value', MENTIONS: 'see @Microsoft.KeyVault( in docs' });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('STRIPE_KEY, WEBHOOK');
    expect(lines[0]).not.toContain('kv-shop-dev-x1');
    // The same settings again (another load in the process): removed, not logged again.
    const again = { STRIPE_KEY: REF };
    expect(hideUnresolvedReferences(again, (l) => lines.push(l))).toEqual(['STRIPE_KEY']);
    expect(again).toEqual({});
    expect(lines).toHaveLength(1);
  });
});

describe('a Function App package', () => {
  it('hands handler code undefined for an unresolved reference, at module load and per call', async () => {
    const handler = join(work, 'read.ts');
    writeFileSync(
      handler,
      `const atLoad = process.env['STRIPE_KEY'];
export default async function read() {
  await Promise.resolve();
  return { jsonBody: { atLoad: atLoad ?? null, atCall: process.env['STRIPE_KEY'] ?? null, other: process.env['OTHER'] ?? null } };
}
`,
    );
    const file = appPackageFile(
      {
        appName: 'func-unresolved',
        crudRuntime: false,
        functions: [
          {
            name: 'Pay-read',
            componentId: 'Pay',
            trigger: 'http',
            route: 'read',
            handler,
            access: [{ allow: 'anonymous' }],
          },
        ],
      },
      work,
    )!;
    const app = join(work, 'wwwroot');
    for (const [name, data] of unzip(readFileSync(file))) {
      mkdirSync(dirname(join(app, name)), { recursive: true });
      writeFileSync(join(app, name), data);
    }
    const { stdout, stderr } = await run(
      process.execPath,
      [join(repo, 'test/packaging/support/worker-standin.cjs'), app, 'Pay-read', '{}'],
      {
        cwd: app,
        env: {
          PATH: process.env['PATH'] ?? '',
          NODE_PATH: join(repo, 'test/runtime/support/functions-core-stub'),
          STRIPE_KEY: REF,
          OTHER: 'resolved-value',
        },
      },
    );
    const line = stdout.split('\n').find((l) => l.startsWith('@@RESULT@@'))!;
    const out = JSON.parse(line.slice('@@RESULT@@'.length)) as {
      invoked: { result: { jsonBody: Record<string, string | null> } };
    };
    expect(out.invoked.result.jsonBody).toEqual({
      atLoad: null,
      atCall: null,
      other: 'resolved-value',
    });
    const logged = stderr.split('\n').filter((l) => l.includes('unresolved Key Vault reference'));
    expect(logged).toHaveLength(1);
    expect(logged[0]).toContain('STRIPE_KEY');
  });
});
