#!/usr/bin/env node
// The package as a new user gets it: `npm pack`, install the tarball and its peers into fresh
// CommonJS (npm's default) and ESM projects outside the repo, then
//   - `npx atakora plan` and `npx atakora synth` on a TypeScript entry that does `export default defineBackend(...)`,
//   - a cdktf `main.ts` run with tsx (ResourceGroupStack and a plain TerraformStack of the user's own),
//   - an entry that awaits at the top level (atakora bundles it as an ES module, in a CommonJS project too),
//   - the typed client as the docs write it (`createClient<typeof backend>`, top-level await: an .mts file in the
//     CommonJS project, as README "Module systems" says), run with tsx,
//   - a handler reading the data as its caller (`dataOf`), tested with `startBackend` (@atakora/component/testing) on
//     the package's own dev stack — in the CommonJS project from an .mts file, whose default import of the backend
//     is `{ default: backend }` (a raw TypeError before startBackend took that shape),
//   - a strict `tsc --noEmit` of a consumer using `when()` (optional handles must be checked), and of the above.
// Peers come from the npm cache first (`--prefer-offline`), else the registry. The install is --engine-strict:
// every package of the tree must accept this Node. Run after `npm run build`:
//   node scripts/pack-smoke.mjs              (prints the time of each step; exits non-zero on the first failure)
//   node scripts/pack-smoke.mjs --low-peers  (each peer at the lowest version its range admits)
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = resolve(fileURLToPath(new URL('..', import.meta.url)));
const pkg = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8'));
// Peers at the versions the repo tests with (devDependencies), or with --low-peers at the lowest version each
// peer range admits (the low end a user may have: constructs ^10.4.2 → 10.4.2), so the ranges are shown to work.
const lowPeers = process.argv.includes('--low-peers');
// The first version a range names is its low end (^10.4.2, ~4.20.0, >=0.25.0 <1.0.0).
const lowest = (range) => /\d+\.\d+\.\d+/.exec(range)[0];
// Optional peers that are whole tools the smoke never runs stay out: the site uploader (its keychain module builds
// only with libsecret; docs/deploying.md installs it with --ignore-scripts) and the local Blob Storage emulator.
const NOT_SMOKED = new Set(['@azure/static-web-apps-cli', 'azurite']);
const peers = Object.entries({ ...pkg.peerDependencies })
  .filter(([name]) => !NOT_SMOKED.has(name))
  .map(
    ([name, range]) => `${name}@${lowPeers ? lowest(range) : (pkg.devDependencies[name] ?? range)}`,
  );
const tools = ['typescript', '@types/node'].map((name) => `${name}@${pkg.devDependencies[name]}`);
const shell = process.platform === 'win32';
const started = performance.now();
const step = (what) =>
  console.log(`[pack-smoke ${((performance.now() - started) / 1000).toFixed(1)}s] ${what}`);

function run(cmd, args, cwd) {
  try {
    return execFileSync(cmd, args, {
      cwd,
      encoding: 'utf8',
      shell,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NO_COLOR: '1' },
    });
  } catch (e) {
    throw new Error(
      `${cmd} ${args.join(' ')} (in ${cwd}) exited ${e.status}\n--- stdout\n${e.stdout}\n--- stderr\n${e.stderr}`,
    );
  }
}
function check(condition, message) {
  if (!condition) throw new Error(`pack-smoke: ${message}`);
}

if (!existsSync(join(repo, 'dist/index.js'))) {
  console.error('pack-smoke: dist/ is missing; run `npm run build` first.');
  process.exit(2);
}

const work = mkdtempSync(join(tmpdir(), 'atakora-pack-smoke-'));
try {
  step('npm pack');
  // --ignore-scripts: prepack would run `npm run build` again; dist/ is there (checked above).
  const [info] = JSON.parse(
    run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work], repo).replace(
      /^[^[]*/,
      '',
    ),
  );
  const tarball = join(work, info.filename);

  // One install shared by both projects (Node walks up to it), so the two kinds cost one install; each project
  // has its own package.json, which is what decides CommonJS or ESM.
  step(`npm install ${info.filename} ${[...peers, ...tools].join(' ')}`);
  writeFileSync(
    join(work, 'package.json'),
    JSON.stringify({ name: 'atakora-smoke-root', private: true }),
  );
  run(
    'npm',
    [
      'install',
      '--engine-strict',
      '--no-audit',
      '--no-fund',
      '--prefer-offline',
      '--loglevel=error',
      tarball,
      ...peers,
      ...tools,
    ],
    work,
  );

  const backendTs = `import { defineBackend } from '@atakora/component/backend';
import { CrudApi } from '@atakora/component/crud';

export default defineBackend({
  users: CrudApi.define('UserApi', { entityName: 'User', schema: { id: 'string', email: 'string' } }),
}, { backendId: 'smoke', environment: 'dev', location: 'eastus' });
`;
  const mainTs = `import { App, TerraformStack } from 'cdktf';
import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider/index.js';
import { ResourceGroupStack } from '@atakora/component/cdk';
import backend from './backend';

const app = new App({ outdir: 'cdktf.out' });
backend.apply(new ResourceGroupStack(app, 'Smoke', { resourceGroupName: 'rg-smoke', location: 'eastus' }));
app.synth();
// A stack of the user's own (its own app: one backend's global names once per app): a user once saw a raw
// TypeError here under tsx.
class OwnStack extends TerraformStack {
  readonly resourceGroupName = 'rg-own';
  constructor(scope: App, id: string) {
    super(scope, id);
    new AzurermProvider(this, 'azurerm', { features: [{}] });
  }
}
const own = new App({ outdir: 'cdktf.out' });
backend.apply(new OwnStack(own, 'Own'));
own.synth();
`;
  const whenTs = `import { defineBackend } from '@atakora/component/backend';
import { CrudApi } from '@atakora/component/crud';

const flags = { users: process.env['USERS'] === '1' };
const orders = CrudApi.define('OrderApi', { entityName: 'Order', schema: { id: 'string' } });
const backend = defineBackend({ environment: 'dev' })
  .addComponent(orders)
  .when(flags.users, (b) => b.addComponent(CrudApi.define('UserApi', { entityName: 'User', schema: { id: 'string' } })))
  .build();
export const ordersUrl: string = backend.components.OrderApi.apiEndpoint;
export const usersUrl: string | undefined = backend.components.UserApi?.apiEndpoint;
// @ts-expect-error A component added under when() is optional: using it unchecked is a type error.
export const unchecked: string = backend.components.UserApi.apiEndpoint;
`;
  // An entry that awaits at the top level: atakora bundles the entry as an ES module, in a CommonJS project too.
  const flagsTs = `import { defineBackend } from '@atakora/component/backend';
import { CrudApi } from '@atakora/component/crud';

const flags = await Promise.resolve({ users: true });
export default defineBackend({ environment: 'dev' })
  .addComponent(CrudApi.define('OrderApi', { entityName: 'Order', schema: { id: 'string' } }))
  .when(flags.users, (b) => b.addComponent(CrudApi.define('UserApi', { entityName: 'User', schema: { id: 'string' } })))
  .build();
`;
  // The typed client as the docs write it: the default export's type, and top-level awaits — in a CommonJS project
  // that is an .mts file (README "Module systems"), in an ESM one any .ts. A fetch stand-in answers a 429.
  const clientTs = `import { createClient, ProblemError } from '@atakora/component/client';
import type backend from './backend.js';

const client = createClient<typeof backend>({
  baseUrls: { users: 'https://app.test/api/users' },
  getToken: () => undefined,
  fetch: async () =>
    new Response(JSON.stringify({ type: 'urn:atakora:problem:rate-limited', status: 429, policy: 'user' }), {
      status: 429,
      headers: { 'content-type': 'application/problem+json', 'retry-after': '7' },
    }),
});
const refused = await client.users.list().page().then(() => undefined, (e: unknown) => e);
if (!(refused instanceof ProblemError) || !refused.is('rate-limited')) throw new Error('no ProblemError');
const policy: 'tenant' | 'user' = refused.extensions.policy;
console.log(JSON.stringify({ retryAfter: refused.retryAfter, policy }));
`;
  // A handler that reads the data as its caller, tested as the docs test it (docs/functions.md, "Testing a handler"):
  // startBackend serves the packed package's dev stack for the test, a ticket made as alice, counted by the handler.
  const deskTs = `import { defineBackend } from '@atakora/component/backend';
import { CrudApi } from '@atakora/component/crud';
import { FunctionsApp } from '@atakora/component/functions';

export default defineBackend({
  tickets: CrudApi.define('TicketApi', { entityName: 'Ticket', schema: { id: 'string', title: { type: 'string', required: true } }, partitionKey: '/tenantId' }),
  reports: FunctionsApp.define('Reports', { runtime: 'node', functions: {
    stats: { trigger: 'http', route: 'stats', methods: ['GET'], handler: './stats.ts', data: ['TicketApi'] },
  } }),
}, { backendId: 'desk', environment: 'dev', location: 'eastus' });
`;
  const statsTs = `import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { dataOf } from '@atakora/component/runtime';
import type desk from './desk.js';

export default async function stats(request: HttpRequest): Promise<HttpResponseInit> {
  const data = dataOf<typeof desk>(request);
  return { jsonBody: { tickets: await data.tickets.count() } };
}
`;
  const testTs = `import { startBackend } from '@atakora/component/testing';
import desk from './desk.js';

const t = await startBackend(desk);
try {
  const alice = t.as({ user: 'alice' });
  await alice.client<typeof desk>().tickets.create({ title: 'printer' });
  const mine = (await (await alice.fetch('api/stats')).json()) as { tickets: number };
  const anonymous = (await t.as('anonymous').fetch('api/stats')).status;
  console.log(JSON.stringify({ tickets: mine.tickets, anonymous }));
} finally {
  await t.stop();
}
`;
  const tsconfig = {
    compilerOptions: {
      strict: true,
      noEmit: true,
      target: 'ES2022',
      module: 'NodeNext',
      moduleResolution: 'NodeNext',
      skipLibCheck: false,
      types: ['node'],
      noUncheckedIndexedAccess: true,
      exactOptionalPropertyTypes: true,
    },
  };

  for (const kind of ['commonjs', 'module']) {
    const dir = join(work, kind);
    mkdirSync(dir);
    writeFileSync(
      join(dir, 'package.json'),
      JSON.stringify({
        name: `smoke-${kind}`,
        private: true,
        // npm init -y writes "type": "commonjs" (npm 11); "type": "module" makes the other kind.
        type: kind,
      }),
    );
    // Relative imports need an extension in an ESM project under NodeNext.
    writeFileSync(join(dir, 'backend.ts'), backendTs);
    writeFileSync(
      join(dir, 'main.ts'),
      kind === 'module' ? mainTs.replace("from './backend'", "from './backend.js'") : mainTs,
    );
    writeFileSync(join(dir, 'when.ts'), whenTs);
    // Files that await at the top level are .mts in the CommonJS project (README "Module systems").
    const flags = kind === 'module' ? 'flags.ts' : 'flags.mts';
    writeFileSync(join(dir, flags), flagsTs);
    const client = kind === 'module' ? 'client.ts' : 'client.mts';
    writeFileSync(join(dir, client), clientTs);
    writeFileSync(join(dir, 'desk.ts'), deskTs);
    writeFileSync(join(dir, 'stats.ts'), statsTs);
    const tested = kind === 'module' ? 'stats.test.ts' : 'stats.test.mts';
    writeFileSync(join(dir, tested), testTs);
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify(tsconfig, null, 2));

    step(`${kind}: npx atakora plan backend.ts --json`);
    const plan = JSON.parse(
      run('npx', ['--no-install', 'atakora', 'plan', 'backend.ts', '--json'], dir),
    );
    check(
      plan.backendId === 'smoke' && plan.resources.some((r) => r.key === 'cosmos:shared'),
      `${kind}: plan has no cosmos:shared`,
    );

    step(`${kind}: npx atakora synth backend.ts`);
    const written = run(
      'npx',
      ['--no-install', 'atakora', 'synth', 'backend.ts', '--out', 'synth.out'],
      dir,
    ).trim();
    const synthJson = JSON.parse(readFileSync(join(dir, written), 'utf8'));
    check(
      Object.keys(synthJson.resource?.azurerm_cosmosdb_account ?? {}).length === 1,
      `${kind}: synth wrote no Cosmos DB account`,
    );

    step(`${kind}: npx tsx main.ts (cdktf program)`);
    run('npx', ['--no-install', 'tsx', 'main.ts'], dir);
    for (const stack of ['Smoke', 'Own']) {
      const json = JSON.parse(
        readFileSync(join(dir, 'cdktf.out/stacks', stack, 'cdk.tf.json'), 'utf8'),
      );
      const apps = {
        ...json.resource?.azurerm_function_app_flex_consumption,
        ...json.resource?.azurerm_linux_function_app,
      };
      check(Object.keys(apps).length === 1, `${kind}: stack ${stack} has no Function App`);
    }

    step(`${kind}: npx atakora plan ${flags} --json (top-level await in the entry)`);
    const flagged = JSON.parse(
      run('npx', ['--no-install', 'atakora', 'plan', flags, '--json'], dir),
    );
    check(
      flagged.components.map((c) => c.id).join(',') === 'OrderApi,UserApi',
      `${kind}: the awaited flag did not add UserApi`,
    );

    step(
      `${kind}: npx tsx ${client} (the typed client, top-level await, typeof the default export)`,
    );
    const answer = JSON.parse(run('npx', ['--no-install', 'tsx', client], dir).trim());
    check(
      answer.retryAfter === 7 && answer.policy === 'user',
      `${kind}: the client's ProblemError lost retryAfter or the policy: ${JSON.stringify(answer)}`,
    );

    step(
      `${kind}: npx tsx ${tested} (startBackend: a dataOf handler on dev's stack, as alice and as nobody)`,
    );
    const tried = JSON.parse(
      run('npx', ['--no-install', 'tsx', tested], dir).trim().split('\n').pop(),
    );
    check(
      tried.tickets === 1 && tried.anonymous === 401,
      `${kind}: startBackend's handler did not count alice's ticket as alice: ${JSON.stringify(tried)}`,
    );

    step(
      `${kind}: tsc --noEmit (strict) on backend.ts, main.ts, when.ts, ${flags}, ${client}, ${tested}`,
    );
    run('npx', ['--no-install', 'tsc', '-p', 'tsconfig.json'], dir);
  }
  step('ok');
} catch (e) {
  console.error(e instanceof Error ? e.message : e);
  process.exitCode = 1;
} finally {
  rmSync(work, { recursive: true, force: true });
}
