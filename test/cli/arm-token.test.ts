import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { azureToken, graphTokenIn } from '../../src/cli/azure/credentials.js';
import { installNodeStandIn } from '../support/node-stand-in.js';

// A stand-in `az` on PATH, reached through @azure/identity's own AzureCliCredential (DefaultAzureCredential,
// narrowed to it by AZURE_TOKEN_CREDENTIALS as a user can): each run logs its arguments and prints a token
// for the resource asked, valid for $FAKE_AZ_TTL seconds; FAKE_AZ_FAIL=1 makes it answer as when signed out.
const dir = mkdtempSync(join(tmpdir(), 'atakora-az-'));
const log = join(dir, 'az.log');
const saved = { ...process.env };
beforeAll(() => {
  installNodeStandIn(
    join(dir, 'az'),
    `const fs = require('node:fs');
const args = process.argv.slice(2);
fs.appendFileSync(process.env.FAKE_AZ_LOG, JSON.stringify(args) + '\\n');
if (process.env.FAKE_AZ_FAIL === '1') { process.stderr.write("ERROR: Please run 'az login' to setup account.\\n"); process.exit(1); }
const n = fs.readFileSync(process.env.FAKE_AZ_LOG, 'utf8').trim().split('\\n').length;
const resource = args[args.indexOf('--resource') + 1];
const ttl = Number(process.env.FAKE_AZ_TTL || 3600);
process.stdout.write(JSON.stringify({ accessToken: 'token-' + n + '-' + resource, expires_on: Math.floor(Date.now() / 1000) + ttl, tokenType: 'Bearer' }));
`,
  );
  for (const k of Object.keys(process.env))
    if (k.startsWith('ARM_') || k.startsWith('AZURE_') || k === 'ATAKORA_ARM_TOKEN')
      delete process.env[k];
  Object.assign(process.env, {
    PATH: `${dir}${delimiter}${saved['PATH'] ?? ''}`,
    AZURE_TOKEN_CREDENTIALS: 'AzureCliCredential',
    FAKE_AZ_LOG: log,
  });
});
afterAll(() => {
  for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
  Object.assign(process.env, saved);
  rmSync(dir, { recursive: true, force: true });
});

/** The az runs so far. */
const runs = (): string[][] => {
  try {
    return readFileSync(log, 'utf8')
      .trim()
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as string[]);
  } catch {
    return [];
  }
};
/** Another identity key (ARM_TENANT_ID alone does not choose a credential): a fresh cache per test. */
const identity = (name: string): NodeJS.ProcessEnv => ({ ...process.env, ARM_TENANT_ID: name });

describe('azureToken (cli/azure/credentials.ts) through the az stand-in', () => {
  it('asks az once per audience for the whole process: preflight, each trigger sync and each upload share it', async () => {
    const env = identity('shared');
    const before = runs().length;
    const arm = 'https://management.azure.com';
    const [a, b] = await Promise.all([azureToken(arm, env), azureToken(arm, env)]);
    const c = await azureToken(arm, env);
    expect(a).toMatch(/^token-\d+-https:\/\/management\.azure\.com$/);
    expect([b, c]).toEqual([a, a]);
    const graph = await azureToken('https://graph.microsoft.com', env);
    expect(graph).toMatch(/graph\.microsoft\.com$/);
    const mine = runs().slice(before);
    expect(mine.map((args) => args[args.indexOf('--resource') + 1])).toEqual([
      'https://management.azure.com',
      'https://graph.microsoft.com',
    ]);
    expect(mine[0]!.slice(0, 2)).toEqual(['account', 'get-access-token']);
  });

  it('asks again for a token about to expire, and never keeps a failure', async () => {
    const env = identity('short');
    process.env['FAKE_AZ_TTL'] = '60'; // under the five-minute margin
    const before = runs().length;
    const first = await azureToken('https://management.azure.com', env);
    const second = await azureToken('https://management.azure.com', env);
    expect(second).not.toBe(first);
    expect(runs().length - before).toBe(2);
    delete process.env['FAKE_AZ_TTL'];

    const signedOut = identity('signed-out');
    process.env['FAKE_AZ_FAIL'] = '1';
    await expect(azureToken('https://management.azure.com', signedOut)).rejects.toThrow(/az login/);
    delete process.env['FAKE_AZ_FAIL'];
    await expect(azureToken('https://management.azure.com', signedOut)).resolves.toMatch(/^token-/);
  });

  it('ATAKORA_ARM_TOKEN is used as it is, without az', async () => {
    const before = runs().length;
    expect(
      await azureToken('https://management.azure.com', {
        ...process.env,
        ATAKORA_ARM_TOKEN: 'given',
      }),
    ).toBe('given');
    expect(runs().length).toBe(before);
  });

  it("graphTokenIn asks az for the other tenant's Graph token (a customer sign-in's external tenant), cached apart", async () => {
    const external = '6f1c2b3a-0000-4000-8000-00000000c1a0';
    const env = identity('home');
    const before = runs().length;
    const home = await azureToken('https://graph.microsoft.com', env);
    const there = await graphTokenIn(env, external);
    expect(there).not.toBe(home);
    expect(await graphTokenIn(env, external)).toBe(there);
    const mine = runs().slice(before);
    expect(mine).toHaveLength(2);
    expect(mine[0]).not.toContain('--tenant');
    expect(mine[1]?.[mine[1].indexOf('--tenant') + 1]).toBe(external);
    expect(await graphTokenIn({ ...env, ATAKORA_GRAPH_TOKEN: 'given' }, external)).toBe('given');
  });
});
