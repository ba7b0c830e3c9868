/**
 * `npx tsx bench/cli-start-before-after.ts`: the CLI's cold start now against the CLI before its rooms were drawn
 * (one Azure room, no command importing another, `atakora dev` split by concern), as whole processes, the two
 * commands of a pair run back to back, RUNS rounds after a warm-up round. Budget: within ×1.10 of before.
 *
 * "Before" is the tree at BEFORE_COMMIT, extracted with `git archive` and built once (tsc and the bundles, as `npm
 * run build` does) into node_modules/.cache/atakora-cli-before/; later runs reuse it. A clone without that commit
 * (a shallow one) prints why and measures nothing. Needs `npm run build` (the CLI now runs from dist/).
 *
 * Each side runs its own CLI on an entry inside its own package folder, so the entry imports that side's library:
 *   atakora --version, atakora deploy --help   (the command line and a command loaded on use)
 *   atakora plan entry.mjs --json              (load, plan)
 *   atakora synth entry.mjs                    (load, plan, apply, synth)
 *   atakora secret list secrets.mjs            (load, plan, Key Vault: hand-written before, @azure/keyvault-secrets
 *                                               after, loaded on use; a loopback vault with Key Vault's challenge)
 */
import { execFile, execFileSync } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { median } from './support/stats.js';

/** The last commit before the CLI's rooms: main at the start of that work. */
const BEFORE_COMMIT = '98d4bffdbaddc2f15496b88b042c6f6c17360b3f';
const root = resolve(import.meta.dirname, '..');
const RUNS = Number(process.env['RUNS'] ?? 7);
const before = join(
  root,
  'node_modules',
  '.cache',
  'atakora-cli-before',
  BEFORE_COMMIT.slice(0, 12),
);

function buildBefore(): boolean {
  if (existsSync(join(before, 'dist', 'cli', 'bin.js'))) return true;
  try {
    execFileSync('git', ['cat-file', '-e', `${BEFORE_COMMIT}^{commit}`], {
      cwd: root,
      stdio: 'ignore',
    });
  } catch {
    console.log(
      `CLI start before/after: commit ${BEFORE_COMMIT.slice(0, 12)} is not in this clone (shallow?): nothing measured.`,
    );
    return false;
  }
  rmSync(before, { recursive: true, force: true });
  mkdirSync(before, { recursive: true });
  const archive = execFileSync('git', ['archive', '--format=tar', BEFORE_COMMIT], {
    cwd: root,
    maxBuffer: 1 << 30,
  });
  execFileSync('tar', ['-x', '-C', before], { input: archive });
  // Its dependencies are this tree's: the same lock file's packages (the restructure added none it loads at start).
  symlinkSync(join(root, 'node_modules'), join(before, 'node_modules'), 'dir');
  console.log(`CLI start before/after: building the CLI of ${BEFORE_COMMIT.slice(0, 12)} once…`);
  for (const args of [
    [join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'],
    ['scripts/bundle-dist.mjs'],
    ['scripts/build-runtime.mjs'],
  ])
    execFileSync(process.execPath, args, { cwd: before, stdio: ['ignore', 'ignore', 'inherit'] });
  return true;
}

const backend = `defineBackend({
  users: CrudApi.define('UserApi', { entityName: 'User', schema: { id: 'string', email: 'string' } }),
  orders: CrudApi.define('OrderApi', { entityName: 'Order', schema: { id: 'string', total: 'number' }, partitionKey: '/id' }),
}, { backendId: 'bench', environment: 'dev', location: 'eastus' })`;
const entry = `import { defineBackend } from '@atakora/component/backend';
import { CrudApi } from '@atakora/component/crud';
export default ${backend};
`;

// A backend with a declared secret, for `atakora secret list` (its vault is the loopback one below).
const secretsEntry = `import { defineBackend } from '@atakora/component/backend';
import { FunctionsApp } from '@atakora/component/functions';
export default defineBackend({
  payments: FunctionsApp.define('Payments', {
    runtime: 'node',
    secrets: ['STRIPE_KEY'],
    functions: { hello: { trigger: 'http', route: 'hello', handler: './fn.mjs' } },
  }),
}, { backendId: 'bench', environment: 'dev', location: 'eastus', auth: 'none' });
`;

/** A folder inside `pkg` (so the entry imports that package by name) with the entries. */
function workDir(pkg: string): string {
  const dir = mkdtempSync(join(pkg, '.tmp-bench-cli-ba-'));
  writeFileSync(join(dir, 'entry.mjs'), entry);
  writeFileSync(join(dir, 'secrets.mjs'), secretsEntry);
  writeFileSync(join(dir, 'fn.mjs'), "export default async () => ({ body: 'hello' });\n");
  return dir;
}

/**
 * Any vault's secrets data plane, one secret with one version: Key Vault's challenge to a request without a
 * token (the SDK's first), then the listing. The hand-written client sends its token at once.
 */
async function startVault(): Promise<{ base: string; close(): void }> {
  const server = createServer((req, res) => {
    if (!req.headers.authorization) {
      res
        .writeHead(401, {
          'www-authenticate':
            'Bearer authorization="https://login.microsoftonline.com/t", resource="https://vault.azure.net"',
        })
        .end();
      return;
    }
    const m = /^\/(kv-[^/]+)\/secrets(\/[^/?]+\/versions)?/.exec(req.url ?? '');
    if (!m) {
      res.writeHead(404).end();
      return;
    }
    const id = `https://${m[1]!}.vault.azure.net/secrets/STRIPE-KEY`;
    const attributes = { enabled: true, created: 1_700_000_000, updated: 1_700_000_000 };
    res.setHeader('content-type', 'application/json');
    res.end(
      JSON.stringify({ value: [{ id: m[2] ? `${id}/v1` : id, attributes }], nextLink: null }),
    );
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    base: `http://127.0.0.1:${String((server.address() as AddressInfo).port)}`,
    close: () => server.close(),
  };
}

const run = promisify(execFile);
let env: NodeJS.ProcessEnv = process.env;

async function once(pkg: string, cwd: string, args: readonly string[]): Promise<number> {
  const t = performance.now();
  try {
    await run(process.execPath, [join(pkg, 'dist/cli/bin.js'), ...args], { cwd, env });
  } catch (e) {
    throw new Error(
      `${pkg}: atakora ${args.join(' ')}: ${(e as { stderr?: string }).stderr ?? String(e)}`,
    );
  }
  return performance.now() - t;
}

if (buildBefore()) {
  const dirs = { before: workDir(before), after: workDir(root) };
  const vault = await startVault();
  env = {
    ...process.env,
    ATAKORA_KEYVAULT_ENDPOINT: `${vault.base}/{vault}`,
    ATAKORA_ARM_TOKEN: 'bench-token',
    ARM_SUBSCRIPTION_ID: '00000000-0000-4000-8000-000000000000',
  };
  const commands: [string, string[]][] = [
    ['atakora --version', ['--version']],
    ['atakora deploy --help', ['deploy', '--help']],
    ['atakora plan entry.mjs --json', ['plan', 'entry.mjs', '--json']],
    ['atakora synth entry.mjs', ['synth', 'entry.mjs', '--out', 'out']],
    ['atakora secret list secrets.mjs', ['secret', 'list', 'secrets.mjs']],
  ];
  try {
    for (const [, args] of commands) {
      await once(before, dirs.before, args);
      await once(root, dirs.after, args);
    }
    const rows: { name: string; pairs: { before: number; after: number }[] }[] = [];
    for (const [name, args] of commands) {
      const pairs: { before: number; after: number }[] = [];
      for (let round = 0; round < RUNS; round++) {
        // Alternate which side goes first, so neither always runs on a warmer machine.
        const first = round % 2 === 0 ? 'before' : 'after';
        const t: Record<string, number> = {};
        for (const side of first === 'before' ? ['before', 'after'] : ['after', 'before'])
          t[side] = await once(
            side === 'before' ? before : root,
            dirs[side as 'before' | 'after'],
            args,
          );
        pairs.push({ before: t['before']!, after: t['after']! });
      }
      rows.push({ name, pairs });
    }
    console.log(
      `CLI cold start now against before the CLI's rooms (${BEFORE_COMMIT.slice(0, 12)}), whole processes, median of ${RUNS} pairs (node ${process.version}); budget ×1.10`,
    );
    for (const { name, pairs } of rows) {
      const ratios = pairs.map((p) => p.after / p.before).sort((a, b) => a - b);
      console.log(
        `  ${name.padEnd(30)} before ${median(pairs.map((p) => p.before))
          .toFixed(0)
          .padStart(5)} ms   after ` +
          `${median(pairs.map((p) => p.after))
            .toFixed(0)
            .padStart(5)} ms   ×${median(ratios).toFixed(2)} ` +
          `(pairs ×${ratios.map((r) => r.toFixed(2)).join(' ×')})`,
      );
    }
  } finally {
    vault.close();
    rmSync(dirs.before, { recursive: true, force: true });
    rmSync(dirs.after, { recursive: true, force: true });
  }
}
