import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Testing } from '../support/engine.js';
import { afterAll, describe, expect, it } from 'vitest';
import { ResourceGroupStack } from '../../src/apply/resource-group-stack.js';
import type { Backend } from '../../src/backend/backend.js';
import { defineBackend } from '../../src/backend/define-backend.js';
import { CrudApi } from '../../src/components/crud/index.js';
import { FunctionsApp } from '../../src/components/functions/index.js';
import { deployabilityProblems, type TfJson } from '../support/deployability.js';
import { expectHonest } from '../support/synth.js';

// A package update must never leave the app without a package: each version is uploaded beside the previous
// one (create_before_destroy), the app is pointed at it, and only then is the old one deleted. Terraform
// orders a replacement that way only when the new object's address differs from the old one's (a blob's name
// and container are ForceNew and its create refuses an existing blob: storage_blob_resource.go@v4.55.0).

type Block = Record<string, unknown>;
type Json = TfJson & { resource: Record<string, Record<string, Block>> };

const dir = mkdtempSync(join(tmpdir(), 'atakora-package-update-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A timer handler whose log line is `word`: a different word, a different package. */
function handler(word: string): string {
  const file = join(dir, `${word}.ts`);
  writeFileSync(
    file,
    `import type { InvocationContext, Timer } from '@azure/functions';\n` +
      `export default async function tick(_t: Timer, context: InvocationContext): Promise<void> { context.log('${word}'); await Promise.resolve(); }\n`,
  );
  return file;
}

const backendWith = (file: string, sku?: string) =>
  defineBackend(
    {
      users: CrudApi.define('UserApi', {
        entityName: 'User',
        schema: { id: 'string', name: 'string' },
      }),
      jobs: FunctionsApp.define('Jobs', {
        runtime: 'node',
        ...(sku ? { sku } : {}),
        functions: { nightly: { trigger: 'timer', schedule: '0 0 2 * * *', handler: file } },
      }),
    },
    { environment: 'prod' },
  );

function synth(backend: Backend): Json {
  const stack = new ResourceGroupStack(Testing.app(), 'S', {
    resourceGroupName: 'rg-update',
    location: 'eastus',
    subscriptionId: '00000000-0000-4000-8000-000000000001',
  });
  backend.apply(stack);
  const json = JSON.parse(Testing.synth(stack)) as Json;
  expect(deployabilityProblems(json)).toEqual([]);
  // The plan is honest whatever the version: the logical names stay, only the Azure names move.
  expectHonest(backend.plan(), json);
  return json;
}

/** The package blob and container of the one app of `appType` (Jobs' app), found by the app's own references. */
function jobsPackage(json: Json, appType: string) {
  const apps = Object.values(json.resource[appType] ?? {});
  expect(apps).toHaveLength(1);
  const app = apps[0]!;
  const blobs = Object.entries(json.resource['azurerm_storage_blob'] ?? {});
  const containers = json.resource['azurerm_storage_container'] ?? {};
  const settings = (app['app_settings'] ?? {}) as Record<string, string>;
  const containerRef = /azurerm_storage_container\.([^.]+)\.name/.exec(
    String(app['storage_container_endpoint'] ?? ''),
  )?.[1];
  const blobRef = /azurerm_storage_blob\.([^.]+)\.url/.exec(
    settings['WEBSITE_RUN_FROM_PACKAGE'] ?? '',
  )?.[1];
  const [blobId, blob] = blobs.find(
    ([id, b]) =>
      id === blobRef ||
      (containerRef !== undefined &&
        String(b['storage_container_name']).includes(`azurerm_storage_container.${containerRef}.`)),
  )!;
  const containerId = /azurerm_storage_container\.([^.]+)\.name/.exec(
    String(blob['storage_container_name']),
  )![1]!;
  return { app, blobId, blob, containerId, container: containers[containerId]! };
}

const cbd = (block: Block) =>
  (block['lifecycle'] as { create_before_destroy?: boolean } | undefined)?.create_before_destroy;

describe('a package update never leaves the app without a package', () => {
  const a = handler('alpha');
  const b = handler('bravo');

  it('Flex (fixed blob name released-package.zip): a new package is a new container, created before the old one goes, and the app follows it', () => {
    const before = jobsPackage(synth(backendWith(a)), 'azurerm_function_app_flex_consumption');
    const after = jobsPackage(synth(backendWith(b)), 'azurerm_function_app_flex_consumption');
    // Same logical resources (what the plan lists), another Azure address for the new version.
    expect([after.blobId, after.containerId]).toEqual([before.blobId, before.containerId]);
    expect(before.blob['name']).toBe('released-package.zip');
    expect(after.blob['name']).toBe('released-package.zip');
    expect(String(before.container['name'])).toMatch(/^app-package-[a-z0-9-]+-[0-9a-f]{7}$/);
    expect(after.container['name']).not.toBe(before.container['name']);
    for (const p of [before, after]) {
      expect(cbd(p.blob)).toBe(true);
      expect(cbd(p.container)).toBe(true);
      // The app reads the container by reference: the in-place endpoint update waits for the new container and blob.
      expect(String(p.app['storage_container_endpoint'])).toContain(
        `\${azurerm_storage_container.${p.containerId}.name}`,
      );
      expect(p.app['depends_on']).toContain(`azurerm_storage_blob.${p.blobId}`);
    }
  });

  it('Premium / Dedicated: a new package is a new blob, created before the old one goes, and WEBSITE_RUN_FROM_PACKAGE follows it', () => {
    const before = jobsPackage(synth(backendWith(a, 'EP1')), 'azurerm_linux_function_app');
    const after = jobsPackage(synth(backendWith(b, 'EP1')), 'azurerm_linux_function_app');
    expect(after.blobId).toBe(before.blobId);
    expect(String(before.blob['name'])).toMatch(
      new RegExp(`^${String(before.app['name'])}-[0-9a-f]{7}\\.zip$`),
    );
    expect(after.blob['name']).not.toBe(before.blob['name']);
    // The container stays: only the blob moves.
    expect(after.container['name']).toBe(before.container['name']);
    for (const p of [before, after]) {
      expect(cbd(p.blob)).toBe(true);
      expect((p.app['app_settings'] as Record<string, string>)['WEBSITE_RUN_FROM_PACKAGE']).toBe(
        `\${azurerm_storage_blob.${p.blobId}.url}`,
      );
    }
  });

  it('the same package gives the same names: a second plan with unchanged code is clean', () => {
    const once = jobsPackage(synth(backendWith(a)), 'azurerm_function_app_flex_consumption');
    const twice = jobsPackage(synth(backendWith(a)), 'azurerm_function_app_flex_consumption');
    expect([twice.container['name'], twice.blob['name'], twice.blob['source']]).toEqual([
      once.container['name'],
      once.blob['name'],
      once.blob['source'],
    ]);
  });
});
