import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

// docs/tenants.md shows `GET api/tenant`'s answer whole (a JSON example and the organizations' route table): its
// fields are the contract's `Tenant` (src/contract/tenants.ts, what the route answers) and its usage the runtime's
// `TenantUsage`, so a field added to the answer that the page forgets fails here.
const root = resolve(import.meta.dirname, '../..');
const read = (p: string) => readFileSync(join(root, p), 'utf8');
const doc = read('docs/tenants.md');

/** The property names of `export interface <name> { … }` in `source`, in order. */
function fieldsOf(source: string, name: string): string[] {
  const start = source.indexOf(`export interface ${name} {`);
  expect(start, `interface ${name}`).toBeGreaterThanOrEqual(0);
  const body = source.slice(start, source.indexOf('\n}', start));
  return [...body.matchAll(/^ {2}readonly (\w+)\??:/gm)].map((m) => m[1]!);
}

const example = (): Record<string, unknown> => {
  const at = doc.indexOf('**`GET api/tenant`.**');
  const fence = /```json\n([\s\S]*?)\n```/.exec(doc.slice(at));
  expect(fence, 'a ```json example after **`GET api/tenant`.**').not.toBeNull();
  return JSON.parse(fence![1]!) as Record<string, unknown>;
};

describe('docs/tenants.md: GET api/tenant as the route answers it', () => {
  it('the example names every field of the contract’s Tenant, and no other', () => {
    expect(Object.keys(example()).sort()).toEqual(
      fieldsOf(read('src/contract/tenants.ts'), 'Tenant').sort(),
    );
  });
  it('its usage is the runtime’s TenantUsage', () => {
    const usage = example()['usage'] as Record<string, unknown>;
    expect(Object.keys(usage).sort()).toEqual(
      fieldsOf(read('src/runtime/tenants/tenant-usage.ts'), 'TenantUsage').sort(),
    );
  });
  it('the organizations’ route table lists the same fields', () => {
    const row = doc.split('\n').find((l) => l.startsWith('| `GET api/tenant` ['));
    const listed = /`\{ ([^}]*) \}`/
      .exec(row ?? '')?.[1]
      ?.split(', ')
      .map((f) => f.replace('?', ''));
    expect(listed?.sort()).toEqual(fieldsOf(read('src/contract/tenants.ts'), 'Tenant').sort());
  });
});
