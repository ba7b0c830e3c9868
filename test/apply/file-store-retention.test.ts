/**
 * What the files account keeps of deleted and abandoned blobs: versioning off (a deleted file leaves no version
 * the FileStore's identity could never remove), soft delete bounded, and a lifecycle policy expiring staged
 * uploads and forgotten pending records — in the plan (a fact on the storage resource) and in the synthesized
 * stack. Shared stores and isolated networking are plan warnings saying what they mean for files.
 */
import { describe, expect, it } from 'vitest';
import { defineBackend } from '../../src/backend/define-backend.js';
import { FileStore } from '../../src/components/files/index.js';
import { expectHonest, synth } from '../support/synth.js';

const stores = () => ({
  attachments: FileStore.define('Attachments', { maxSizeMb: 10, access: [{ allow: 'owner' }] }),
  avatars: FileStore.define('Avatar', { maxSizeMb: 1, maxPendingUploads: 3 }),
});

describe('files account retention', () => {
  const backend = defineBackend(stores(), { environment: 'prod' });
  const plan = backend.plan();
  const json = synth(backend);
  const accounts = Object.entries(json.resource['azurerm_storage_account'] ?? {});

  it('the plan says which: versioning off, soft delete 7 days, staging 1 day, pending records 3 days', () => {
    const files = plan.resources.find((r) => r.key === 'storage:files-standard-lrs')!;
    expect(files.config['retention']).toEqual({
      versioning: false,
      deletedRetentionDays: 7,
      stagingDays: 1,
      pendingDays: 3,
      stagingPrefixes: ['attachments/~staging/', 'avatar/~staging/'],
      pendingPrefixes: ['attachments/~pending/', 'avatar/~pending/'],
    });
    // The host account keeps versions (its deployment packages), and has no such rule.
    const host = plan.resources.find((r) => r.key === 'storage:shared')!;
    expect(host.config['retention']).toBeUndefined();
  });

  it('synthesizes versioning off with soft delete on the files account only', () => {
    const [, files] = accounts.find(([k]) => k.includes('files'))!;
    expect(files['blob_properties']).toMatchObject({
      versioning_enabled: false,
      delete_retention_policy: { days: 7 },
      container_delete_retention_policy: { days: 7 },
    });
    for (const [k, a] of accounts.filter(([k]) => !k.includes('files')))
      expect(a['blob_properties'], k).toMatchObject({ versioning_enabled: true });
  });

  it('synthesizes a lifecycle policy on the files account: staged, pending and previous versions expire', () => {
    const policies = Object.values(json.resource['azurerm_storage_management_policy'] ?? {});
    expect(policies).toHaveLength(1);
    const policy = policies[0]!;
    expect(String(policy['storage_account_id'])).toMatch(
      /azurerm_storage_account\.\S*files\S*\.id/,
    );
    const rules = policy['rule'] as {
      name: string;
      filters: { prefix_match: string[]; blob_types: string[] };
      actions: Record<string, Record<string, number>>;
    }[];
    const byName = Object.fromEntries(rules.map((r) => [r.name, r]));
    expect(byName['expire-staged-uploads']!.filters.prefix_match).toEqual([
      'attachments/~staging/',
      'avatar/~staging/',
    ]);
    expect(
      byName['expire-staged-uploads']!.actions['base_blob']![
        'delete_after_days_since_creation_greater_than'
      ],
    ).toBe(1);
    expect(
      byName['expire-pending-uploads']!.actions['base_blob']![
        'delete_after_days_since_creation_greater_than'
      ],
    ).toBe(3);
    expect(byName['delete-previous-versions']!.filters.prefix_match).toEqual([
      'attachments/',
      'avatar/',
    ]);
    expect(byName['delete-previous-versions']!.actions['version']).toEqual({
      delete_after_days_since_creation: 1,
    });
  });

  it('the plan lists exactly what apply creates', () => {
    expectHonest(plan, json);
  });

  it('maxPendingUploads reaches the manifest; bad values are FILESTORE_CONFIG_INVALID', () => {
    const func = plan.resources.find((r) => r.type === 'functions')!;
    const fileStores = func.config['fileStores'] as {
      componentId: string;
      maxPendingUploads?: number;
    }[];
    expect(fileStores.find((f) => f.componentId === 'Avatar')!.maxPendingUploads).toBe(3);
    expect(
      fileStores.find((f) => f.componentId === 'Attachments')!.maxPendingUploads,
    ).toBeUndefined();
    for (const bad of [0, 1.5, 1001, '3'])
      expect(() =>
        FileStore.define('F', { maxSizeMb: 1, maxPendingUploads: bad as number }),
      ).toThrow(
        expect.objectContaining({
          code: 'FILESTORE_CONFIG_INVALID',
          path: ['components', 'F', 'config', 'maxPendingUploads'],
        }),
      );
  });
});

describe('plan warnings for files', () => {
  it('FILES_TENANCY_SHARED says who may read, upload and delete across tenants', () => {
    const plan = defineBackend(
      { shared: FileStore.define('Brochures', { maxSizeMb: 5, tenancy: 'shared' }) },
      { auth: { signInAudience: 'AzureADMultipleOrgs', allowedTenants: 'any' } },
    ).plan();
    const warning = plan.issues.find((i) => i.code === 'FILES_TENANCY_SHARED')!;
    expect(warning).toMatchObject({
      severity: 'warning',
      components: ['Brochures'],
      path: ['components', 'Brochures', 'config', 'tenancy'],
    });
    expect(warning.message).toContain('delete: every signed-in caller of every allowed directory');
    expect(warning.message).toContain('upload:');
    expect(
      defineBackend({ own: FileStore.define('Own', { maxSizeMb: 5 }) })
        .plan()
        .issues.some((i) => i.code === 'FILES_TENANCY_SHARED'),
    ).toBe(false);
  });

  it('FILES_PRIVATE_ENDPOINT: isolated files are reachable only through the private endpoint', () => {
    const isolated = defineBackend(stores(), {
      networking: { mode: 'isolated', deployerAddresses: ['203.0.113.7'] },
    }).plan();
    const warning = isolated.issues.find((i) => i.code === 'FILES_PRIVATE_ENDPOINT')!;
    expect(warning.components).toEqual(['Attachments', 'Avatar']);
    expect(warning.message).toMatch(/private endpoint/);
    expect(warning.message).toMatch(/cannot upload or download/);
    expect(
      defineBackend(stores())
        .plan()
        .issues.some((i) => i.code === 'FILES_PRIVATE_ENDPOINT'),
    ).toBe(false);
  });
});
