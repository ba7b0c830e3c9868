// The Marketplace stand-in of @atakora/component/testing answers as Microsoft does, the unkind answers too (Learn,
// "SaaS fulfillment operations APIs v2", "SaaS fulfillment Subscription APIs v2", "Implementing a webhook on the SaaS
// service"): a Reinstate waits InProgress for the publisher's PATCH; a ChangePlan answered 4xx is rejected, never
// auto-accepted later; tracing headers come back; the key set can be down; an operation can settle before its PATCH.
// Each is what test/runtime/marketplace-operations.test.ts holds the runtime to.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MARKETPLACE_API_APP_ID, MARKETPLACE_API_VERSION } from '../../src/model/marketplace.js';
import { marketplaceHttp } from '../../src/runtime/marketplace/marketplace-http.js';
import type { MarketplaceClient } from '../../src/runtime/marketplace/marketplace-port.js';
import {
  type MarketplaceStandIn,
  startMarketplaceStandIn,
} from '../../src/testing/marketplace-standin.js';

const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const CLIENT = '5b1c7a3e-0000-4c2d-9e8f-1a2b3c4d5e6f';
const SECRET = 's3cret';

let standIn: MarketplaceStandIn;
let client: MarketplaceClient;
let hook: Server;
/** What the publisher's webhook answers the next calls. */
let answer = 200;
beforeAll(async () => {
  standIn = await startMarketplaceStandIn({
    publisherTenantId: TENANT,
    clientId: CLIENT,
    clientSecret: SECRET,
  });
  client = marketplaceHttp({
    api: standIn.base,
    login: standIn.base,
    tenantId: TENANT,
    clientId: CLIENT,
    secret: SECRET,
  });
  hook = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(answer);
      res.end();
    });
  });
  await new Promise<void>((resolve) => hook.listen(0, '127.0.0.1', resolve));
  standIn.webhook = {
    url: `http://127.0.0.1:${String((hook.address() as AddressInfo).port)}/api/marketplace/webhook`,
  };
});
afterAll(async () => {
  await standIn?.close();
  await new Promise((resolve) => hook?.close(resolve));
});

/** A purchase activated (Subscribed), as a landing page would. */
async function subscribed(planId = 'pro-monthly'): Promise<string> {
  const { subscriptionId } = standIn.purchase({ planId });
  expect(await client.activate(subscriptionId, { planId })).toBe('activated');
  return subscriptionId;
}

/** A publisher token from the stand-in's token endpoint (client credentials, as Learn's registration page shows). */
async function bearer(): Promise<string> {
  const form = new URLSearchParams({
    grant_type: 'client_credentials',
    client_id: CLIENT,
    client_secret: SECRET,
    scope: `${MARKETPLACE_API_APP_ID}/.default`,
  });
  const res = await fetch(`${standIn.base}/${TENANT}/oauth2/v2.0/token`, {
    method: 'POST',
    body: form,
  });
  return ((await res.json()) as { access_token: string }).access_token;
}

describe('the Marketplace stand-in answers as Microsoft does', () => {
  it('keeps a Reinstate InProgress, the subscription Suspended, until the publisher PATCHes it', async () => {
    answer = 200;
    const id = await subscribed();
    await standIn.suspend(id);
    const { operation } = await standIn.reinstate(id);
    expect((await client.operation(id, operation.id))?.status).toBe('InProgress');
    expect((await client.subscription(id))?.status).toBe('Suspended');
    expect(await client.patchOperation(id, operation.id, 'Success')).toBe('done');
    expect((await client.operation(id, operation.id))?.status).toBe('Succeeded');
    expect((await client.subscription(id))?.status).toBe('Subscribed');
    // Settled: a second answer is 409.
    expect(await client.patchOperation(id, operation.id, 'Success')).toBe('conflict');
  });

  it('lists the outstanding operations (GET …/operations): the Reinstate waiting InProgress, none once PATCHed', async () => {
    // Learn, "SaaS fulfillment operations APIs v2", List outstanding operations: "Get list of the pending operations
    // for the specified SaaS subscription" — `{ operations: [{ id, …, action: 'Reinstate', status: 'InProgress' }] }`.
    answer = 200;
    const id = await subscribed();
    await standIn.suspend(id);
    const { operation } = await standIn.reinstate(id);
    const url = `${standIn.base}/api/saas/subscriptions/${id}/operations?api-version=${MARKETPLACE_API_VERSION}`;
    const listed = async () => {
      const res = await fetch(url, { headers: { authorization: `Bearer ${await bearer()}` } });
      expect(res.status).toBe(200);
      return (await res.json()) as {
        operations?: { id: string; action: string; status: string }[];
      };
    };
    expect((await listed()).operations).toEqual([
      expect.objectContaining({
        id: operation.id,
        subscriptionId: id,
        action: 'Reinstate',
        status: 'InProgress',
      }),
    ]);
    expect(await client.patchOperation(id, operation.id, 'Success')).toBe('done');
    expect((await listed()).operations ?? []).toEqual([]);
  });

  it('takes a 4xx answer to a ChangePlan as its rejection; a 5xx leaves it waiting for the retry', async () => {
    const id = await subscribed();
    answer = 400;
    const rejected = await standIn.changePlan(id, 'team-monthly');
    expect(rejected.delivery.status).toBe(400);
    expect(standIn.operations.get(rejected.operation.id)?.status).toBe('Failed');
    expect((await client.subscription(id))?.planId).toBe('pro-monthly');
    expect(await client.patchOperation(id, rejected.operation.id, 'Success')).toBe('conflict');
    answer = 503;
    const retried = await standIn.changePlan(id, 'team-monthly');
    expect(standIn.operations.get(retried.operation.id)?.status).toBe('InProgress');
    answer = 200;
  });

  it('answers x-ms-requestid and x-ms-correlationid: the request’s, or new GUIDs', async () => {
    const form = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: CLIENT,
      client_secret: SECRET,
      scope: `${MARKETPLACE_API_APP_ID}/.default`,
    });
    const token = (await (
      await fetch(`${standIn.base}/${TENANT}/oauth2/v2.0/token`, { method: 'POST', body: form })
    ).json()) as { access_token: string };
    const id = await subscribed();
    const url = `${standIn.base}/api/saas/subscriptions/${id}?api-version=${MARKETPLACE_API_VERSION}`;
    const given = await fetch(url, {
      headers: {
        authorization: `Bearer ${token.access_token}`,
        'x-ms-requestid': 'req-1',
        'x-ms-correlationid': 'corr-1',
      },
    });
    expect(given.status).toBe(200);
    expect(given.headers.get('x-ms-requestid')).toBe('req-1');
    expect(given.headers.get('x-ms-correlationid')).toBe('corr-1');
    const bare = await fetch(url, { headers: { authorization: `Bearer ${token.access_token}` } });
    expect(bare.headers.get('x-ms-requestid')).toMatch(/^[0-9a-f-]{36}$/);
    expect(bare.headers.get('x-ms-correlationid')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('makes the key set unreachable, and settles an operation before its PATCH, for the next calls', async () => {
    standIn.outages.keys = 1;
    const config = `${standIn.base}/${TENANT}/v2.0/.well-known/openid-configuration`;
    expect((await fetch(config)).status).toBe(503);
    expect((await fetch(config)).status).toBe(200);
    const id = await subscribed();
    const { operation } = await standIn.changePlan(id, 'team-monthly');
    standIn.outages.settledBeforePatch = 1;
    expect(await client.patchOperation(id, operation.id, 'Success')).toBe('conflict');
    expect((await client.subscription(id))?.planId).toBe('team-monthly');
  });
});
