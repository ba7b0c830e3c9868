/**
 * A FileStore's files live in a data account of their own (never the Function App's host storage), one container
 * per FileStore, and its identity holds exactly Storage Blob Data Contributor on that container plus Storage Blob
 * Delegator on the account (the user-delegation key) — nothing else. The browser reaches the blob endpoint from
 * the backend's sites (CORS), and the plan lists what apply creates.
 */
import { describe, expect, it } from 'vitest';
import { defineBackend } from '../../src/backend/define-backend.js';
import { CrudApi } from '../../src/components/crud/index.js';
import { FileStore } from '../../src/components/files/index.js';
import { StaticSite } from '../../src/components/web/index.js';
import { functionApps } from '../support/app-packages.js';
import { expectHonest, synth } from '../support/synth.js';

const notes = () => CrudApi.define('NoteApi', { entityName: 'Note', schema: { id: 'string' } });

describe('FileStore: a data account, one container each, exactly two roles', () => {
  const backend = defineBackend(
    {
      notes: notes(),
      attachments: FileStore.define('Attachments', {
        maxSizeMb: 10,
        contentTypes: ['image/*', 'application/pdf'],
        access: [{ allow: 'owner' }],
      }),
      avatars: FileStore.define('Avatar', { maxSizeMb: 1, tenancy: 'shared' }),
    },
    { environment: 'prod' },
  );
  const plan = backend.plan();
  const json = synth(backend);
  const accounts = json.resource['azurerm_storage_account'] ?? {};
  const roles = Object.entries(json.resource['azurerm_role_assignment'] ?? {});
  const identities = Object.keys(json.resource['azurerm_user_assigned_identity'] ?? {});

  it('plans the files account apart from the host storage, and the host never uses it', () => {
    expect(plan.issues.filter((i) => i.severity === 'error')).toEqual([]);
    const files = plan.resources.find((r) => r.key === 'storage:files-standard-lrs')!;
    expect(files.config['purpose']).toBe('files');
    expect(files.config['containers']).toEqual(['attachments', 'avatar']);
    const func = plan.resources.find((r) => r.type === 'functions')!;
    expect(func.config['hostStorage']).toBe('storage:shared');
    expect(
      plan.components.find((c) => c.key === 'attachments')!.outputs['storageAccountName'],
    ).toBe(files.name);
    expect(backend.components.avatars.routes).toEqual([
      'api/avatars',
      'api/avatars/{id}',
      'api/avatars/{id}/complete',
    ]);
    const app = functionApps(json.resource)[0]!;
    // The app reaches the files account only through its FileStores' settings (the blob endpoint, a plain URL).
    const filesTf = Object.keys(accounts).find((k) => k.includes('files'))!;
    expect(JSON.stringify(app)).not.toContain(`azurerm_storage_account.${filesTf}`);
    expect(JSON.stringify(app)).toContain(
      Object.keys(accounts).find((k) => k.endsWith('storage_shared'))!,
    );
  });

  it('a FileStore alone still gets a host account of its own kind', () => {
    const alone = defineBackend({ files: FileStore.define('Files', { maxSizeMb: 5 }) }).plan();
    expect(alone.resources.map((r) => r.key)).toEqual(
      expect.arrayContaining(['storage:files-standard-lrs', 'storage:shared']),
    );
    expect(alone.resources.find((r) => r.type === 'functions')!.config['hostStorage']).toBe(
      'storage:shared',
    );
  });

  it("grants each FileStore's identity Blob Data Contributor on its container and Blob Delegator on the account, nothing more", () => {
    for (const id of ['Attachments', 'Avatar']) {
      const identity = identities.find((n) => n.endsWith(`_identity_${id}`))!;
      const mine = roles
        .filter(([, r]) => String(r['principal_id']).includes(`.${identity}.`))
        .map(([, r]) => [r['role_definition_name'], r['scope']]);
      const container = Object.entries(json.resource['azurerm_storage_container'] ?? {}).find(
        ([, c]) => c['name'] === (id === 'Avatar' ? 'avatar' : 'attachments'),
      )![0];
      const account = Object.keys(accounts).find((k) => k.includes('files'))!;
      expect(mine.sort()).toEqual([
        ['Storage Blob Data Contributor', `\${azurerm_storage_container.${container}.id}`],
        ['Storage Blob Delegator', `\${azurerm_storage_account.${account}.id}`],
      ]);
    }
    // The CrudApi's identity holds no storage role.
    const noteIdentity = identities.find((n) => n.endsWith('_identity_NoteApi'))!;
    expect(
      roles.filter(([, r]) => String(r['principal_id']).includes(`.${noteIdentity}.`)),
    ).toEqual([]);
  });

  it('the files account is secure like the host one, and the manifest names each store with its identity', () => {
    const files = Object.entries(accounts).find(([k]) => k.includes('files'))![1];
    expect(files['shared_access_key_enabled']).toBe(false);
    expect(files['allow_nested_items_to_be_public']).toBe(false);
    expect(files['min_tls_version']).toBe('TLS1_2');
    const app = functionApps(json.resource)[0]!;
    const settings = app['app_settings'] as Record<string, string>;
    const manifest = JSON.parse(settings['ATAKORA_MANIFEST']!) as {
      fileStores: { componentId: string; settings: Record<string, string> }[];
    };
    expect(manifest.fileStores.map((f) => f.componentId)).toEqual(['Attachments', 'Avatar']);
    expect(manifest.fileStores[0]!.settings).toEqual({
      endpoint: 'ATTACHMENTS_BLOB_ENDPOINT',
      container: 'ATTACHMENTS_FILES_CONTAINER',
      clientId: 'ATTACHMENTS_AZURE_CLIENT_ID',
    });
    expect(settings['ATTACHMENTS_BLOB_ENDPOINT']).toMatch(
      /^https:\/\/st.*\.blob\.core\.windows\.net\/$/,
    );
    expect(settings['ATTACHMENTS_FILES_CONTAINER']).toBe('attachments');
  });

  it('the plan lists exactly what apply creates', () => {
    expectHonest(plan, json);
  });

  it("CORS on the files account admits the backend's sites for PUT and GET only", () => {
    const withSite = defineBackend({
      files: FileStore.define('Files', { maxSizeMb: 5 }),
      site: StaticSite.define('Web'),
    });
    const out = synth(withSite);
    const files = Object.entries(out.resource['azurerm_storage_account'] ?? {}).find(([k]) =>
      k.includes('files'),
    )![1];
    const rule = (files['blob_properties'] as { cors_rule: Record<string, unknown>[] })
      .cors_rule[0]!;
    expect(rule['allowed_methods']).toEqual(['GET', 'HEAD', 'OPTIONS', 'PUT']);
    expect((rule['allowed_origins'] as string[]).length).toBeGreaterThan(0);
    expect((rule['allowed_origins'] as string[]).every((o) => o.startsWith('https://'))).toBe(true);
    expect(rule['allowed_headers']).toContain('x-ms-blob-type');
    // Without a site, no rule.
    expect(files).toBeDefined();
    const bare = Object.entries(
      synth(defineBackend({ files: FileStore.define('Files', { maxSizeMb: 5 }) })).resource[
        'azurerm_storage_account'
      ] ?? {},
    ).find(([k]) => k.includes('files'))![1];
    expect(bare['blob_properties']).not.toHaveProperty('cors_rule');
    expectHonest(withSite.plan(), out);
  });
});

describe('FileStore routes in the plan', () => {
  it("a FileStore serving a CrudApi's route is a plan error naming both", () => {
    const plan = defineBackend({
      notes: CrudApi.define('NoteApi', {
        entityName: 'Note',
        schema: { id: 'string' },
        route: 'files',
      }),
      files: FileStore.define('Files', { maxSizeMb: 1 }),
    }).plan();
    const errors = plan.issues.filter((i) => i.severity === 'error');
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.map((e) => e.message).join(' ')).toMatch(/FileStore Files/);
    expect(errors.map((e) => e.message).join(' ')).toMatch(/NoteApi/);
    // Its own route: no conflict.
    expect(
      defineBackend({
        notes: CrudApi.define('NoteApi', {
          entityName: 'Note',
          schema: { id: 'string' },
          route: 'files',
        }),
        files: FileStore.define('Files', { maxSizeMb: 1, route: 'uploads' }),
      })
        .plan()
        .issues.filter((i) => i.severity === 'error'),
    ).toEqual([]);
  });

  it('bad options are FILESTORE_CONFIG_INVALID with the path', () => {
    expect(() => FileStore.define('F', { maxSizeMb: 0 })).toThrow(
      expect.objectContaining({
        code: 'FILESTORE_CONFIG_INVALID',
        path: ['components', 'F', 'config', 'maxSizeMb'],
      }),
    );
    expect(() => FileStore.define('F', { maxSizeMb: 6000 })).toThrow(
      expect.objectContaining({ code: 'FILESTORE_CONFIG_INVALID' }),
    );
    expect(() => FileStore.define('F', { maxSizeMb: 1, contentTypes: ['nope'] })).toThrow(
      expect.objectContaining({
        code: 'FILESTORE_CONFIG_INVALID',
        path: ['components', 'F', 'config', 'contentTypes', 0],
      }),
    );
    expect(() => FileStore.define('F', { maxSizeMb: 1, tenancy: 'x' as 'shared' })).toThrow(
      expect.objectContaining({ code: 'FILESTORE_CONFIG_INVALID' }),
    );
    expect(() =>
      FileStore.define('F', { maxSizeMb: 1, access: [{ allow: 'nobody' as 'owner' }] }),
    ).toThrow(expect.objectContaining({ code: 'CRUD_ACCESS_INVALID' }));
    expect(() => FileStore.define('F', { maxSizeMb: 1, colour: 'red' } as never)).toThrow(
      expect.objectContaining({ code: 'CONFIG_UNKNOWN_KEY' }),
    );
  });
});
