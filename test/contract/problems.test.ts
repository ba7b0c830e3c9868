import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openApiDocument } from '../../src/contract/openapi.js';
import {
  PROBLEM_PREFIX,
  PROBLEMS,
  problemDocument,
  type ProblemCode,
} from '../../src/contract/problems.js';
import { problemResponse } from '../../src/runtime/http/response.js';

// One problem shape (RFC 9457) for the runtime and `atakora dev`, built from a code of one table (src/contract/problems.ts).
describe('problemDocument', () => {
  it('status and title come from the table', () => {
    expect(problemDocument('precondition-failed', 'Stale.')).toEqual({
      type: `${PROBLEM_PREFIX}precondition-failed`,
      title: PROBLEMS['precondition-failed'].title,
      status: 412,
      detail: 'Stale.',
    });
    expect(problemDocument('misdirected-request', 'x')).toMatchObject({
      status: 421,
      title: 'Misdirected Request',
    });
    expect(problemDocument('tenant-not-allowed', 'x')).toMatchObject({
      status: 403,
      title: 'Tenant not allowed',
    });
    expect(problemDocument('validation', 'x', { errors: [{ field: 'a' }] })).toMatchObject({
      status: 400,
      errors: [{ field: 'a' }],
    });
  });

  it('is the body of every runtime problem response', () => {
    const res = problemResponse('not-found', 'No note n1.', {
      headers: { 'x-a': '1' },
      errors: [],
    });
    expect(res.status).toBe(404);
    expect(JSON.parse(res.body as string)).toEqual(
      problemDocument('not-found', 'No note n1.', { errors: [] }),
    );
  });
});

/** Every code a source file passes to a problem builder: `problemResponse('x'`, `fail('x'`, `slug: 'x'`, `? 'x' : 'y'` in list-parameters. */
function codesSentBy(dir: string, only?: readonly string[]): Map<string, string> {
  const found = new Map<string, string>();
  for (const file of readdirSync(dir, { recursive: true })
    .map(String)
    .filter((f) => f.endsWith('.ts') && (!only || only.includes(f)))) {
    const text = readFileSync(join(dir, file), 'utf8').replace(/^\s*(\*|\/\/).*$/gm, '');
    for (const m of text.matchAll(
      /(?:problemResponse|fail|problem|refuse)\(\s*(?:res,\s*)?'([a-z-]+)'/g,
    ))
      found.set(m[1]!, file);
    for (const m of text.matchAll(
      /\bslug(?:: ProblemCode)?\s*[:=]\s*[^;\n]*?'([a-z-]+)'(?:\s*:\s*'([a-z-]+)')?/g,
    )) {
      found.set(m[1]!, file);
      if (m[2]) found.set(m[2], file);
    }
  }
  return found;
}

describe('the problem table is complete and the OpenAPI document lists it', () => {
  const doc = openApiDocument({
    title: 't',
    apps: [{ url: 'https://x', crudRuntime: true, entities: [], functions: [] }],
  });
  // The catalog on the Problem schema lists every type; each Problem<status> response the paths use, its status's.
  const listed = new Set<string>();
  const problem = (
    doc.components as { schemas: Record<string, { 'x-problem-types'?: Record<string, unknown> }> }
  ).schemas['Problem']!;
  for (const type of Object.keys(problem['x-problem-types'] ?? {}))
    listed.add(type.slice(PROBLEM_PREFIX.length));

  it('every code the runtime source sends is a runtime row the document lists', () => {
    const sent = codesSentBy(join(import.meta.dirname, '../../src/runtime'));
    expect(sent.size).toBeGreaterThan(30);
    for (const [code, file] of sent) {
      expect(Object.hasOwn(PROBLEMS, code), `${file} sends ${code}, which the table lacks`).toBe(
        true,
      );
      expect(PROBLEMS[code as ProblemCode].from, `${file} sends ${code}`).toBe('runtime');
      expect(
        listed.has(code),
        `${code} (sent by ${file}) is missing from the OpenAPI document`,
      ).toBe(true);
    }
  });

  it('the document lists exactly the runtime rows, each under its status', () => {
    const runtime = Object.entries(PROBLEMS)
      .filter(([, s]) => s.from === 'runtime')
      .map(([c]) => c);
    expect([...listed].sort()).toEqual(runtime.sort());
    const responses = (
      doc.components as {
        responses: Record<string, { 'x-problem-types'?: Record<string, unknown> }>;
      }
    ).responses;
    expect(Object.keys(responses).length).toBeGreaterThan(0);
    for (const c of runtime) {
      const response = responses[`Problem${String(PROBLEMS[c as ProblemCode].status)}`];
      if (response)
        expect(Object.keys(response['x-problem-types'] ?? {})).toContain(PROBLEM_PREFIX + c);
    }
  });

  it('atakora dev sends only codes of the table', () => {
    const sent = codesSentBy(join(import.meta.dirname, '../../src/cli'), [
      'dev/host/host.ts',
      'dev/host/admin.ts',
      'dev/host/http-functions.ts',
      'dev/loopback/guard.ts',
    ]);
    expect(sent.size).toBeGreaterThan(4);
    for (const [code, file] of sent)
      expect(Object.hasOwn(PROBLEMS, code), `${file} sends ${code}`).toBe(true);
  });
});

describe('reserved fields in the OpenAPI document', () => {
  it('tenantId and the owner field: read-only in items, optional on input as the runtime takes them back (a GET body PUT back)', () => {
    const entity = {
      componentId: 'NoteApi',
      entityName: 'Note',
      route: 'notes',
      partitionKey: '/tenantId',
      unknownFields: 'reject' as const,
      operations: ['create', 'read', 'update', 'delete', 'list'] as const,
      ownerField: 'authorId',
      schema: {
        id: { type: 'string' as const, required: false },
        tenantId: { type: 'string' as const, required: true },
        authorId: { type: 'string' as const, required: false },
        title: { type: 'string' as const, required: true },
      },
    };
    const doc = openApiDocument({
      title: 't',
      apps: [
        {
          url: 'https://x',
          crudRuntime: true,
          entities: [{ ...entity, operations: [...entity.operations] }],
          functions: [],
        },
      ],
    });
    const schemas = (
      doc.components as {
        schemas: Record<
          string,
          { properties: Record<string, { readOnly?: boolean }>; required?: string[] }
        >;
      }
    ).schemas;
    for (const name of ['NoteApiInput', 'NoteApiPatch']) {
      // The runtime accepts them only as they are (your tenant, your id / the stored owner): 403 otherwise.
      for (const field of ['tenantId', 'authorId']) {
        const p = schemas[name]!.properties[field] as { readOnly?: boolean; description?: string };
        expect(p.readOnly).toBeUndefined();
        expect(p.description).toMatch(/403 (tenant|owner)-mismatch/);
      }
      expect(schemas[name]!.required ?? []).not.toContain('tenantId');
      expect(schemas[name]!.required ?? []).not.toContain('authorId');
    }
    // A shared entity's body may not name a tenant at all (the runtime refuses one).
    const shared = openApiDocument({
      title: 't',
      apps: [
        {
          url: 'https://x',
          crudRuntime: true,
          entities: [
            {
              ...entity,
              partitionKey: '/id',
              tenancy: 'shared',
              operations: [...entity.operations],
            },
          ],
          functions: [],
        },
      ],
    }).components as { schemas: Record<string, { properties: Record<string, unknown> }> };
    expect(Object.keys(shared.schemas['NoteApiInput']!.properties)).not.toContain('tenantId');
    expect(schemas['NoteApiItem']!.properties['tenantId']?.readOnly).toBe(true);
    expect(schemas['NoteApiItem']!.properties['authorId']?.readOnly).toBe(true);
  });
});
