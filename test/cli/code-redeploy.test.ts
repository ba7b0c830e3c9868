/**
 * `atakora sandbox`'s code-only redeploy lands where the deployed app reads: the address is compared with the
 * synthesized stack (Flex: the container its `storage_container_endpoint` names; Premium: the blob
 * `WEBSITE_RUN_FROM_PACKAGE` points at), against a strict stand-in of Blob storage, Resource Manager and the SCM
 * site: Flex publishes through One Deploy (the platform stores the package in that container), Premium puts the
 * blob there, and "restarted with the new code" is said only once the app is seen on it.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defineBackend } from '../../src/backend/define-backend.js';
import { FunctionsApp } from '../../src/components/functions/index.js';
import { codeTargets, redeployCode } from '../../src/cli/deploy/code-redeploy.js';
import { deployedPlan } from '../../src/cli/shared/secrets/secret-target.js';
import { synthStacks } from '../../src/cli/entry/synth-stacks.js';
import { appPackageFile } from '../../src/apply/package/app-package.js';
import { startAppServiceStandIn } from '../support/appservice-standin.js';
import { packageAddress, type Resources } from '../support/app-packages.js';

const SUBSCRIPTION = '5f1c2e3d-0000-4000-8000-0000000000aa';
const RG = 'rg-redeploy';
const work = mkdtempSync(join(tmpdir(), 'atakora-redeploy-'));
const handler = join(work, 'fn.ts');
let stand: Awaited<ReturnType<typeof startAppServiceStandIn>>;
const saved = process.env['ARM_SUBSCRIPTION_ID'];

beforeAll(async () => {
  process.env['ARM_SUBSCRIPTION_ID'] = SUBSCRIPTION;
  stand = await startAppServiceStandIn();
});
afterAll(async () => {
  if (saved === undefined) delete process.env['ARM_SUBSCRIPTION_ID'];
  else process.env['ARM_SUBSCRIPTION_ID'] = saved;
  await stand.close();
  rmSync(work, { recursive: true, force: true });
});

const backend = (sku: string) =>
  defineBackend(
    {
      hello: FunctionsApp.define('Hello', {
        runtime: 'node',
        sku,
        functions: { hello: { trigger: 'http', route: 'hello', handler } },
      }),
    },
    { backendId: `rdp${sku.toLowerCase()}`, auth: 'none' },
  );

const env = (): NodeJS.ProcessEnv => ({
  ATAKORA_ARM_TOKEN: 'token',
  ATAKORA_ARM_ENDPOINT: `${stand.base}/arm`,
  ATAKORA_BLOB_ENDPOINT: `${stand.base}/blob/{account}`,
  ATAKORA_SCM_ENDPOINT: `${stand.base}/scm/{host}`,
  ATAKORA_PUBLISH_POLL_MS: '10',
});

/** The code-only redeploy of `targets` as the sandbox runs it, its lines into `lines`. */
const redeploy = (
  targets: Parameters<typeof redeployCode>[0],
  lines: string[] = [],
): Promise<void> =>
  redeployCode(targets, {
    subscriptionId: SUBSCRIPTION,
    resourceGroup: RG,
    log: (l) => lines.push(l),
    env: env(),
  });

/** Deploy (synthesize as `atakora deploy` does), then stand the deployed app up in the stand-in. */
async function deployed(sku: string, body: string) {
  writeFileSync(handler, `export default async function hello() { return { body: '${body}' }; }\n`);
  const b = backend(sku);
  const [stack] = await synthStacks([b], {
    outdir: mkdtempSync(join(work, 'out-')),
    resourceGroup: RG,
    log: () => undefined,
    command: 'deploy',
  });
  const json = JSON.parse(readFileSync(join(stack!.dir, 'cdk.tf.json'), 'utf8')) as {
    resource: Resources;
  };
  const address = packageAddress(json.resource);
  // What the sandbox computes after its deploy: the plan for the same target, and each app's package.
  const targets = codeTargets(deployedPlan(b, RG).plan, false);
  stand.blobs.set(address.path, undefined);
  stand.sites.set(address.app, {
    settings: {
      ATAKORA_PACKAGE_MD5: 'the-deployed-one',
      ...(sku === 'FC1' ? {} : { WEBSITE_RUN_FROM_PACKAGE: address.url }),
    },
    ...(sku === 'FC1' ? { deploymentContainer: address.url } : {}),
    state: 'Running',
    refreshes: 0,
    referenceReads: 0,
  });
  return { address, targets };
}

describe.each([
  ['FC1', 'Flex Consumption'],
  ['EP1', 'Elastic Premium'],
])('code-only redeploy on %s (%s)', (sku) => {
  it('uploads to the address the synthesized app reads, and says restarted only once the app runs it', async () => {
    const { address, targets } = await deployed(sku, 'one');
    expect(targets).toHaveLength(1);
    const t = targets[0]!;
    expect(`${t.account}/${t.container}/${t.blob}`).toBe(address.path);
    // A version of its own: the old, unversioned address is not where anything reads.
    expect(address.path).toContain(t.version);

    writeFileSync(handler, "export default async function hello() { return { body: 'two' }; }\n");
    const lines: string[] = [];
    const before = stand.seen.length;
    await redeploy(targets, lines);
    const file = appPackageFile(t.request)!;
    const md5 = createHash('md5').update(readFileSync(file)).digest();
    expect(stand.blobs.get(address.path)).toBe(md5.toString('base64'));
    expect(stand.sites.get(address.app)!.settings['ATAKORA_PACKAGE_MD5']).toBe(md5.toString('hex'));
    expect(stand.sites.get(address.app)!.restarts).toBe(1);
    const mine = stand.seen.slice(before);
    const puts = mine.filter((s) => s.method === 'PUT' && s.url.startsWith('/blob/'));
    const publishes = mine.filter((s) => s.method === 'POST' && s.url.startsWith('/scm/'));
    if (sku === 'FC1') {
      // Flex: One Deploy on the app's SCM site with a Resource Manager token; no blob written by the CLI.
      expect(publishes.map((p) => p.url)).toEqual([
        `/scm/${address.app}.scm.azurewebsites.net/api/publish?RemoteBuild=false&Deployer=atakora`,
      ]);
      expect(publishes[0]!.authorization).toBe('Bearer token');
      expect(puts).toEqual([]);
    } else {
      expect(puts.map((p) => p.url)).toEqual([`/blob/${address.path}`]);
      expect(publishes).toEqual([]);
    }
    expect(lines.at(-1)).toBe(
      `${address.app}: restarted with the new code (package MD5 ${md5.toString('hex')})`,
    );
  });

  it('refuses to upload where the app does not read (REDEPLOY_TARGET_MISMATCH)', async () => {
    const { address, targets } = await deployed(sku, 'three');
    const site = stand.sites.get(address.app)!;
    // The app was moved by another deploy: the container (Flex) or blob (Premium) of another version.
    const elsewhere = address.url.replace(targets[0]!.version, '0000000');
    if (sku === 'FC1') site.deploymentContainer = elsewhere;
    else site.settings['WEBSITE_RUN_FROM_PACKAGE'] = elsewhere;
    writeFileSync(handler, "export default async function hello() { return { body: 'four' }; }\n");
    const before = stand.seen.length;
    const lines: string[] = [];
    await expect(redeploy(targets, lines)).rejects.toMatchObject({
      code: 'REDEPLOY_TARGET_MISMATCH',
      message: expect.stringContaining(elsewhere),
    });
    expect(stand.seen.slice(before).some((s) => s.url.startsWith('/blob/'))).toBe(false);
    expect(stand.seen.slice(before).some((s) => s.url.startsWith('/scm/'))).toBe(false);
    expect(lines.join('\n')).not.toContain('restarted');
  });

  it('does not say restarted when the app is not seen running the new package (REDEPLOY_NOT_VERIFIED)', async () => {
    const { address, targets } = await deployed(sku, 'five');
    stand.sites.get(address.app)!.state = 'Stopped';
    writeFileSync(handler, "export default async function hello() { return { body: 'six' }; }\n");
    const lines: string[] = [];
    await expect(redeploy(targets, lines)).rejects.toMatchObject({
      code: 'REDEPLOY_NOT_VERIFIED',
      message: expect.stringContaining('Stopped'),
    });
    expect(lines.join('\n')).not.toContain('restarted with the new code');
  });
});

describe('code-only redeploy on FC1 through One Deploy', () => {
  it('a deployment One Deploy reports failed is REDEPLOY_NOT_VERIFIED; the hash setting is left as it was', async () => {
    const { address, targets } = await deployed('FC1', 'seven');
    stand.sites.get(address.app)!.failDeployments = true;
    writeFileSync(handler, "export default async function hello() { return { body: 'eight' }; }\n");
    const lines: string[] = [];
    await expect(redeploy(targets, lines)).rejects.toMatchObject({
      code: 'REDEPLOY_NOT_VERIFIED',
      message: expect.stringContaining('failed: Failed to start the app'),
    });
    expect(stand.sites.get(address.app)!.settings['ATAKORA_PACKAGE_MD5']).toBe('the-deployed-one');
    expect(lines.join('\n')).not.toContain('restarted with the new code');
  });

  it('a publish refused while another deployment runs (409) is REDEPLOY_NOT_VERIFIED with what to do', async () => {
    const { address, targets } = await deployed('FC1', 'nine');
    stand.sites.get(address.app)!.busy = true;
    writeFileSync(handler, "export default async function hello() { return { body: 'ten' }; }\n");
    await expect(redeploy(targets)).rejects.toMatchObject({
      code: 'REDEPLOY_NOT_VERIFIED',
      message: expect.stringContaining('HTTP 409'),
      resolution: expect.stringContaining('Another deployment'),
    });
    expect(stand.sites.get(address.app)!.publishes ?? 0).toBe(0);
  });

  it('an app that already runs the package is not published again', async () => {
    const { address, targets } = await deployed('FC1', 'eleven');
    const file = appPackageFile(targets[0]!.request)!;
    const hex = createHash('md5').update(readFileSync(file)).digest('hex');
    stand.sites.get(address.app)!.settings['ATAKORA_PACKAGE_MD5'] = hex;
    const lines: string[] = [];
    await redeploy(targets, lines);
    expect(stand.sites.get(address.app)!.publishes ?? 0).toBe(0);
    expect(lines.at(-1)).toBe(
      `${address.app}: already runs this package (MD5 ${hex}); nothing to publish`,
    );
  });
});

describe('One Deploy on Flex Consumption', () => {
  it("publishes on the SCM host Resource Manager lists (a unique default host name), not one made of the app's name", async () => {
    const { address, targets } = await deployed('FC1', 'one');
    const host = `${address.app}-b7c3d9e0f1a2b3c4.scm.westeurope-01.azurewebsites.net`;
    stand.sites.get(address.app)!.scmHost = host;
    writeFileSync(handler, "export default async function hello() { return { body: 'three' }; }\n");
    const before = stand.seen.length;
    await redeploy(targets);
    const publishes = stand.seen
      .slice(before)
      .filter((s) => s.method === 'POST' && s.url.startsWith('/scm/'));
    expect(publishes.map((p) => p.url)).toEqual([
      `/scm/${host}/api/publish?RemoteBuild=false&Deployer=atakora`,
    ]);
    expect(stand.sites.get(address.app)!.publishes).toBe(1);
  });
});
