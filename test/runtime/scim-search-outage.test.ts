/**
 * A root search (`POST /.search`) over Users and Groups: a type whose list cannot answer the filter matches none of
 * that type, but a type whose list meets an outage (5xx) makes the whole search answer it — a partial list with a 200
 * would tell the directory those resources are gone, where a 5xx tells it to retry (RFC 7644 §3.12: 500 "An internal
 * error"; Entra and Okta retry 5xx).
 */
import { HttpRequest, type HttpResponseInit } from '@azure/functions';
import { describe, expect, it } from 'vitest';
import { SCIM_SCHEMAS } from '../../src/contract/scim/scim.js';
import type { ScimOperation } from '../../src/runtime/members/scim/scim-answer.js';
import { scimError, scimJson } from '../../src/runtime/members/scim/scim-response.js';
import { SCIM_SEARCH_REQUEST, searchRoot } from '../../src/runtime/members/scim/scim-search.js';
import type { ScimCall } from '../../src/runtime/members/scim/scim-serve.js';

const call = (): ScimCall => ({
  token: { id: 't', name: 'Entra', tenant: 'acme', createdOn: '', createdBy: '' } as never,
  tenant: 'acme',
  method: 'POST',
  id: '',
  request: new HttpRequest({
    method: 'POST',
    url: 'https://app.example/scim/v2/.search',
    headers: { 'content-type': 'application/scim+json' },
    body: {
      string: JSON.stringify({ schemas: [SCIM_SEARCH_REQUEST], filter: 'externalId eq "x"' }),
    },
  }),
});

const users: ScimOperation = async () =>
  scimJson(200, {
    schemas: [SCIM_SCHEMAS.listResponse],
    totalResults: 1,
    Resources: [{ id: 'u-1' }],
  });
const answering =
  (answer: HttpResponseInit): ScimOperation =>
  async () =>
    answer;

describe('the root search', () => {
  it('answers an outage of one type as the outage, never as a shorter list', async () => {
    const r = await searchRoot([users, answering(scimError(503, 'Cosmos DB unavailable.'))])(
      undefined as never,
      call(),
    );
    expect(r.status).toBe(503);
  });

  it('lets a type that cannot answer the filter match none of its own', async () => {
    const r = await searchRoot([
      users,
      answering(scimError(400, 'No such attribute.', 'invalidFilter')),
    ])(undefined as never, call());
    expect(r.status).toBe(200);
    expect(JSON.parse(String(r.body))).toMatchObject({
      totalResults: 1,
      Resources: [{ id: 'u-1' }],
    });
  });
});
