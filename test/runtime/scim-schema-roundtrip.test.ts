/**
 * Every attribute the service's own `Schemas` declare, added, replaced and removed by PATCH and set by PUT — as a
 * schema-driven compliance suite does (it reads `/Schemas` and `/ResourceTypes`, fills each attribute with a random
 * value of its type, and compares the next GET): the value kept exactly, a removed one gone, on Users (the enterprise
 * extension by its URN-qualified path too) and Groups. Random values from fast-check; the local Cosmos DB server.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SCIM_SCHEMAS } from '../../src/contract/scim/scim.js';
import type { ScimAttributeDefinition } from '../../src/contract/scim/scim-schemas.js';
import { scimSuite } from './support/scim-suite.js';
import { propertyRuns } from '../plan/support/budget.js';

const app = scimSuite({ token: 'suite', once: true });

type Json = Record<string, unknown>;
/**
 * The random pairs of values each attribute gets: one under `npm test`, three in the long run
 * (`ATAKORA_PROPERTY_RUNS=full`; test/plan/support/budget.ts sizes a long run of 30 to 10).
 */
const PER_ATTRIBUTE = Math.max(1, Math.round(propertyRuns(30) / 10));
const text = fc.string({ minLength: 1, maxLength: 40 }).filter((s) => s.trim() !== '');

/** A random value of `def`'s type: strings, booleans, complex values of every sub-attribute, a list of one. */
function valueOf(def: ScimAttributeDefinition): fc.Arbitrary<unknown> {
  const one: fc.Arbitrary<unknown> =
    def.type === 'boolean'
      ? fc.boolean()
      : def.type === 'complex'
        ? fc.record(Object.fromEntries((def.subAttributes ?? []).map((s) => [s.name, valueOf(s)])))
        : text;
  return def.multiValued ? one.map((v) => [v]) : one;
}

/** Each writable, optional attribute of a resource type: its PATCH path, where a GET shows it, and its definition. */
async function attributesOf(resourceType: 'User' | 'Group') {
  const get = (name: string, path: string, id: string) =>
    app.scim(name, 'GET', `scim/v2/${path}/${id}`, app.token, { params: { id } });
  const type = (await get('scim-resource-type', 'ResourceTypes', resourceType)).body;
  const schemaIds: string[] = [
    type.schema,
    ...type.schemaExtensions.map((e: { schema: string }) => e.schema),
  ];
  const out: { path: string; at: (r: Json) => unknown; def: ScimAttributeDefinition }[] = [];
  for (const sid of schemaIds) {
    const schema = (await get('scim-schema', 'Schemas', sid)).body as {
      attributes: ScimAttributeDefinition[];
    };
    for (const def of schema.attributes) {
      if (def.required || def.mutability === 'readOnly') continue;
      const core = sid === type.schema;
      out.push({
        path: core ? def.name : `${sid}:${def.name}`,
        at: core ? (r) => r[def.name] : (r) => (r[sid] as Json | undefined)?.[def.name],
        def,
      });
    }
  }
  return out;
}

const kinds = {
  User: {
    fn: 'scim-user',
    path: 'Users',
    create: () => ({ schemas: [SCIM_SCHEMAS.user], userName: crypto.randomUUID() }),
  },
  Group: {
    fn: 'scim-group',
    path: 'Groups',
    create: () => ({ schemas: [SCIM_SCHEMAS.group], displayName: crypto.randomUUID() }),
  },
} as const;

async function fresh(kind: keyof typeof kinds): Promise<string> {
  const k = kinds[kind];
  const r = await app.scim(`scim-${k.path.toLowerCase()}`, 'POST', `scim/v2/${k.path}`, app.token, {
    body: k.create(),
  });
  expect(r.status, r.text).toBe(201);
  return r.body.id as string;
}

describe.each(['User', 'Group'] as const)('every attribute of the %s schema', (kind) => {
  it('added, replaced and removed by PATCH: the next GET shows it exactly, or not at all', async () => {
    const k = kinds[kind];
    const attributes = await attributesOf(kind);
    expect(attributes.length).toBeGreaterThan(kind === 'User' ? 15 : 1);
    const call = (id: string, method: string, body?: unknown) =>
      app.scim(k.fn, method, `scim/v2/${k.path}/${id}`, app.token, {
        params: { id },
        ...(body ? { body } : {}),
      });
    const patch = (op: string, path: string, value?: unknown) => ({
      schemas: [SCIM_SCHEMAS.patchOp],
      Operations: [{ op, path, ...(value === undefined ? {} : { value }) }],
    });
    // Each attribute in turn, with PER_ATTRIBUTE random pairs of values: every attribute is tried (seed 59's 40
    // random picks among the User's 19 never drew `name`, `active` nor `division`).
    for (const a of attributes)
      await fc.assert(
        fc.asyncProperty(fc.tuple(valueOf(a.def), valueOf(a.def)), async ([added, replaced]) => {
          const id = await fresh(kind);
          for (const [op, value] of [
            ['add', added],
            ['replace', replaced],
          ] as const) {
            const r = await call(id, 'PATCH', patch(op, a.path, value));
            expect([200, 204], r.text).toContain(r.status);
            expect(a.at((await call(id, 'GET')).body), a.path).toEqual(value);
          }
          expect((await call(id, 'PATCH', patch('remove', a.path))).status).toBeLessThan(300);
          expect(a.at((await call(id, 'GET')).body), a.path).toBeUndefined();
          expect((await call(id, 'DELETE')).status).toBe(204);
        }),
        { seed: 59, numRuns: PER_ATTRIBUTE },
      );
  });

  it('all set by one PUT: the answer and the next GET show each exactly', async () => {
    const k = kinds[kind];
    const attributes = await attributesOf(kind);
    const id = await fresh(kind);
    const body: Json = k.create();
    const values =
      fc.sample(fc.tuple(...attributes.map((a) => valueOf(a.def))), { seed: 59, numRuns: 1 })[0] ??
      [];
    for (const [i, a] of attributes.entries()) {
      const value = values[i];
      const urn = a.path.includes(':') ? a.path.slice(0, a.path.lastIndexOf(':')) : undefined;
      if (urn) body[urn] = { ...((body[urn] as Json | undefined) ?? {}), [a.def.name]: value };
      else body[a.def.name] = value;
    }
    const put = await app.scim(k.fn, 'PUT', `scim/v2/${k.path}/${id}`, app.token, {
      params: { id },
      body,
    });
    expect(put.status, put.text).toBe(200);
    const got = (
      await app.scim(k.fn, 'GET', `scim/v2/${k.path}/${id}`, app.token, { params: { id } })
    ).body;
    for (const a of attributes) {
      const sent = a.at(body);
      expect(a.at(put.body), a.path).toEqual(sent);
      expect(a.at(got), a.path).toEqual(sent);
    }
  });
});
