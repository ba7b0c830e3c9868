import { describe, expect, it } from 'vitest';
import { defineBackend } from '../../src/backend/define-backend.js';
import { CrudApi } from '../../src/components/crud/index.js';
import type { RuntimeManifest } from '../../src/model/runtime-manifest.js';
import { expectHonest, synth } from '../support/synth.js';
import { functionApps } from '../support/app-packages.js';

const READER = '00000000-0000-0000-0000-000000000001';
const CONTRIBUTOR = '00000000-0000-0000-0000-000000000002';

const backend = () =>
  defineBackend(
    {
      catalog: CrudApi.define('CatalogApi', {
        entityName: 'Product',
        schema: { id: 'string', name: 'string' },
        operations: ['read', 'list'],
      }),
      orders: CrudApi.define('OrderApi', {
        entityName: 'Order',
        schema: { id: 'string', total: 'number' },
      }),
    },
    { environment: 'prod' },
  );

describe('one identity per component, holding exactly its data role on its own container', () => {
  const b = backend();
  const json = synth(b);
  const app = functionApps(json.resource)[0]!;
  // The host identity (storage and the package, storage_user_assigned_identity_id) is the app's, not a component's.
  const hostIdentity = /azurerm_user_assigned_identity\.([^.]+)\.id/.exec(
    String(app['storage_user_assigned_identity_id']),
  )![1]!;
  const identities = Object.fromEntries(
    Object.entries(json.resource['azurerm_user_assigned_identity'] ?? {}).filter(
      ([name]) => name !== hostIdentity,
    ),
  );
  const grants = Object.values(json.resource['azurerm_cosmosdb_sql_role_assignment'] ?? {});
  const idRef = (name: string, attr: string) =>
    `\${azurerm_user_assigned_identity.${name}.${attr}}`;
  const identityOf = (componentId: string) => {
    const entry = Object.entries(identities).find(([name]) => name.endsWith(`_${componentId}`));
    expect(entry, componentId).toBeDefined();
    return entry!;
  };

  it('creates one user-assigned identity per component and the plan lists it', () => {
    expect(Object.keys(identities)).toHaveLength(2);
    expect(
      Object.values(identities)
        .map((i) => i['name'])
        .sort(),
    ).toEqual(['id-backend-prod-catalog-api', 'id-backend-prod-order-api']);
    expectHonest(b.plan(), json);
  });

  it('each grant is on its own principal, scoped to its own container, Reader for read-only and Contributor otherwise', () => {
    expect(grants).toHaveLength(2);
    const principals = new Set(grants.map((g) => g['principal_id']));
    expect(principals.size).toBe(2);
    for (const [componentId, role] of [
      ['CatalogApi', READER],
      ['OrderApi', CONTRIBUTOR],
    ] as const) {
      const [name] = identityOf(componentId);
      const mine = grants.filter((g) => g['principal_id'] === idRef(name, 'principal_id'));
      expect(mine, componentId).toHaveLength(1);
      expect(String(mine[0]!['role_definition_id'])).toMatch(
        new RegExp(`/sqlRoleDefinitions/${role}$`),
      );
      const container = componentId === 'CatalogApi' ? 'product' : 'order';
      expect(String(mine[0]!['scope'])).toMatch(new RegExp(`/dbs/[^/]+/colls/${container}$`));
    }
    // Nothing is granted to the app's shared system identity on the data.
    // Nothing to the app's system identity nor to its host identity either.
    expect(
      grants.some(
        (g) =>
          String(g['principal_id']).includes('function_app') ||
          g['principal_id'] === idRef(hostIdentity, 'principal_id'),
      ),
    ).toBe(false);
  });

  it('attaches the identities to the app and tells the runtime each client id', () => {
    const identity = app['identity'] as { type: string; identity_ids: string[] };
    expect(identity.type).toBe('SystemAssigned, UserAssigned');
    const [catalog] = identityOf('CatalogApi');
    const [order] = identityOf('OrderApi');
    expect([...identity.identity_ids].sort()).toEqual(
      [idRef(hostIdentity, 'id'), idRef(catalog, 'id'), idRef(order, 'id')].sort(),
    );
    const settings = app['app_settings'] as Record<string, string>;
    expect(settings['CATALOG_API_AZURE_CLIENT_ID']).toBe(idRef(catalog, 'client_id'));
    expect(settings['ORDER_API_AZURE_CLIENT_ID']).toBe(idRef(order, 'client_id'));
    const manifest = JSON.parse(settings['ATAKORA_MANIFEST']!) as RuntimeManifest;
    expect(
      Object.fromEntries(manifest.entities.map((e) => [e.componentId, e.settings.clientId])),
    ).toEqual({
      CatalogApi: 'CATALOG_API_AZURE_CLIENT_ID',
      OrderApi: 'ORDER_API_AZURE_CLIENT_ID',
    });
  });
});
