import { expect } from 'vitest';
import { callAs, type People } from './support.js';

/**
 * A request to join waiting in `org`: the organization on the team plan (it has `domains`; Checkout through the API
 * as `owner`, paid on the Stripe stand-in), `domain` verified for it and admitting on request, and `email` of that
 * domain asking to join through it. Each step's answer is asserted where it happens.
 */
export async function askToJoinThroughDomain(
  people: People,
  owner: string,
  org: string,
  domain: string,
  email: string,
): Promise<void> {
  const call = (method: string, path: string, body?: unknown) =>
    callAs(people.api, owner, org, method, path, body);
  const { body } = await call('POST', 'tenant/billing/checkout', { plan: 'team' });
  const session = new URL((body as { url: string }).url).pathname.split('/').pop() ?? '';
  await people.stripe.completeCheckout(session);
  await expect
    .poll(async () => ((await call('GET', 'tenant')).body as { plan: string }).plan, {
      timeout: 60_000,
    })
    .toBe('team');
  const added = (await call('POST', 'tenant/domains', { domain })).body as {
    txt: { name: string; value: string };
  };
  people.dns.setTxt(added.txt.name, [added.txt.value]);
  expect((await call('POST', `tenant/domains/${domain}/verify`)).body).toMatchObject({
    status: 'verified',
  });
  expect((await call('PATCH', `tenant/domains/${domain}`, { join: 'request' })).status).toBe(200);
  const asked = await fetch(`${people.api}/tenants/${org}/join`, {
    method: 'POST',
    headers: { 'x-atakora-dev-user': email },
  });
  expect(asked.status).toBeLessThan(300);
}
