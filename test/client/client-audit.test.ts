/**
 * `client.tenant.audit()` as the wire sees it: `GET api/tenant/audit` in the organization the client acts in
 * (`X-Atakora-Tenant`), `$first`, `$after` and a `$filter` the runtime's own parser (runtime/audit/audit-filter.ts)
 * reads back as the filter asked — a quote in a value included — and every page in turn until the last.
 */
import { describe, expect, it } from 'vitest';
import { createClient } from '../../src/client/create-client.js';
import type { AuditEntry } from '../../src/contract/audit.js';
import { auditFilterOf } from '../../src/runtime/audit/audit-filter.js';

const API = 'https://func-orgs.azurewebsites.net/api';
const entry = (id: string): AuditEntry => ({
  id,
  at: '2026-03-01T00:00:00.000Z',
  tenant: 'acme-k3x9qa',
  actor: { id: 'u-1', via: 'api' },
  action: 'member.removed',
  target: "o'brien",
});

describe('client.tenant.audit', () => {
  it('pages the organization’s log with $first, $after and a $filter the runtime parses back', async () => {
    const seen: URL[] = [];
    const tenants: (string | null)[] = [];
    const fetch = async (input: string | URL | Request, init?: RequestInit) => {
      const url = new URL(String(input));
      seen.push(url);
      tenants.push(new Headers(init?.headers).get('x-atakora-tenant'));
      const after = url.searchParams.get('$after');
      const body =
        after === null
          ? { items: [entry('2'), entry('1')], continuationToken: 'p2' }
          : { items: [entry('0')], continuationToken: null };
      return new Response(JSON.stringify(body), {
        status: 200,
        headers: { 'content-type': 'application/json' },
      });
    };
    const client = createClient<never>({
      baseUrls: { notes: `${API}/notes` },
      getToken: () => 't',
      fetch,
      tenant: 'acme-k3x9qa',
    }) as never as {
      tenant: {
        audit(o?: object): AsyncIterable<AuditEntry> & { page(): Promise<{ items: AuditEntry[] }> };
      };
    };
    const all: string[] = [];
    for await (const e of client.tenant.audit({
      first: 2,
      filter: { action: 'member.removed', via: 'api', target: "o'brien" },
    }))
      all.push(e.id);
    expect(all).toEqual(['2', '1', '0']);
    expect(seen.map((u) => `${u.origin}${u.pathname}`)).toEqual([
      `${API}/tenant/audit`,
      `${API}/tenant/audit`,
    ]);
    expect(seen.map((u) => u.searchParams.get('$after'))).toEqual([null, 'p2']);
    expect(seen[0]?.searchParams.get('$first')).toBe('2');
    expect(tenants).toEqual(['acme-k3x9qa', 'acme-k3x9qa']);
    expect(auditFilterOf(seen[0]?.searchParams.get('$filter') ?? null)).toEqual({
      ok: true,
      filter: { action: 'member.removed', via: 'api', target: "o'brien" },
    });
    // No filter: no $filter at all.
    await client.tenant.audit().page();
    expect(seen[2]?.searchParams.has('$filter')).toBe(false);
  });
});
