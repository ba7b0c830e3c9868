/**
 * The typed client's webhooks (DESIGN §2, "Integrations") as the wire sees it: each method's route, method, body and
 * the organization header; ids that are no URL segment are escaped.
 */
import { describe, expect, it } from 'vitest';
import { createClient } from '../../src/client/create-client.js';
import type { WebhooksClient } from '../../src/client/types.js';

const API = 'https://func-orgs.azurewebsites.net/api';

describe('client.tenant.webhooks', () => {
  it('creates, lists, reads, updates, removes endpoints, reads and retries deliveries, rotates a secret', async () => {
    const seen: [string, string, string | null, unknown][] = [];
    const hook = { id: 'w1', url: 'https://hooks.example.com/a', events: ['*'], enabled: true };
    const delivery = { id: 'msg_1', type: 'note.created', status: 'pending', attempts: 1 };
    const rotated = {
      id: 'w1',
      secret: 'whsec_y',
      previousSecretExpiresOn: '2026-11-30T01:00:00.000Z',
    };
    const fetch = async (input: string | URL | Request, init?: RequestInit) => {
      const url = String(input).replace(API, '');
      const method = init?.method ?? 'GET';
      seen.push([
        method,
        url,
        new Headers(init?.headers).get('x-atakora-tenant'),
        typeof init?.body === 'string' ? JSON.parse(init.body) : null,
      ]);
      const body =
        url.endsWith('/deliveries') || url.includes('/deliveries?')
          ? { items: [delivery] }
          : url.endsWith('/retry')
            ? delivery
            : url.endsWith('/rotate')
              ? rotated
              : method === 'POST'
                ? { id: 'w1', secret: 'whsec_x', url: hook.url, events: hook.events }
                : url === '/tenant/webhooks'
                  ? { items: [hook] }
                  : hook;
      return new Response(method === 'DELETE' ? null : JSON.stringify(body), {
        status: method === 'DELETE' ? 204 : method === 'POST' ? 201 : 200,
        headers: { 'content-type': 'application/json' },
      });
    };
    const client = createClient<never>({
      baseUrls: { notes: `${API}/notes` },
      getToken: () => 't',
      fetch,
      tenant: 'acme',
    }) as unknown as { tenant: { webhooks: WebhooksClient } };
    const hooks = client.tenant.webhooks;
    expect((await hooks.create({ url: hook.url, events: ['*'] })).secret).toBe('whsec_x');
    expect(await hooks.list()).toEqual([hook]);
    expect(await hooks.get('w/1')).toEqual(hook);
    expect(await hooks.update('w1', { enabled: false })).toEqual(hook);
    await hooks.remove('w1');
    expect(await hooks.deliveries('w1', { first: 10 })).toEqual([delivery]);
    expect(await hooks.retry('w1', 'msg_1')).toEqual(delivery);
    expect(await hooks.rotate('w 1')).toEqual(rotated);
    expect(seen).toEqual([
      ['POST', '/tenant/webhooks', 'acme', { url: hook.url, events: ['*'] }],
      ['GET', '/tenant/webhooks', 'acme', null],
      ['GET', '/tenant/webhooks/w%2F1', 'acme', null],
      ['PATCH', '/tenant/webhooks/w1', 'acme', { enabled: false }],
      ['DELETE', '/tenant/webhooks/w1', 'acme', null],
      ['GET', '/tenant/webhooks/w1/deliveries?$first=10', 'acme', null],
      ['POST', '/tenant/webhooks/w1/deliveries/msg_1/retry', 'acme', null],
      ['POST', '/tenant/webhooks/w%201/rotate', 'acme', null],
    ]);
  });
});
