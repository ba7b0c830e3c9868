import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Testing } from '../support/engine.js';
import { describe, expect, it } from 'vitest';
import { defineBackend } from '../../src/backend/define-backend.js';
import { CrudApi } from '../../src/components/crud/index.js';
import { ResourceGroupStack } from '../../src/apply/resource-group-stack.js';
import { ErrorCodes } from '../../src/model/error-codes.js';
import { AtakoraError, PlanError, ResourceLimitError } from '../../src/model/errors.js';
import { thrown } from '../support/errors.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const doc = readFileSync(join(root, 'docs/troubleshooting.md'), 'utf8');
const headings = new Set([...doc.matchAll(/^## ([A-Z][A-Z0-9_]+)\s*$/gm)].map((m) => m[1]!));

/** Every `code: 'UPPER_CASE'` literal under src/ (plan issue codes; lower-case runtime field codes are not error codes). */
function issueCodesInSource(): string[] {
  const codes = new Set<string>();
  const files = readdirSync(join(root, 'src'), { recursive: true, encoding: 'utf8' }).filter((f) =>
    f.endsWith('.ts'),
  );
  for (const f of files) {
    const text = readFileSync(join(root, 'src', f), 'utf8');
    for (const m of text.matchAll(/\bcode:\s*['"]([A-Z][A-Z0-9_]+)['"]/g)) codes.add(m[1]!);
  }
  return [...codes].sort();
}

const user = (id = 'UserApi', extra: Record<string, unknown> = {}) =>
  CrudApi.define(id, { entityName: 'User', schema: { id: 'string', name: 'string' }, ...extra });
const stackOf = (app = Testing.app()) =>
  new ResourceGroupStack(app, 'DocStack', { resourceGroupName: 'rg-docs', location: 'eastus' });

describe('docs/troubleshooting.md covers every code', () => {
  it('has a "## CODE" section for every key of ErrorCodes', () => {
    const missing = Object.keys(ErrorCodes).filter((k) => !headings.has(k));
    expect(missing).toEqual([]);
  });

  it('has a "## CODE" section for every plan issue code used in src/', () => {
    const codes = issueCodesInSource();
    expect(codes.length).toBeGreaterThan(0);
    expect(codes.filter((c) => !headings.has(c))).toEqual([]);
  });

  it('gives every code section a Cause, a Fix and an Example', () => {
    const sections = doc
      .split(/^## /m)
      .slice(1)
      .filter((s) => /^[A-Z][A-Z0-9_]+\s*\n/.test(s));
    const incomplete = sections
      .filter(
        (s) => !(s.includes('**Cause.**') && s.includes('**Fix.**') && s.includes('**Example.**')),
      )
      .map((s) => s.split('\n')[0]);
    expect(incomplete).toEqual([]);
  });

  it('starts by explaining how to read an AtakoraError', () => {
    for (const word of ['name', 'code', 'message', 'path', 'resolution', 'details', 'format()'])
      expect(doc).toContain(word);
    expect(doc.indexOf('Reading an AtakoraError')).toBeLessThan(
      doc.indexOf('## CONFIG_NOT_OBJECT'),
    );
  });
});

describe('documented codes are what the public API raises', () => {
  it('CONFIG_NOT_OBJECT: a non-object input or config', () => {
    expect(thrown(() => defineBackend(42 as never)).code).toBe('CONFIG_NOT_OBJECT');
    expect(thrown(() => defineBackend({ a: user() }, 'x' as never)).code).toBe('CONFIG_NOT_OBJECT');
  });

  it('CONFIG_UNKNOWN_KEY: a misspelt config key', () => {
    const e = thrown(() => defineBackend({ api: user() }, { enviroment: 'x' } as never));
    expect(e.code).toBe('CONFIG_UNKNOWN_KEY');
    expect(e.path).toContain('enviroment');
  });

  it('CONFIG_INVALID: monitoring samplingPercentage out of range', () => {
    const e = thrown(() =>
      defineBackend({ api: user() }, { monitoring: { enabled: true, samplingPercentage: 500 } }),
    );
    expect(e.code).toBe('CONFIG_INVALID');
    expect(e.path).toEqual(['config', 'monitoring', 'samplingPercentage']);
    expect(e.format()).toContain('Resolution:');
  });

  it('MONITORING_RETENTION_INVALID: a retention Application Insights refuses', () => {
    const e = thrown(() =>
      defineBackend({ api: user() }, { monitoring: { enabled: true, retentionDays: 45 } }),
    );
    expect(e.code).toBe('MONITORING_RETENTION_INVALID');
    expect(e.format()).toContain('30 or 60');
  });

  it('BACKEND_EMPTY: building a builder with no components', () => {
    expect(thrown(() => defineBackend({ environment: 'dev' }).build()).code).toBe('BACKEND_EMPTY');
  });

  it('DUPLICATE_COMPONENT_KEY: addComponent twice with the same id', () => {
    const def = user();
    const b = defineBackend({ environment: 'dev' }).addComponent(def);
    expect(thrown(() => b.addComponent(def as never)).code).toBe('DUPLICATE_COMPONENT_KEY');
  });

  it('DUPLICATE_COMPONENT_ID: object form, two keys with the same component id', () => {
    const e = thrown(() =>
      defineBackend({
        a: user('UserApi'),
        b: CrudApi.define('UserApi', { entityName: 'Admin', schema: { id: 'string' } }),
      }),
    );
    expect(e.code).toBe('DUPLICATE_COMPONENT_ID');
  });

  it('CRUD_ENTITY_NAME_MISSING, CRUD_PARTITION_KEY_INVALID, CRUD_FIELD_TYPE_UNKNOWN at define time', () => {
    expect(
      thrown(() => CrudApi.define('UserApi', { schema: { id: 'string' } } as never)).code,
    ).toBe('CRUD_ENTITY_NAME_MISSING');
    const pk = thrown(() =>
      CrudApi.define('UserApi', {
        entityName: 'User',
        schema: { id: 'string' },
        partitionKey: 'id',
      }),
    );
    expect(pk.code).toBe('CRUD_PARTITION_KEY_INVALID');
    expect(pk.path.at(-1)).toBe('partitionKey');
    const ft = thrown(() =>
      CrudApi.define('UserApi', {
        entityName: 'User',
        schema: { id: 'string', name: 'strng' },
      } as never),
    );
    expect(ft.code).toBe('CRUD_FIELD_TYPE_UNKNOWN');
    expect(ft.path).toContain('name');
  });

  it('PARTITION_KEY_CONFLICT: same container, different partition keys → plan issue; apply throws PlanError', () => {
    const backend = defineBackend({
      a: CrudApi.define('TenantUserApi', {
        entityName: 'User',
        databaseName: 'shared-db',
        schema: { id: 'string', tenantId: 'string' },
        partitionKey: '/tenantId',
      }),
      b: CrudApi.define('UserApi', {
        entityName: 'User',
        databaseName: 'shared-db',
        schema: { id: 'string' },
        partitionKey: '/id',
      }),
    });
    const issue = backend.plan().issues.find((i) => i.code === 'PARTITION_KEY_CONFLICT');
    expect(issue?.severity).toBe('error');
    expect(issue?.message).toContain('partition key');
    expect(backend.validate().valid).toBe(false);
    const e = thrown(() => backend.apply(stackOf()));
    expect(e).toBeInstanceOf(PlanError);
    expect(e.code).toBe('PLAN_HAS_ERRORS');
    expect((e as PlanError).issues.map((i) => i.code)).toContain('PARTITION_KEY_CONFLICT');
  });

  it('LIMIT_EXCEEDED: maxCosmosAccounts 1 with a Strong and a default CrudApi', () => {
    const backend = defineBackend(
      {
        ledger: CrudApi.define('LedgerApi', {
          entityName: 'Entry',
          schema: { id: 'string' },
          consistency: 'Strong',
        }),
        users: user(),
      },
      { limits: { maxCosmosAccounts: 1 } },
    );
    const plan = backend.plan();
    expect(plan.resources.filter((r) => r.type === 'cosmos')).toHaveLength(2);
    expect(plan.limitViolations).toHaveLength(1);
    expect(plan.limitViolations[0]).toMatchObject({
      limit: 'maxCosmosAccounts',
      allowed: 1,
      requested: 2,
    });
    const e = thrown(() => backend.apply(stackOf()));
    expect(e).toBeInstanceOf(ResourceLimitError);
    expect(e.code).toBe('LIMIT_EXCEEDED');
    for (const text of [
      'Maximum Cosmos DB accounts exceeded',
      'Limit: 1',
      'Requested: 2',
      '1. Increase maxCosmosAccounts',
    ]) {
      expect(e.message).toContain(text);
    }
  });

  it('SECRET_IN_CONFIG: a connection string in a tag', () => {
    const backend = defineBackend(
      { api: user() },
      {
        tags: {
          storage:
            'DefaultEndpointsProtocol=https;AccountName=x;AccountKey=abcdefghijklmnopqrstuvwxyz0123456789==',
        },
      },
    );
    const issue = backend.plan().issues.find((i) => i.code === 'SECRET_IN_CONFIG');
    expect(issue?.severity).toBe('error');
    expect(issue?.path).toEqual(['config', 'tags', 'storage']);
    // The secret itself is not echoed back.
    expect(issue?.message).not.toContain('AccountKey=abc');
  });

  it('DUPLICATE_BACKEND_IN_STACK: applying the same backend twice to one stack', () => {
    const backend = defineBackend({ api: user() });
    const stack = stackOf();
    backend.apply(stack);
    expect(thrown(() => backend.apply(stack)).code).toBe('DUPLICATE_BACKEND_IN_STACK');
  });

  it('STACK_INVALID: applying to a plain object', () => {
    expect(thrown(() => defineBackend({ api: user() }).apply({})).code).toBe('STACK_INVALID');
  });

  it('every thrown code above is a documented key of ErrorCodes with a resolution', () => {
    const e = thrown(() => defineBackend(42 as never));
    expect(e.name).toBe('AtakoraError');
    expect(e.resolution).toBe(ErrorCodes.CONFIG_NOT_OBJECT);
    expect(headings.has(e.code)).toBe(true);
  });
});
