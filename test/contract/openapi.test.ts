import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Validator } from '@seriousme/openapi-schema-validator';
import openapiTS, { astToString } from 'openapi-typescript';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';
import { defineBackend } from '../../src/backend/define-backend.js';
import { CrudApi } from '../../src/components/crud/construct.js';
import { FunctionsApp } from '../../src/components/functions/construct.js';
import { openApiDocument } from '../../src/contract/openapi.js';
import { openApiFromPlan } from '../../src/plan/openapi.js';
import { thrown } from '../support/errors.js';

const root = resolve(import.meta.dirname, '../..');
const work = mkdtempSync(join(root, '.tmp-openapi-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const backend = defineBackend(
  {
    notes: CrudApi.define('NoteApi', {
      entityName: 'Note',
      partitionKey: '/tenantId',
      schema: {
        id: 'string',
        title: { type: 'string', required: true, maxLength: 200 },
        stars: 'integer',
        price: 'number',
        done: 'boolean',
        due: 'date',
        at: 'timestamp',
        tags: 'array',
        meta: 'object',
      },
    }),
    catalog: CrudApi.define('CatalogApi', {
      entityName: 'Product',
      schema: { id: 'string', name: 'string' },
      operations: ['read', 'list'],
      tenancy: 'shared',
    }),
    orders: FunctionsApp.define('Orders', {
      runtime: 'node',
      functions: {
        submit: {
          trigger: 'http',
          route: 'orders/{orderId:int}/submit',
          methods: ['POST'],
          handler: './src/submit.ts',
          requestSchema: {
            type: 'object',
            required: ['sku'],
            properties: { sku: { type: 'string' } },
          },
          responseSchema: { type: 'object', properties: { ok: { type: 'boolean' } } },
        },
        nightly: { trigger: 'timer', schedule: '0 0 2 * * *', handler: './src/nightly.ts' },
      },
    }),
  },
  { environment: 'dev' },
);

const doc = openApiFromPlan(backend.plan()) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('OpenAPI 3.1 from the plan', () => {
  it('is a valid OpenAPI 3.1 document (@seriousme/openapi-schema-validator)', async () => {
    const validator = new Validator();
    const result = await validator.validate(doc);
    expect(result.errors).toBeUndefined();
    expect(result.valid).toBe(true);
    expect(validator.version).toBe('3.1');
  });

  it('lists every route with only the operations each CrudApi enables, the runtime routes and the HTTP functions', () => {
    const methods = Object.fromEntries(
      Object.entries(doc.paths as Record<string, object>).map(([p, item]) => [
        p,
        Object.keys(item)
          .filter((k) => k !== 'parameters' && k !== 'servers')
          .sort(),
      ]),
    );
    expect(methods).toEqual({
      '/api/health': ['get'],
      '/api/openapi.json': ['get'],
      '/api/notes': ['get', 'post'],
      '/api/notes/{id}': ['delete', 'get', 'patch', 'put'],
      '/api/products': ['get'],
      '/api/products/{id}': ['get'],
      '/api/orders/{orderId}/submit': ['post'],
    });
    expect(doc.paths['/api/health'].get.security).toEqual([]);
    expect(doc.paths['/api/orders/{orderId}/submit'].parameters).toEqual([
      { name: 'orderId', in: 'path', required: true, schema: { type: 'string' } },
    ]);
    expect(
      doc.paths['/api/orders/{orderId}/submit'].post.requestBody.content['application/json'].schema
        .required,
    ).toEqual(['sku']);
  });

  it('describes the entity: JSON Schema per field type, required fields, read-only reserved fields', () => {
    const item = doc.components.schemas.NoteApiItem;
    expect(item.properties.title).toEqual({ type: 'string', maxLength: 200 });
    expect(item.properties.stars).toEqual({ type: 'integer' });
    expect(item.properties.due).toEqual({ type: 'string', format: 'date' });
    expect(item.properties.tenantId).toEqual({ type: 'string', readOnly: true });
    expect(item.properties.ownerId).toEqual({ type: 'string', readOnly: true });
    expect(item.required).toEqual(['id', 'title']);
    expect(item.additionalProperties).toBe(false);
    expect(doc.components.schemas.NoteApiInput.required).toEqual(['title']);
    expect(doc.components.schemas.NoteApiInput.properties.tenantId.readOnly).toBeUndefined();
    expect(doc.components.schemas.NoteApiPatch.required).toBeUndefined();
  });

  it('has paging, list queries, ETag / If-Match, problem+json errors and the Entra scheme', () => {
    const list = doc.paths['/api/notes'].get;
    expect(list.parameters.map((p: { $ref: string }) => p.$ref.split('/').pop())).toEqual([
      'Limit',
      'ContinuationToken',
      'Filter',
      'OrderBy',
      'Select',
      'First',
      'After',
      'Count',
      'Apply',
    ]);
    expect(doc.components.parameters.Filter.name).toBe('$filter');
    expect(doc.components.parameters.Apply.name).toBe('$apply');
    expect(doc.components.schemas.NoteApiPage.properties.continuationToken).toEqual({
      type: ['string', 'null'],
    });
    const put = doc.paths['/api/notes/{id}'].put;
    expect(put.parameters).toContainEqual({ $ref: '#/components/parameters/IfMatch' });
    expect(put.responses['200'].headers.ETag).toEqual({ $ref: '#/components/headers/ETag' });
    expect(put.responses['412']).toEqual({ $ref: '#/components/responses/Problem412' });
    expect(Object.keys(doc.components.responses.Problem412.content)).toEqual([
      'application/problem+json',
    ]);
    expect(doc.paths['/api/notes'].post.responses['201']).toBeDefined();
    expect(doc.paths['/api/notes/{id}'].delete.responses['204']).toBeDefined();
    const entra = doc.components.securitySchemes.entra;
    expect(entra.type).toBe('oauth2');
    const scope = Object.keys(entra.flows.authorizationCode.scopes)[0]!;
    expect(scope).toMatch(/^api:\/\/.+\/user_impersonation$/);
    expect(doc.security).toEqual([{ entra: [scope] }]);
  });

  it('with auth: none has no security scheme', async () => {
    const open = openApiFromPlan(
      defineBackend(
        {
          a: CrudApi.define('A', { entityName: 'A', schema: { id: 'string' }, tenancy: 'shared' }),
        },
        { auth: 'none' },
      ).plan(),
    ) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(open.security).toBeUndefined();
    expect(open.components.securitySchemes).toBeUndefined();
    expect((await new Validator().validate(open)).valid).toBe(true);
  });

  it('is deterministic: the same plan gives the same bytes', () => {
    expect(JSON.stringify(openApiFromPlan(backend.plan()))).toBe(JSON.stringify(doc));
    expect(openApiDocument({ title: 't', apps: [] }).servers).toEqual([{ url: '/' }]);
  });

  it('generates TypeScript with openapi-typescript that compiles, and misuse of it does not', async () => {
    const types = astToString(await openapiTS(doc as never));
    writeFileSync(join(work, 'api.d.ts'), types);
    const good = [
      "import type { components, paths } from './api.js';",
      "const note: components['schemas']['NoteApiInput'] = { title: 'x', stars: 3, due: '2025-01-31' };",
      "type List = paths['/api/notes']['get']['responses'][200]['content']['application/json'];",
      "const page: List = { items: [{ id: '1', title: 'x' }], continuationToken: null };",
      'export { note, page };',
    ].join('\n');
    const bad = [
      "import type { components } from './api.js';",
      "const note: components['schemas']['NoteApiInput'] = { title: 42 };",
      'export { note };',
    ].join('\n');
    writeFileSync(join(work, 'good.ts'), good);
    writeFileSync(join(work, 'bad.ts'), bad);
    // One program for both files; no @types packages (the generated file needs none).
    const program = ts.createProgram([join(work, 'good.ts'), join(work, 'bad.ts')], {
      strict: true,
      noEmit: true,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      target: ts.ScriptTarget.ES2022,
      types: [],
    });
    const diagnostics = (file: string) =>
      ts
        .getPreEmitDiagnostics(program, program.getSourceFile(join(work, file)))
        .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    expect(diagnostics('good.ts')).toEqual([]);
    expect(diagnostics('bad.ts').join('\n')).toMatch(/number.*not assignable to type 'string'/);
  });
});

describe('FunctionsApp requestSchema / responseSchema', () => {
  it('must be a JSON Schema object of an HTTP function: FUNCTIONS_SCHEMA_INVALID with the path, and belongs to HTTP triggers', () => {
    const e = thrown(() =>
      FunctionsApp.define('Orders', {
        runtime: 'node',
        functions: { submit: { trigger: 'http', requestSchema: 'Order' as never } },
      }),
    );
    expect(e.code).toBe('FUNCTIONS_SCHEMA_INVALID');
    expect(e.path).toEqual([
      'components',
      'Orders',
      'config',
      'functions',
      'submit',
      'requestSchema',
    ]);
    expect(e.resolution).toMatch(/JSON Schema object/);
    expect(
      thrown(() =>
        FunctionsApp.define('Jobs', {
          runtime: 'node',
          functions: { t: { trigger: 'timer', schedule: '0 0 2 * * *', responseSchema: {} } },
        }),
      ).code,
    ).toBe('FUNCTIONS_TRIGGER_INVALID');
  });
});
