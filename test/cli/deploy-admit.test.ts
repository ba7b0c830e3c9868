import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { resolveAdmitAddress } from '../../src/cli/deploy/admit-address.js';
import { changedResources } from '../../src/cli/deploy/admission-steps.js';
import { capturedIo } from '../support/captured-io.js';
import { installFakeTerraform } from '../support/fake-terraform.js';

// `atakora deploy --admit-address`, in process, against the stand-in terraform keeping a state (FAKE_TF_STATE=1),
// so the narrow steps plan against what the earlier applies left. Each apply's cdk.tf.json is kept (FAKE_TF_SNAPSHOTS).
// The fixture: an isolated backend with deployerAddresses ['198.51.100.10'] (one deployment storage account).
const tf = installFakeTerraform();
const work = mkdtempSync(join(tmpdir(), 'atakora-admit-'));
const servers: Server[] = [];
const ENTRY = 'test/cli/fixtures/admit-backend.ts';
const VARS = [
  'ATAKORA_ADMIT_SETTLE_MS',
  'FAKE_TF_LOG',
  'FAKE_TF_STATE',
  'FAKE_TF_SNAPSHOTS',
  'FAKE_TF_FAIL',
  'FAKE_TF_CALLER_IP',
  'ATAKORA_IP_ECHO_URL',
  'ATAKORA_ADMIT_ADDRESS',
  'ARM_SUBSCRIPTION_ID',
];
afterAll(() => {
  rmSync(work, { recursive: true, force: true });
  rmSync(tf.dir, { recursive: true, force: true });
});
afterEach(async () => {
  for (const k of VARS) delete process.env[k];
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

type Account = { name: string; network_rules?: { default_action: string; ip_rules?: string[] } };
let runs = 0;
/** One deploy; `out` names the output folder (the same one again = the next run against the same state). */
async function deploy(extra: string[], env: Record<string, string> = {}, out = `out-${++runs}`) {
  const snapshots = join(work, `${out}-snapshots-${++runs}`);
  const log = join(work, `calls-${runs}.jsonl`);
  Object.assign(
    process.env,
    {
      FAKE_TF_LOG: log,
      FAKE_TF_STATE: '1',
      FAKE_TF_SNAPSHOTS: snapshots,
      ARM_SUBSCRIPTION_ID: '00000000-0000-4000-8000-000000000001',
      ATAKORA_ADMIT_SETTLE_MS: '1',
    },
    env,
  );
  const c = capturedIo();
  const code = await main(
    [
      'deploy',
      extra[0] ?? ENTRY,
      ...extra.slice(1),
      '--auto-approve',
      '--no-verify',
      '--no-sync',
      '--skip-preflight',
      '--terraform',
      tf.bin,
      '--out',
      join(work, out),
    ],
    c.io,
  );
  const calls = existsSync(log)
    ? readFileSync(log, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) =>
          (JSON.parse(l) as { args: string[] }).args
            .filter((a) => !a.startsWith('-input') && a !== '-no-color')
            .join(' '),
        )
    : [];
  const applied = existsSync(snapshots)
    ? readdirSync(snapshots)
        .sort((a, b) => parseInt(a) - parseInt(b))
        .map(
          (f) =>
            JSON.parse(readFileSync(join(snapshots, f), 'utf8')) as {
              resource: Record<string, Record<string, Account>>;
            },
        )
    : [];
  const stateFile = join(work, out, 'stacks', 'admit-prod', 'fake.tfstate.json');
  const state = existsSync(stateFile)
    ? (JSON.parse(readFileSync(stateFile, 'utf8')) as Record<string, Account>)
    : {};
  return { code, err: c.err, calls, applied, state };
}
/** Every IP rule list of a synthesized configuration. */
const ipRuleLists = (json: { resource: Record<string, Record<string, Account>> }) =>
  Object.values(json.resource['azurerm_storage_account'] ?? {}).flatMap((a) =>
    a.network_rules?.ip_rules ? [a.network_rules.ip_rules] : [],
  );
const stateRules = (state: Record<string, Account>) =>
  Object.entries(state)
    .filter(([k, a]) => k.startsWith('azurerm_storage_account.') && a.network_rules?.ip_rules)
    .map(([, a]) => a.network_rules!.ip_rules!);

async function echo(answer: string, status = 200): Promise<string> {
  const server = createServer((_req, res) => {
    res.writeHead(status, { 'content-type': 'text/plain' }).end(answer);
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
}

describe('atakora deploy --admit-address (stand-in terraform with state)', () => {
  it('first deploy: the apply writes the address into every IP rule list, then a targeted apply removes it', async () => {
    const r = await deploy([ENTRY, '--admit-address', '203.0.113.7']);
    expect(r.err).not.toContain('ADMIT_ADDRESS');
    expect(r.code).toBe(0);
    // Admit step: nothing exists yet (the run's apply creates the account with the address); the run; the removal.
    const target = '-target=azurerm_storage_account.admit_functions_shared_deployment_storage';
    expect(r.calls).toEqual([
      'init',
      `plan -out=atakora-admission.tfplan ${target}`,
      'show -json atakora-admission.tfplan',
      'plan -out=atakora.tfplan',
      'show -json atakora.tfplan',
      'apply atakora.tfplan',
      `plan -out=atakora-admission.tfplan ${target}`,
      'show -json atakora-admission.tfplan',
      'apply atakora-admission.tfplan',
      'output -json',
    ]);
    expect(r.applied).toHaveLength(2);
    const [first, second] = [ipRuleLists(r.applied[0]!), ipRuleLists(r.applied[1]!)];
    expect(first.length).toBeGreaterThan(0);
    for (const rules of first) expect(rules).toEqual(['198.51.100.10', '203.0.113.7']);
    for (const rules of second) expect(rules).toEqual(['198.51.100.10']);
    expect(second).toHaveLength(first.length);
    for (const rules of stateRules(r.state)) expect(rules).not.toContain('203.0.113.7');
    expect(r.err).toMatch(/Admitting 203\.0\.113\.7 for this run on admit-prod \(stpkg[a-z0-9]+\)/);
    expect(r.err).toMatch(/admit-prod: 203\.0\.113\.7 removed again from stpkg/);
  });

  it('a later run from another address: admitted (narrow) before the full plan refreshes the package blob; without it that plan 403s', async () => {
    const out = `out-later-${++runs}`;
    expect((await deploy([ENTRY, '--admit-address', '203.0.113.7'], {}, out)).code).toBe(0);
    // The next runner (another egress address) without --admit-address: the blob refresh is refused, as on Azure.
    const refused = await deploy([ENTRY], { FAKE_TF_CALLER_IP: '203.0.113.99' }, out);
    expect(refused.code).toBe(1);
    expect(refused.err).toContain('403');
    // With it: the account admits the new address first (targeted), then the full plan reads the blob.
    const r = await deploy(
      [ENTRY],
      { FAKE_TF_CALLER_IP: '203.0.113.99', ATAKORA_ADMIT_ADDRESS: '203.0.113.99' },
      out,
    );
    expect(r.err).not.toContain('403');
    expect(r.code).toBe(0);
    expect(r.calls.filter((c) => c.startsWith('apply'))).toEqual([
      'apply atakora-admission.tfplan',
      'apply atakora-admission.tfplan',
    ]);
    expect(ipRuleLists(r.applied[0]!).every((l) => l.includes('203.0.113.99'))).toBe(true);
    expect(ipRuleLists(r.applied[1]!).some((l) => l.includes('203.0.113.99'))).toBe(false);
    expect(r.err).toContain('admit-prod: no changes');
    expect(r.err).toContain(
      'admit-prod: waiting 0 s for the new IP rule to reach the storage front ends',
    );
    for (const rules of stateRules(r.state)) expect(rules).toEqual(['198.51.100.10']);
  });

  it('the removal runs after a failed apply, and the deploy still fails with the apply error', async () => {
    const r = await deploy([ENTRY, '--admit-address', '203.0.113.7'], {
      FAKE_TF_FAIL: `apply-at-end-once:${join(work, `marker-${++runs}`)}`,
    });
    expect(r.code).toBe(1);
    expect(r.err).toContain('TERRAFORM_FAILED');
    expect(r.calls.slice(-3)).toEqual([
      'plan -out=atakora-admission.tfplan -target=azurerm_storage_account.admit_functions_shared_deployment_storage',
      'show -json atakora-admission.tfplan',
      'apply atakora-admission.tfplan',
    ]);
    expect(ipRuleLists(r.applied.at(-1)!).some((l) => l.includes('203.0.113.7'))).toBe(false);
    expect(stateRules(r.state).length).toBeGreaterThan(0);
    for (const rules of stateRules(r.state)) expect(rules).not.toContain('203.0.113.7');
  });

  it('a removal that fails is ADMIT_ADDRESS_NOT_REMOVED, naming the account and the command', async () => {
    const r = await deploy([ENTRY, '--admit-address', '203.0.113.7'], {
      FAKE_TF_FAIL: 'apply-target',
    });
    expect(r.code).toBe(1);
    expect(r.err).toMatch(
      /ADMIT_ADDRESS_NOT_REMOVED: 203\.0\.113\.7 is still admitted on stpkg[a-z0-9]+ \(stack admit-prod\)/,
    );
    expect(r.err).toContain(
      'terraform apply -target=azurerm_storage_account.admit_functions_shared_deployment_storage',
    );
    expect(r.err).toContain('az storage account network-rule remove');
  });

  it('auto asks the echo URL; its address is admitted', async () => {
    const r = await deploy([ENTRY, '--admit-address', 'auto'], {
      ATAKORA_IP_ECHO_URL: await echo('203.0.113.42\n'),
    });
    expect(r.code).toBe(0);
    for (const rules of ipRuleLists(r.applied[0]!)) expect(rules).toContain('203.0.113.42');
  });

  it('a bad echo answer, an unreachable echo URL or a private address stops before any terraform', async () => {
    for (const [answer, status] of [
      ['<html>not an address</html>', 200],
      ['2001:db8::1', 200],
      ['203.0.113.1', 503],
    ] as const) {
      const r = await deploy([ENTRY, '--admit-address', 'auto'], {
        ATAKORA_IP_ECHO_URL: await echo(answer, status),
      });
      expect(r.code).toBe(1);
      expect(r.err).toContain('ADMIT_ADDRESS_DISCOVERY_FAILED');
      expect(r.calls).toEqual([]);
    }
    const r = await deploy([ENTRY, '--admit-address', '10.1.2.3']);
    expect(r.err).toContain('ADMIT_ADDRESS_INVALID');
    expect(r.calls).toEqual([]);
  });

  it('destroy: admitted narrowly before the destroy plan; nothing left to remove after', async () => {
    const out = `out-destroy-${++runs}`;
    expect((await deploy([ENTRY, '--admit-address', '203.0.113.7'], {}, out)).code).toBe(0);
    Object.assign(process.env, {
      FAKE_TF_LOG: join(work, `destroy-${runs}.jsonl`),
      FAKE_TF_STATE: '1',
      ARM_SUBSCRIPTION_ID: '00000000-0000-4000-8000-000000000001',
      ATAKORA_ADMIT_SETTLE_MS: '1',
    });
    const c = capturedIo();
    const code = await main(
      [
        'destroy',
        ENTRY,
        '--auto-approve',
        '--allow-data-loss',
        '--terraform',
        tf.bin,
        '--out',
        join(work, out),
        '--admit-address',
        '203.0.113.8',
      ],
      c.io,
    );
    expect(c.err).not.toContain('ADMIT_ADDRESS_NOT_REMOVED');
    expect(code).toBe(0);
    const calls = readFileSync(join(work, `destroy-${runs}.jsonl`), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) =>
        (JSON.parse(l) as { args: string[] }).args
          .filter((a) => !a.startsWith('-input') && a !== '-no-color' && !a.startsWith('-target'))
          .join(' '),
      );
    expect(calls).toEqual([
      'init',
      'plan -out=atakora-admission.tfplan',
      'show -json atakora-admission.tfplan',
      'apply atakora-admission.tfplan',
      'plan -destroy -out=atakora.tfplan',
      'show -json atakora.tfplan',
      'apply atakora.tfplan',
      'plan -out=atakora-admission.tfplan',
      'show -json atakora-admission.tfplan',
    ]);
    expect(c.err).toMatch(/admit-prod: 203\.0\.113\.8 not left on stpkg/);
  });

  it('a stack without IP rule lists: a one-line notice, the usual deploy', async () => {
    const r = await deploy(['examples/basic.ts', '--admit-address', '203.0.113.7']);
    expect(r.code).toBe(0);
    expect(r.err).toContain('notice: --admit-address 203.0.113.7: no stack writes an IP rule list');
    expect(r.calls).toEqual([
      'init',
      'plan -out=atakora.tfplan',
      'show -json atakora.tfplan',
      'apply atakora.tfplan',
      'output -json',
    ]);
  });
});

describe('resolveAdmitAddress and changedResources', () => {
  it('auto reads the echo URL; explicit addresses are checked as storage IP rules', async () => {
    expect(
      await resolveAdmitAddress('auto', { ATAKORA_IP_ECHO_URL: await echo(' 198.51.100.77 ') }),
    ).toBe('198.51.100.77');
    expect(await resolveAdmitAddress('198.51.100.20', {})).toBe('198.51.100.20');
    for (const bad of [
      '192.168.1.1',
      '172.20.0.1',
      '127.0.0.1',
      '256.1.1.1',
      '203.0.113.0/24',
      '01.2.3.4',
    ]) {
      await expect(resolveAdmitAddress(bad, {})).rejects.toMatchObject({
        code: 'ADMIT_ADDRESS_INVALID',
      });
    }
  });

  it('changedResources lists the blocks that differ, by address', () => {
    const a = JSON.stringify({
      resource: { t: { x: { name: 'n1', ip_rules: ['1.2.3.4'] }, y: { name: 'n2' } } },
    });
    const b = JSON.stringify({
      resource: { t: { x: { name: 'n1', ip_rules: [] }, y: { name: 'n2' } } },
    });
    expect(changedResources(a, b)).toEqual([{ address: 't.x', name: 'n1' }]);
    expect(changedResources(a, a)).toEqual([]);
  });
});
