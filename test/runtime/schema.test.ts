import type { Container } from '@azure/cosmos';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCrudHandlers } from '../../src/runtime/crud/handlers.js';
import { checkField } from '../../src/runtime/values/field-types.js';
import { MAX_BODY_BYTES } from '../../src/runtime/http/body.js';
import { validateItem } from '../../src/runtime/http/schema-validator.js';
import { noteEntity, orderEntity, userEntity } from './support/entities.js';
import { apiFor } from './support/http.js';
import { allItems, type LocalCosmos, startLocalCosmos } from './support/local-cosmos.js';

let cosmos: LocalCosmos;
let users: Container;
let notes: Container;
let orders: Container;

beforeAll(async () => {
  cosmos = await startLocalCosmos();
  users = await cosmos.container('users', '/id');
  notes = await cosmos.container('notes', '/tenantId');
  orders = await cosmos.container('orders', '/region');
});
afterAll(async () => cosmos?.stop());

const big = 'x'.repeat(MAX_BODY_BYTES);
/** [label, body, status] — a string body is sent raw. Each must be a 4xx (400 unless given) and write nothing. */
const MALFORMED: [string, unknown, number?][] = [
  ['not JSON', '{"name": "x"'],
  ['plain text', 'hello'],
  ['empty body', ''],
  ['whitespace body', '   '],
  ['JSON array', [{ name: 'x' }]],
  ['JSON string', '"name"'],
  ['JSON number', '42'],
  ['JSON null', 'null'],
  ['JSON true', 'true'],
  ['oversized (> 1 MiB)', { name: 'big', profile: { blob: big } }, 413],
  ['nested 5,000 deep', `{"name":"a","profile":${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}}`],
  ['100,000 empty arrays', `{"name":"a","tags":[${Array(100_000).fill('[]').join(',')}]}`, 413],
  ['id "."', { id: '.', name: 'a' }],
  ['id ".."', { id: '..', name: 'a' }],
  ['nested __proto__ key', '{"name":"a","profile":{"x":[{"__proto__":{"polluted":true}}]}}'],
  ['missing required name', { age: 3 }],
  ['name is a number', { name: 42 }],
  ['name is null', { name: null }],
  ['name over maxLength', { name: 'n'.repeat(21) }],
  ['age is a string', { name: 'a', age: '3' }],
  ['age is fractional', { name: 'a', age: 3.5 }],
  ['score is a string', { name: 'a', score: '1.5' }],
  ['active is a string', { name: 'a', active: 'true' }],
  ['tags is an object', { name: 'a', tags: { 0: 'x' } }],
  ['profile is an array', { name: 'a', profile: [] }],
  ['profile is a string', { name: 'a', profile: 'p' }],
  ['createdAt not ISO', { name: 'a', createdAt: '31/01/2025 10:00' }],
  ['createdAt without offset', { name: 'a', createdAt: '2025-01-31T10:00:00' }],
  ['createdAt is boolean', { name: 'a', createdAt: true }],
  ['birthday impossible date', { name: 'a', birthday: '2023-02-29' }],
  ['birthday with time', { name: 'a', birthday: '2023-02-01T00:00:00Z' }],
  ['unknown field', { name: 'a', nickname: 'b' }],
  ['ttl without entity ttl', { name: 'a', ttl: 10 }],
  ['id is a number', { id: 5, name: 'a' }],
  ['id with a slash', { id: 'a/b', name: 'a' }],
  ['id empty', { id: '', name: 'a' }],
  ['__proto__ key', '{"name":"a","__proto__":{"polluted":true}}'],
];

describe('schema validation', () => {
  it(`rejects ${MALFORMED.length} malformed bodies with 400/413 and writes nothing`, async () => {
    const api = apiFor(userEntity, createCrudHandlers(userEntity, users));
    const seed = await api.create({ id: 'seed', name: 'Seed' });
    expect(seed.status).toBe(201);
    const count = async () => (await allItems(users)).length;
    expect(await count()).toBe(1);
    for (const [label, body, status = 400] of MALFORMED) {
      const created = await api.create(body);
      expect(created.status, `POST ${label}`).toBe(status);
      expect(created.headers.get('content-type'), label).toMatch(/^application\/problem\+json/);
      expect(created.body.status).toBe(status);
      const put = await api.put('seed', body);
      expect(put.status, `PUT ${label}`).toBe(status);
    }
    expect(await count()).toBe(1);
    expect((await users.item('seed', 'seed').read()).resource?.name).toBe('Seed');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('reports each failing field with a code', async () => {
    const api = apiFor(userEntity, createCrudHandlers(userEntity, users));
    const r = await api.create({ age: 'x', nickname: 1, name: 'n'.repeat(30) });
    expect(r.status).toBe(400);
    expect(r.body.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ field: 'age', code: 'type' }),
        expect.objectContaining({ field: 'nickname', code: 'unknown' }),
        expect.objectContaining({ field: 'name', code: 'maxLength' }),
      ]),
    );
  });

  it('accepts every valid field type, and id is never required', async () => {
    const api = apiFor(userEntity, createCrudHandlers(userEntity, users));
    const r = await api.create({
      name: 'ok',
      age: 3,
      score: 1.5,
      active: false,
      tags: [1, 'a'],
      profile: { a: 1 },
      createdAt: '2025-01-31T10:00:00.123+01:00',
      birthday: '2024-02-29',
    });
    expect(r.status).toBe(201);
    expect((await api.create({ name: 'epoch', createdAt: 1738317600000 })).status).toBe(201);
  });

  it('requires the partition key field; unknownFields keep; ttl passes through when the entity has a TTL', async () => {
    const api = apiFor(orderEntity, createCrudHandlers(orderEntity, orders));
    const missingPk = await api.create({ total: 3 });
    expect(missingPk.status).toBe(400);
    expect(missingPk.body.errors[0]).toMatchObject({ field: 'region', code: 'required' });
    expect((await api.create({ region: 5, total: 3 })).status).toBe(400);
    expect((await api.create({ region: 'eu', total: 3, ttl: 0 })).status).toBe(400);
    expect((await allItems(orders)).length).toBe(0);
    const r = await api.create({ id: 'o1', region: 'eu', total: 3, note: 'kept', ttl: 120 });
    expect(r.status).toBe(201);
    const { resource } = await orders.item('o1', 'eu').read();
    expect(resource).toMatchObject({ note: 'kept', ttl: 120 });
  });

  it('tenant entities: tenantId is required only through the header and cannot be a non-string', async () => {
    const api = apiFor(noteEntity, createCrudHandlers(noteEntity, notes));
    expect(
      (await api.create({ title: 'x', tenantId: 5 }, { headers: { 'x-tenant-id': 't' } })).status,
    ).toBe(403);
    expect(
      (await api.create({ body: 'no title' }, { headers: { 'x-tenant-id': 't' } })).status,
    ).toBe(400);
    expect((await allItems(notes)).length).toBe(0);
  });
});

describe('field types', () => {
  const ts = { type: 'timestamp', required: false } as const;
  const date = { type: 'date', required: false } as const;
  it.each([
    ['2025-01-31T10:00:00Z', true],
    ['2025-01-31t10:00Z', true],
    ['2025-01-31T10:00:00.5-05:30', true],
    [0, true],
    ['2025-13-01T00:00:00Z', false],
    ['2025-01-31T24:00:00Z', false],
    ['2025-01-31', false],
    ['', false],
    [Number.NaN, false],
    [null, false],
  ])('timestamp %s → %s', (value, ok) => {
    expect(checkField(ts, value) === undefined).toBe(ok);
  });
  it.each([
    ['2024-02-29', true],
    ['2000-01-01', true],
    ['2023-02-29', false],
    ['2024-2-1', false],
    ['2024-04-31', false],
    [20240101, false],
  ])('date %s → %s', (value, ok) => {
    expect(checkField(date, value) === undefined).toBe(ok);
  });
  it('counts maxLength in characters, not UTF-16 units', () => {
    expect(checkField({ type: 'string', required: false, maxLength: 2 }, '😀😀')).toBeUndefined();
    expect(checkField({ type: 'string', required: false, maxLength: 2 }, '😀😀😀')?.code).toBe(
      'maxLength',
    );
  });
  it('does not treat inherited names as schema fields', () => {
    expect(
      validateItem(userEntity, { name: 'a', constructor: 1, toString: 'x' })
        .map((e) => e.field)
        .sort(),
    ).toEqual(['constructor', 'toString']);
  });
});
