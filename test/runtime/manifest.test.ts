import type { HttpFunctionOptions } from '@azure/functions';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AtakoraError } from '../../src/model/errors.js';
import type { RuntimeManifest } from '../../src/model/runtime-manifest.js';
import { createCosmosResolver } from '../../src/runtime/cosmos-resolver.js';
import { parseManifest } from '../../src/runtime/manifest-loader.js';
import { startRuntime } from '../../src/runtime/start-runtime.js';
import { noteEntity, orderEntity, userEntity } from './support/entities.js';
import { invoke } from './support/http.js';

const manifest: RuntimeManifest = {
  version: 1,
  backendId: 'shop',
  entities: [userEntity, noteEntity, orderEntity],
};

function env(
  overrides: Record<string, string | undefined> = {},
): Record<string, string | undefined> {
  const e: Record<string, string | undefined> = { ATAKORA_MANIFEST: JSON.stringify(manifest) };
  for (const entity of manifest.entities) {
    e[entity.settings.endpoint] =
      entity === orderEntity
        ? 'https://other.documents.azure.com:443/'
        : 'https://shop.documents.azure.com:443/';
    e[entity.settings.database] = 'shop';
    e[entity.settings.container] = entity.route;
  }
  return { ...e, ...overrides };
}

function expectConfigError(run: () => unknown, path?: (string | number)[]) {
  try {
    run();
  } catch (e) {
    expect(e).toBeInstanceOf(AtakoraError);
    expect((e as AtakoraError).code).toBe('RUNTIME_CONFIG_INVALID');
    if (path) expect((e as AtakoraError).path).toEqual(path);
    return;
  }
  throw new Error('expected RUNTIME_CONFIG_INVALID');
}

const withEntity = (patch: Record<string, unknown>) =>
  JSON.stringify({ ...manifest, entities: [{ ...userEntity, ...patch }] });

describe('parseManifest', () => {
  it('accepts a valid manifest', () => {
    expect(parseManifest(JSON.stringify(manifest))).toEqual(manifest);
  });

  it.each([
    ['missing', undefined, ['ATAKORA_MANIFEST']],
    ['empty', '  ', ['ATAKORA_MANIFEST']],
    ['not JSON', '{', ['ATAKORA_MANIFEST']],
    ['an array', '[]', ['ATAKORA_MANIFEST']],
    ['wrong version', JSON.stringify({ ...manifest, version: 2 }), ['ATAKORA_MANIFEST', 'version']],
    [
      'entities not an array',
      JSON.stringify({ ...manifest, entities: {} }),
      ['ATAKORA_MANIFEST', 'entities'],
    ],
    [
      'nested partition key',
      withEntity({ partitionKey: '/a/b' }),
      ['ATAKORA_MANIFEST', 'entities', 0, 'partitionKey'],
    ],
    [
      'partition key without slash',
      withEntity({ partitionKey: 'id' }),
      ['ATAKORA_MANIFEST', 'entities', 0, 'partitionKey'],
    ],
    [
      'reserved route',
      withEntity({ route: 'health' }),
      ['ATAKORA_MANIFEST', 'entities', 0, 'route'],
    ],
    [
      'route with a template',
      withEntity({ route: 'users/{x}' }),
      ['ATAKORA_MANIFEST', 'entities', 0, 'route'],
    ],
    [
      'unknown field type',
      withEntity({ schema: { a: { type: 'uuid', required: false } } }),
      ['ATAKORA_MANIFEST', 'entities', 0, 'schema', 'a', 'type'],
    ],
    [
      'unknown operation',
      withEntity({ operations: ['read', 'upsert'] }),
      ['ATAKORA_MANIFEST', 'entities', 0, 'operations', 1],
    ],
    [
      'bad unknownFields',
      withEntity({ unknownFields: 'drop' }),
      ['ATAKORA_MANIFEST', 'entities', 0, 'unknownFields'],
    ],
    [
      'bad cache',
      withEntity({ cache: { enabled: 'yes', ttlSeconds: 1 } }),
      ['ATAKORA_MANIFEST', 'entities', 0, 'cache', 'enabled'],
    ],
    ['bad ttl', withEntity({ ttl: 0 }), ['ATAKORA_MANIFEST', 'entities', 0, 'ttl']],
    [
      'missing settings',
      withEntity({ settings: { endpoint: 'E' } }),
      ['ATAKORA_MANIFEST', 'entities', 0, 'settings', 'database'],
    ],
    [
      'componentId unusable as function name',
      withEntity({ componentId: '1 bad' }),
      ['ATAKORA_MANIFEST', 'entities', 0, 'componentId'],
    ],
    [
      'duplicate route',
      JSON.stringify({ ...manifest, entities: [userEntity, { ...noteEntity, route: 'users' }] }),
      ['ATAKORA_MANIFEST', 'entities', 1],
    ],
    [
      'shared /tenantId entity',
      withEntity({ partitionKey: '/tenantId', tenancy: 'shared' }),
      ['ATAKORA_MANIFEST', 'entities', 0, 'tenancy'],
    ],
    [
      'empty access list',
      withEntity({ access: [] }),
      ['ATAKORA_MANIFEST', 'entities', 0, 'access'],
    ],
    [
      'unknown access rule',
      withEntity({ access: [{ allow: 'everyone' }] }),
      ['ATAKORA_MANIFEST', 'entities', 0, 'access', 0],
    ],
    [
      'role rule without a role',
      withEntity({ access: [{ allow: 'role' }] }),
      ['ATAKORA_MANIFEST', 'entities', 0, 'access', 0, 'role'],
    ],
    [
      'owner field not a plain name',
      withEntity({ ownerField: 'a"]' }),
      ['ATAKORA_MANIFEST', 'entities', 0, 'ownerField'],
    ],
    [
      'sort on a nested field',
      withEntity({ sortable: [[{ field: 'a.b', order: 'ascending' }]] }),
      ['ATAKORA_MANIFEST', 'entities', 0, 'sortable', 0, 0, 'field'],
    ],
    [
      'negative maxLength',
      withEntity({ schema: { a: { type: 'string', required: false, maxLength: -1 } } }),
      ['ATAKORA_MANIFEST', 'entities', 0, 'schema', 'a', 'maxLength'],
    ],
    [
      'auth without its flags',
      JSON.stringify({ ...manifest, auth: { tenantClaim: 'tid' } }),
      ['ATAKORA_MANIFEST', 'auth', 'required'],
    ],
    [
      'allowedTenants neither a list nor any',
      JSON.stringify({
        ...manifest,
        auth: {
          required: true,
          tenantClaim: 'tid',
          trustTenantHeader: false,
          allowedTenants: 'all',
        },
      }),
      ['ATAKORA_MANIFEST', 'auth', 'allowedTenants'],
    ],
    [
      'an OpenAPI function without methods',
      JSON.stringify({
        ...manifest,
        openapi: { functions: [{ componentId: 'F', name: 'F-a', route: 'a' }] },
      }),
      ['ATAKORA_MANIFEST', 'openapi', 'functions', 0, 'methods'],
    ],
    [
      'a file store of size 0',
      JSON.stringify({
        ...manifest,
        fileStores: [
          {
            componentId: 'Files',
            entityName: 'File',
            route: 'files',
            maxSizeBytes: 0,
            partitionKey: '/tenantId',
            settings: { endpoint: 'E', container: 'C' },
          },
        ],
      }),
      ['ATAKORA_MANIFEST', 'fileStores', 0, 'maxSizeBytes'],
    ],
  ])('rejects %s', (_label, json, path) => {
    expectConfigError(() => parseManifest(json), path);
  });

  it('lists every problem with its path, not only the first', () => {
    const broken = JSON.stringify({
      ...manifest,
      backendId: '',
      entities: [
        { ...userEntity, route: 'a b', operations: ['upsert'] },
        { ...noteEntity, settings: {} },
      ],
    });
    try {
      parseManifest(broken);
    } catch (e) {
      expect(e).toBeInstanceOf(AtakoraError);
      const error = e as AtakoraError;
      expect(error.path).toEqual(['ATAKORA_MANIFEST', 'backendId']);
      const paths = (error.details['issues'] as { path: (string | number)[] }[]).map((i) =>
        i.path.join('.'),
      );
      expect(paths).toEqual([
        'backendId',
        'entities.0.route',
        'entities.0.operations.0',
        'entities.1.settings.endpoint',
        'entities.1.settings.database',
        'entities.1.settings.container',
      ]);
      expect(error.message).toContain('6 problems');
      for (const line of [
        'ATAKORA_MANIFEST.backendId:',
        'ATAKORA_MANIFEST.entities[0].route:',
        'ATAKORA_MANIFEST.entities[1].settings.container: missing',
      ])
        expect(error.message).toContain(line);
      return;
    }
    throw new Error('expected RUNTIME_CONFIG_INVALID');
  });

  it('keeps only what the schema names (an unknown key is not passed on)', () => {
    const parsed = parseManifest(
      JSON.stringify({ ...manifest, extra: 1, entities: [{ ...userEntity, surprise: true }] }),
    );
    expect(parsed).toEqual({ ...manifest, entities: [userEntity] });
  });
});

describe('createCosmosResolver', () => {
  it('makes one client per endpoint and one health target per endpoint/database/container', () => {
    const cosmos = createCosmosResolver(manifest, env());
    expect(cosmos.healthTargets.map((t) => t.name)).toEqual([
      'shop.documents.azure.com/shop/users',
      'shop.documents.azure.com/shop/notes',
      'other.documents.azure.com/shop/orders',
    ]);
    // Health reads the very container objects the routes use: same client, so the same identity.
    [userEntity, noteEntity, orderEntity].forEach((e, i) =>
      expect(cosmos.healthTargets[i]!.container).toBe(cosmos.containerFor(e)),
    );
    expect(cosmos.containerFor(userEntity).id).toBe('users');
    expect(cosmos.containerFor(userEntity).database).toBe(cosmos.containerFor(noteEntity).database);
    expect(cosmos.containerFor(orderEntity).database).not.toBe(
      cosmos.containerFor(userEntity).database,
    );
  });

  it('fails fast on a missing setting or a non-https endpoint', () => {
    expectConfigError(
      () => createCosmosResolver(manifest, env({ USER_API_COSMOS_DATABASE: undefined })),
      ['appSettings', 'USER_API_COSMOS_DATABASE'],
    );
    expectConfigError(
      () => createCosmosResolver(manifest, env({ USER_API_COSMOS_ENDPOINT: 'http://x' })),
      ['appSettings', 'USER_API_COSMOS_ENDPOINT'],
    );
    expectConfigError(() =>
      createCosmosResolver(manifest, env({ USER_API_COSMOS_ENDPOINT: 'not a url' })),
    );
  });
});

describe('startRuntime', () => {
  afterEach(() => vi.restoreAllMocks());

  it('registers routes from the environment', () => {
    const names: string[] = [];
    const result = startRuntime({ http: (name) => names.push(name) }, env());
    expect(result.ok).toBe(true);
    expect(names).toEqual([
      'UserApi-collection',
      'UserApi-item',
      'NoteApi-collection',
      'NoteApi-item',
      'OrderApi-collection',
      'OrderApi-item',
      'openapi',
      'health',
    ]);
  });

  it('serves the API sign-in of ATAKORA_OPENAPI_SECURITY in GET api/openapi.json; a bad value is left out, never a start-up failure', async () => {
    const docOf = async (security: string | undefined) => {
      const handlers = new Map<string, HttpFunctionOptions>();
      const result = startRuntime(
        { http: (name, options) => handlers.set(name, options) },
        { ...env(), ATAKORA_OPENAPI_SECURITY: security },
      );
      expect(result.ok).toBe(true);
      const principal = Buffer.from(
        JSON.stringify({
          claims: [
            { typ: 'tid', val: 't' },
            { typ: 'oid', val: 'u' },
          ],
        }),
      ).toString('base64');
      const r = await invoke(handlers.get('openapi')!.handler, 'GET', 'openapi.json', {
        headers: { 'x-ms-client-principal': principal },
      });
      return r.body as {
        components: {
          securitySchemes?: { entra: { flows: { authorizationCode: { scopes: object } } } };
        };
      };
    };
    const doc = await docOf(
      JSON.stringify({
        tenantId: 'contoso.onmicrosoft.com',
        scope: 'api://1111/user_impersonation',
      }),
    );
    expect(
      Object.keys(doc.components.securitySchemes!.entra.flows.authorizationCode.scopes),
    ).toEqual(['api://1111/user_impersonation']);
    expect((await docOf('{not json')).components.securitySchemes).toBeUndefined();
  });

  it('logs a bad configuration and registers a 503 health route instead', async () => {
    const logged: string[] = [];
    vi.spyOn(console, 'error').mockImplementation(
      (line: unknown) => void logged.push(String(line)),
    );
    const registered: { name: string; options: HttpFunctionOptions }[] = [];
    const result = startRuntime(
      { http: (name, options) => registered.push({ name, options }) },
      env({ ATAKORA_MANIFEST: '{"version":1}' }),
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('RUNTIME_CONFIG_INVALID');
    expect(JSON.parse(logged[0]!)).toMatchObject({
      operation: 'startup',
      code: 'RUNTIME_CONFIG_INVALID',
      path: ['ATAKORA_MANIFEST', 'backendId'],
    });
    expect(registered.map((r) => r.name)).toEqual(['health']);
    const r = await invoke(registered[0]!.options.handler, 'GET', 'health');
    expect(r.status).toBe(503);
    expect(r.body).toMatchObject({ status: 'misconfigured', code: 'RUNTIME_CONFIG_INVALID' });
  });

  it('refuses a bad ATAKORA_COSMOS_TIMEOUT_MS at start-up, with the setting as path', () => {
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const names: string[] = [];
    const result = startRuntime(
      { http: (name) => names.push(name) },
      env({ ATAKORA_COSMOS_TIMEOUT_MS: '300000' }),
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('RUNTIME_CONFIG_INVALID');
    expect(result.error.path).toEqual(['appSettings', 'ATAKORA_COSMOS_TIMEOUT_MS']);
    expect(names).toEqual(['health']);
    expect(
      startRuntime({ http: () => undefined }, env({ ATAKORA_COSMOS_TIMEOUT_MS: '5000' })).ok,
    ).toBe(true);
  });
});
