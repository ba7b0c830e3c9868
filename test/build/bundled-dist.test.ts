import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RESOLVE_LOG } from '../support/resolve-log.js';

const root = resolve(import.meta.dirname, '../..');

// scripts/bundle-dist.mjs: the package's entry points are bundles with shared chunks, so a process that
// declares, plans and applies a backend loads a few modules of ours, not one per source file (each is a round
// trip to the hook thread under tsx). Counted with a resolve hook, against the built package.
describe('the built package loads as bundles', () => {
  it('declare + plan + apply + synth of a CrudApi backend loads under 77 of our modules (75 bundled with 12 entry points, over 80 per-file)', () => {
    const out = execFileSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `
      ${RESOLVE_LOG}
      const { Testing } = await import('cdktf');
      const { defineBackend } = await import('@atakora/component/backend');
      const { CrudApi } = await import('@atakora/component/crud');
      const { ResourceGroupStack } = await import('@atakora/component/cdk');
      const backend = defineBackend({ users: CrudApi.define('UserApi', { entityName: 'User', schema: { id: 'string' } }) });
      const planned = backend.plan().resources.length;
      const stack = new ResourceGroupStack(Testing.app(), 'Bundled', { resourceGroupName: 'rg-b', location: 'eastus', subscriptionId: '00000000-0000-0000-0000-000000000000' });
      backend.apply(stack);
      const json = JSON.parse(Testing.synth(stack));
      await settled();
      const ours = [...resolved].filter((u) => u.includes('/dist/') && !u.includes('/node_modules/'));
      console.log(JSON.stringify({ planned, accounts: Object.keys(json.resource.azurerm_cosmosdb_account).length, ours: ours.length, chunks: ours.filter((u) => u.includes('/dist/chunks/')).length }));
    `,
      ],
      { cwd: root, encoding: 'utf8' },
    );
    const r = JSON.parse(out.trim()) as {
      planned: number;
      accounts: number;
      ours: number;
      chunks: number;
    };
    expect(r.planned).toBe(3);
    expect(r.accounts).toBe(1);
    expect(r.chunks).toBeGreaterThan(0);
    // Each new entry point, and new code shared by entry points, splits the shared code into more chunks (19 with
    // 10 entry points, 37 with 12, 41 once relations, schema versions and file staging were shared, 49 once the
    // children's sort rule was shared by the plan and the runtime, 52 once the tenant records' rules were shared by
    // the client, the CLI and the runtime and the usage ledger's by the plan and the runtime, 56 once memberships'
    // rules, the continuation shapes and the imported records' checks were shared too, and two more once a customer
    // sign-in's registration names and social secret names were shared by the plan, apply and the CLI's auth
    // setup), and one more after the runtime's files were split by role (59 → 60 loaded, measured on the trees
    // before and after), and six more once the invitation e-mail's, the verified domains', the audit log's, the
    // subscriptions' and search's contracts were shared by the plan, apply, the client and the runtime (60 → 66,
    // measured on main before and after those merges), and two more after the SCIM document, the search route
    // checks, the billing suspension and the owner states were shared the same way (66 → 68, measured on main after
    // those merges), and two more after the Marketplace link, plan features and seats were shared the same way (68 →
    // 70, measured on main after those merges), and up to two more once the CLI's main loaded plan/synth/diff, dev
    // and openapi on first use (its dynamic imports are split points that cut the chunks it shares with the library:
    // 71 or fewer → 72, measured on main before and after that merge), and up to two more once the webhooks' and
    // the agents' contracts were shared by the client and the runtime and the tenants' config schemas were split out
    // to be built on first use (73 or fewer → 75, measured on main before and after those merges): still under
    // the per-file count.
    expect(r.ours).toBeLessThan(77);
  });

  it("dev's worker host is one bundle with the OpenTelemetry SDK: no module of ours by path, no @opentelemetry package from node_modules", () => {
    const dir = join(root, 'dist/cli/dev/host');
    const files = [
      join(dir, 'host.js'),
      ...readdirSync(join(dir, 'host-chunks')).map((f) => join(dir, 'host-chunks', f)),
    ];
    const imported = files.flatMap((f) =>
      [...readFileSync(f, 'utf8').matchAll(/(?:from|import)\s*\(?\s*"([^"]+)"/g)].map((m) => m[1]!),
    );
    // What the bundle leaves to Node: builtins, the Functions library and queue client, its own chunks.
    expect(imported.filter((x) => x.startsWith('@opentelemetry/'))).toEqual([]);
    expect(imported.filter((x) => x.startsWith('../'))).toEqual([]);
    expect(imported.some((x) => x.includes('host-chunks/'))).toBe(true);
    // The SDK is there, in a chunk loaded only when dev starts its tracing.
    expect(files.some((f) => readFileSync(f, 'utf8').includes('BatchSpanProcessor'))).toBe(true);
  });
});
