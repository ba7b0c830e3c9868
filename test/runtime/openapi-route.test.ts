import { Validator } from '@seriousme/openapi-schema-validator';
import { describe, expect, it } from 'vitest';
import type { RuntimeManifest } from '../../src/model/runtime-manifest.js';
import { createOpenApiHandler } from '../../src/runtime/openapi-route.js';
import { callerPolicyOf } from '../../src/runtime/caller/tenant-source.js';
import { catalogEntity, noteEntity } from './support/entities.js';
import { invoke } from './support/http.js';
import { membershipAuth } from './support/registry-auth.js';

const signedIn = {
  'x-ms-client-principal': Buffer.from(
    JSON.stringify({
      claims: [
        { typ: 'tid', val: 't1' },
        { typ: 'oid', val: 'u1' },
      ],
    }),
  ).toString('base64'),
};

const manifest: RuntimeManifest = {
  version: 1,
  backendId: 'shop',
  entities: [noteEntity, catalogEntity],
  auth: { required: true, tenantClaim: 'tid', trustTenantHeader: false },
  openapi: {
    title: 'shop (prod)',
    security: { tenantId: 'contoso.onmicrosoft.com', scope: 'api://1111/user_impersonation' },
    functions: [
      {
        componentId: 'Orders',
        name: 'Orders-submit',
        route: 'orders/submit',
        methods: ['POST'],
        requestSchema: { type: 'object' },
      },
    ],
  },
};

describe('GET api/openapi.json (the deployed runtime)', () => {
  const handler = createOpenApiHandler(manifest, callerPolicyOf(manifest));

  it('is 401 to an anonymous caller, as every route but health', async () => {
    const r = await invoke(handler, 'GET', 'openapi.json');
    expect(r.status).toBe(401);
    expect(r.body.type).toBe('urn:atakora:problem:unauthenticated');
  });

  it('serves a valid OpenAPI 3.1 document of the manifest to a signed-in caller, the request origin as server', async () => {
    const r = await invoke(handler, 'GET', 'openapi.json', { headers: signedIn });
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/^application\/json/);
    expect((await new Validator().validate(r.body)).valid).toBe(true);
    expect(r.body.info.title).toBe('shop (prod)');
    expect(r.body.servers).toEqual([{ url: 'https://app.test' }]);
    expect(Object.keys(r.body.paths)).toEqual(
      expect.arrayContaining([
        `/api/${noteEntity.route}`,
        `/api/${noteEntity.route}/{id}`,
        '/api/orders/submit',
        '/api/health',
      ]),
    );
    expect(r.body.components.securitySchemes.entra.flows.authorizationCode.authorizationUrl).toBe(
      'https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/authorize',
    );
  });

  it('answers other methods 405', async () => {
    const r = await invoke(handler, 'POST', 'openapi.json', { headers: signedIn });
    expect(r.status).toBe(405);
    expect(r.headers.get('allow')).toBe('GET');
  });
});

describe('GET api/openapi.json of a runtime whose subscriptions drive plans', () => {
  const base = membershipAuth('home', { plans: { free: {}, pro: {} }, defaultPlan: 'free' });
  const auth = {
    ...base,
    registry: {
      ...base.registry!,
      billing: {
        secret: 'STRIPE_KEY',
        meters: {},
        subscriptions: {
          webhookSecret: 'STRIPE_WEBHOOK_SECRET',
          prices: { price_pro: 'pro' },
          onCanceled: 'default-plan' as const,
        },
      },
    },
  };
  const paths = async (m: RuntimeManifest) => {
    const r = await invoke(createOpenApiHandler(m, callerPolicyOf(m)), 'GET', 'openapi.json', {
      headers: signedIn,
    });
    expect(r.status).toBe(200);
    expect((await new Validator().validate(r.body)).valid).toBe(true);
    return Object.keys((r.body as { paths: object }).paths);
  };

  it('lists the billing routes and the webhook, which a membership backend without subscriptions does not', async () => {
    const billing = [
      '/api/billing/stripe',
      '/api/tenant/billing',
      '/api/tenant/billing/checkout',
      '/api/tenant/billing/portal',
    ];
    expect(await paths({ ...manifest, auth })).toEqual(expect.arrayContaining(billing));
    const without = await paths({ ...manifest, auth: base });
    expect(without.filter((p) => billing.includes(p))).toEqual([]);
  });
});
