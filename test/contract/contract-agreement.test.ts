/**
 * One contract. For every set of operations, the methods the runtime allows, the methods the
 * OpenAPI document lists and the methods `atakora dev` prints are the contract's method table; and a
 * FunctionsApp route on the runtime's own OpenAPI route is a plan error.
 */
import { ContainerStub } from './support/container-stub.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { crudServedMethods } from '../../src/cli/dev/session/banner.js';
import { defineBackend } from '../../src/backend/define-backend.js';
import { CrudApi } from '../../src/components/crud/construct.js';
import { FunctionsApp } from '../../src/components/functions/construct.js';
import { crudPathItems } from '../../src/contract/openapi/openapi-crud.js';
import { servedMethods } from '../../src/contract/routes.js';
import type { CrudOperation, RuntimeEntity } from '../../src/model/runtime-manifest.js';
import { createCrudHandlers } from '../../src/runtime/crud/handlers.js';

const OPS: CrudOperation[] = ['create', 'read', 'update', 'delete', 'list'];

describe('the CRUD contract is the one method table', () => {
  it('runtime, OpenAPI and dev agree on the methods of each route, for every set of operations', () => {
    fc.assert(
      fc.property(fc.subarray(OPS, { minLength: 1 }), (operations) => {
        const entity: RuntimeEntity = {
          componentId: 'NoteApi',
          entityName: 'Note',
          route: 'notes',
          partitionKey: '/id',
          schema: { id: { type: 'string', required: false } },
          operations,
          unknownFields: 'reject',
          settings: { endpoint: 'E', database: 'D', container: 'C' },
        };
        const { allowed } = createCrudHandlers(entity, ContainerStub);
        const { paths } = crudPathItems(entity);
        for (const kind of ['collection', 'item'] as const) {
          const path = kind === 'collection' ? '/api/notes' : '/api/notes/{id}';
          const documented = Object.keys(paths[path] ?? {})
            .filter((k) => k !== 'parameters')
            .map((m) => m.toUpperCase());
          expect([...allowed[kind]]).toEqual(servedMethods(operations, kind));
          expect(crudServedMethods(operations, kind)).toEqual(servedMethods(operations, kind));
          expect(documented.sort()).toEqual([...servedMethods(operations, kind)].sort());
        }
      }),
      { numRuns: 64 },
    );
  });

  it("a function on the runtime's api/openapi.json is a ROUTE_CONFLICT", () => {
    const plan = defineBackend({
      notes: CrudApi.define('NoteApi', { entityName: 'Note', schema: { id: 'string' } }),
      docs: FunctionsApp.define('Docs', {
        runtime: 'node',
        functions: {
          spec: { trigger: 'http', route: 'openapi.json', methods: ['GET'], handler: './docs.ts' },
        },
      }),
    }).plan();
    const issue = plan.issues.find((i) => i.code === 'ROUTE_CONFLICT');
    expect(issue?.components).toEqual(['Docs']);
    expect(issue?.path).toEqual(['components', 'docs', 'config', 'functions', 'spec', 'route']);
  });
});
