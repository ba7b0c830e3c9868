/**
 * A tenant registry (tenants by membership, or `allowedTenants: 'registry'`) lives in the CrudApis' Cosmos DB account
 * and is served by the CRUD runtime (docs/tenants.md): a backend with a registry and no CrudApi is the plan error
 * TENANTS_CRUDAPI_MISSING (it would deploy with no account for the registry and no `api/tenants` route), whatever
 * else it declares; one CrudApi is enough, and without a registry nothing is asked.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defineBackend } from '../../src/backend/define-backend.js';
import { CrudApi } from '../../src/components/crud/index.js';
import { FileStore } from '../../src/components/files/index.js';
import { FunctionsApp } from '../../src/components/functions/index.js';
import type { BackendConfig } from '../../src/model/config.js';
import { type Registry, registries } from './support/registry-configs.js';

const kinds = {
  notes: () => CrudApi.define('NoteApi', { entityName: 'Note', schema: { id: 'string' } }),
  documents: () => FileStore.define('Documents', { maxSizeMb: 1 }),
  tools: () =>
    FunctionsApp.define('Tools', {
      runtime: 'node',
      functions: {
        stats: { trigger: 'http', route: 'stats', methods: ['GET'], handler: './stats.ts' },
      },
    }),
};
type Kind = keyof typeof kinds;

const missing = (declared: readonly Kind[], registry: Registry) =>
  defineBackend(
    Object.fromEntries(declared.map((k) => [k, kinds[k]()])),
    registries[registry] as BackendConfig,
  )
    .plan()
    .issues.filter((i) => i.code === 'TENANTS_CRUDAPI_MISSING')
    .map((i) => ({ severity: i.severity, path: i.path, components: i.components }));

describe('a tenant registry needs a CrudApi', () => {
  it('is a plan error on tenants by membership with a FileStore or handlers alone, naming them', () => {
    expect(missing(['documents'], 'membership')).toEqual([
      { severity: 'error', path: ['config', 'tenants', 'by'], components: ['Documents'] },
    ]);
    expect(missing(['documents', 'tools'], 'membership')).toEqual([
      { severity: 'error', path: ['config', 'tenants', 'by'], components: ['Documents', 'Tools'] },
    ]);
  });

  it("is a plan error on a registry of directories (allowedTenants: 'registry') with no CrudApi too", () => {
    expect(missing(['tools'], 'directories')).toEqual([
      { severity: 'error', path: ['config', 'auth', 'allowedTenants'], components: ['Tools'] },
    ]);
  });

  it('holds exactly when the backend has a registry and declares no CrudApi (property)', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.constantFrom<Kind>('notes', 'documents', 'tools'), { minLength: 1 }),
        fc.constantFrom<Registry>('none', 'membership', 'directories'),
        (declared, registry) => {
          const refused = missing(declared, registry).length === 1;
          expect(refused).toBe(registry !== 'none' && !declared.includes('notes'));
        },
      ),
      { numRuns: 40 },
    );
  });
});
