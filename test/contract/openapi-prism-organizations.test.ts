/**
 * `prism proxy --errors` (which checks every request and answer against the document's schemas) in front of
 * `atakora dev` serving a backend with tenants by membership (test/contract/fixtures/organizations): every membership
 * route (me/tenants, an organization created, members listed, changed, removed, invitations created, listed, read,
 * revoked, accepted) and their documented errors — tenant-required, not-a-member, last-owner,
 * invitation-email-mismatch, invitation-expired, a Member inviting — without a violation.
 *
 * The same backend's SCIM routes, driven as Microsoft Entra's provisioning service drives them (Learn, "Develop a SCIM endpoint for user provisioning": GET Users?filter=userName eq "…" → an empty
 * ListResponse, POST, PATCH `Replace` `active` "False", a PATCH without a path, groups with
 * `excludedAttributes=members`, `members[value eq "…"]`; `application/scim+json` and `application/json` bodies),
 * the discovery endpoints, and the SCIM errors (RFC 7644 §3.12) — a taken userName, an unknown id, a filter the
 * service does not answer, a revoked token, a user's sign-in — each answer as the document says, every header
 * declared.
 *
 * One `atakora dev` and one Prism for both (they were a file each, and started the same fixture twice: an
 * `atakora dev` start and Prism's parse of the document apiece, docs/performance.md "The suite"). Each part creates
 * its own organization and sends its tenant header, so neither reads the other's data; the violations are checked
 * after each part (the membership part's must be none when the SCIM part reads its own).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCIM_SCHEMAS } from '../../src/contract/scim/scim.js';
import {
  createOrganization,
  devUser as as,
  type PrismProxy,
  startPrismProxy,
} from './support/prism-proxy.js';

let proxy: PrismProxy | undefined;
const SCIM_JSON = 'application/scim+json';

beforeAll(async () => {
  proxy = await startPrismProxy('test/contract/fixtures/organizations/backend.ts');
});
afterAll(async () => proxy?.stop());

describe('prism proxy --errors: the membership routes', () => {
  it('answer as documented', async () => {
    const call = (proxy as PrismProxy).call;
    const { org, owner: olga } = await createOrganization(call, 'Prism Co', 'olga@example.com');
    expect((await call('GET', '/api/me/tenants', undefined, as('olga@example.com'))).status).toBe(
      200,
    );
    expect((await call('GET', '/api/tenant/members', undefined, olga)).status).toBe(200);
    expect((await call('GET', '/api/tenant', undefined, olga)).status).toBe(200);
    expect((await call('POST', '/api/notes', { title: 'n' }, olga)).status).toBe(201);
    const inv = await call(
      'POST',
      '/api/tenant/invitations',
      { email: 'pia@example.com', roles: ['Member'] },
      olga,
    );
    expect(inv.status).toBe(201);
    const { id, acceptUrl } = inv.body as { id: string; acceptUrl: string };
    const token = new URL(acceptUrl).searchParams.get('invitation');
    expect((await call('GET', '/api/tenant/invitations', undefined, olga)).status).toBe(200);
    expect((await call('GET', `/api/tenant/invitations/${id}`, undefined, olga)).status).toBe(200);
    expect(
      (await call('POST', '/api/invitations/accept', { token }, as('eve@example.com'))).status,
    ).toBe(403);
    const joined = await call('POST', '/api/invitations/accept', { token }, as('pia@example.com'));
    expect(joined.status).toBe(201);
    expect(
      (await call('POST', '/api/invitations/accept', { token }, as('pia@example.com'))).status,
    ).toBe(410);
    const pia = (joined.body as { userId: string }).userId;
    const pias = as('pia@example.com', org);
    expect(
      (await call('POST', '/api/tenant/invitations', { email: 'x@example.com', roles: [] }, pias))
        .status,
    ).toBe(403);
    expect(
      (await call('PATCH', `/api/tenant/members/${pia}`, { roles: ['Admin'] }, olga)).status,
    ).toBe(200);
    const other = await call(
      'POST',
      '/api/tenant/invitations',
      { email: 'q@example.com', roles: [] },
      olga,
    );
    expect(
      (
        await call(
          'DELETE',
          `/api/tenant/invitations/${(other.body as { id: string }).id}`,
          undefined,
          olga,
        )
      ).status,
    ).toBe(204);
    const olgaId = (
      (await call('GET', '/api/tenant/members', undefined, olga)).body as {
        items: { userId: string; roles: string[] }[];
      }
    ).items.find((m) => m.roles.includes('Owner'))?.userId;
    expect(
      (await call('DELETE', `/api/tenant/members/${olgaId ?? ''}`, undefined, olga)).status,
    ).toBe(409);
    expect((await call('GET', '/api/notes', undefined, as('eve@example.com', org))).status).toBe(
      403,
    );
    // Pia now belongs to one organization; a second makes the header necessary.
    expect(
      (await call('POST', '/api/tenants', { name: 'Second' }, as('pia@example.com'))).status,
    ).toBe(201);
    expect((await call('GET', '/api/notes', undefined, as('pia@example.com'))).status).toBe(400);
    expect((await call('DELETE', `/api/tenant/members/${pia}`, undefined, pias)).status).toBe(204);
    expect((proxy as PrismProxy).violations).toEqual([]);
  });
});

describe('prism proxy --errors: the SCIM routes', () => {
  it('answer Entra-shaped requests as documented, errors included', async () => {
    const call = (proxy as PrismProxy).call;
    const { org, owner: olga } = await createOrganization(call, 'Scim Co', 'olga@example.com');
    const issued = await call('POST', '/api/tenant/scim-tokens', { name: 'Entra' }, olga);
    expect(issued.status).toBe(201);
    const { token, id: tokenId } = issued.body as { token: string; id: string };
    const entra = (type = SCIM_JSON) => ({
      authorization: `Bearer ${token}`,
      'content-type': type,
    });
    const scim = (method: string, path: string, body?: unknown, type?: string) =>
      call(method, `/api/scim/v2/${path}`, body, entra(type));

    // Entra's Test Connection and its first look for a user.
    const none = await scim(
      'GET',
      `Users?filter=${encodeURIComponent('userName eq "kim@contoso.com"')}`,
    );
    expect(none.status).toBe(200);
    expect(none.body).toMatchObject({ totalResults: 0, Resources: [] });
    const user = await scim('POST', 'Users', {
      schemas: [SCIM_SCHEMAS.user, SCIM_SCHEMAS.enterpriseUser],
      externalId: 'kim-object-id',
      userName: 'kim@contoso.com',
      active: true,
      displayName: 'Kim Doe',
      emails: [{ primary: true, type: 'work', value: 'kim@contoso.com' }],
      meta: { resourceType: 'User' },
      name: { formatted: 'Kim Doe', familyName: 'Doe', givenName: 'Kim' },
      roles: [],
      [SCIM_SCHEMAS.enterpriseUser]: { department: 'Ops' },
    });
    expect(user.status).toBe(201);
    const kim = (user.body as { id: string }).id;
    expect((await scim('GET', `Users/${kim}`)).status).toBe(200);
    const page = await scim('GET', 'Users?startIndex=1&count=10');
    expect(page.body).toMatchObject({ totalResults: 1, startIndex: 1, itemsPerPage: 1 });
    const patch = (...Operations: unknown[]) => ({ schemas: [SCIM_SCHEMAS.patchOp], Operations });
    expect(
      (
        await scim(
          'PATCH',
          `Users/${kim}`,
          patch(
            { op: 'Replace', path: 'emails[type eq "work"].value', value: 'kim.doe@contoso.com' },
            { op: 'Add', value: { 'name.givenName': 'Kimberly', displayName: 'Kimberly Doe' } },
          ),
          'application/json',
        )
      ).status,
    ).toBe(200);
    expect(
      (
        await scim(
          'PATCH',
          `Users/${kim}`,
          patch({ op: 'Replace', path: 'active', value: 'False' }),
        )
      ).status,
    ).toBe(200);
    // Okta replaces a user with PUT (its SCIM 2.0 reference: "Update a specific User (PUT)"), and reads it back in part.
    const put = await scim('PUT', `Users/${kim}`, {
      schemas: [SCIM_SCHEMAS.user],
      id: kim,
      userName: 'kim@contoso.com',
      name: { givenName: 'Kim', middleName: '', familyName: 'Doe' },
      emails: [
        { primary: true, value: 'kim@contoso.com', type: 'work', display: 'kim@contoso.com' },
      ],
      locale: 'en-US',
      externalId: '00ujl29u0le5T6Aj10h7',
      groups: [],
      password: '1mz050nq',
      active: true,
    });
    expect(put.status).toBe(200);
    const part = await scim('GET', `Users/${kim}?attributes=userName,name.givenName`);
    expect(part.body).toEqual({
      schemas: [SCIM_SCHEMAS.user],
      id: kim,
      userName: 'kim@contoso.com',
      name: { givenName: 'Kim' },
    });
    expect(
      (
        await scim(
          'GET',
          `Users?filter=${encodeURIComponent('externalId eq "00ujl29u0le5T6Aj10h7"')}&excludedAttributes=emails`,
        )
      ).body,
    ).toMatchObject({ totalResults: 1 });
    for (const [kind, id] of [
      ['Schemas', SCIM_SCHEMAS.enterpriseUser],
      ['ResourceTypes', 'Group'],
    ])
      expect((await scim('GET', `${kind}/${id}`)).status, kind).toBe(200);
    expect((await scim('GET', 'Schemas/urn:example:none')).status).toBe(404);

    const group = await scim('POST', 'Groups', {
      schemas: [SCIM_SCHEMAS.group],
      externalId: 'ops-object-id',
      displayName: 'Ops',
      members: [],
    });
    expect(group.status).toBe(201);
    const ops = (group.body as { id: string }).id;
    expect(
      (
        await scim(
          'GET',
          `Groups?filter=${encodeURIComponent('displayName eq "Ops"')}&excludedAttributes=members`,
        )
      ).status,
    ).toBe(200);
    expect(
      (
        await scim(
          'PATCH',
          `Groups/${ops}`,
          patch({ op: 'Add', path: 'members', value: [{ value: kim }] }),
        )
      ).status,
    ).toBe(204);
    expect((await scim('GET', `Groups/${ops}?excludedAttributes=members`)).status).toBe(200);
    const renamed = await scim(
      'PATCH',
      `Groups/${ops}?attributes=displayName`,
      patch({ op: 'replace', value: { id: ops, displayName: 'Ops team' } }),
    );
    expect([renamed.status, (renamed.body as { displayName?: string }).displayName]).toEqual([
      200,
      'Ops team',
    ]);
    const replaced = await scim('PUT', `Groups/${ops}`, {
      schemas: [SCIM_SCHEMAS.group],
      displayName: 'Ops',
      externalId: 'ops-object-id',
      members: [{ value: kim, display: 'kim@contoso.com' }],
    });
    expect(replaced.status).toBe(200);
    const tooMany = Array.from({ length: 1001 }, (_v, i) => ({ value: `m-${String(i)}` }));
    const over = await scim('PUT', `Groups/${ops}`, { displayName: 'Ops', members: tooMany });
    expect(over.body).toMatchObject({ status: '400', scimType: 'invalidValue' });
    expect(
      (
        await scim(
          'PATCH',
          `Groups/${ops}`,
          patch({ op: 'Remove', path: `members[value eq "${kim}"]` }),
        )
      ).status,
    ).toBe(204);
    for (const discovery of ['ServiceProviderConfig', 'ResourceTypes', 'Schemas'])
      expect((await scim('GET', discovery)).status, discovery).toBe(200);

    // The SCIM errors, as the document declares them.
    const taken = await scim('POST', 'Users', { userName: 'kim@contoso.com' });
    expect(taken.status).toBe(409);
    expect(taken.body).toMatchObject({ status: '409', scimType: 'uniqueness' });
    expect((await scim('GET', 'Users/no-such-user')).status).toBe(404);
    expect((await scim('GET', `Users?filter=${encodeURIComponent('emails co "x"')}`)).status).toBe(
      400,
    );
    const invalid = await scim(
      'PATCH',
      `Users/${kim}`,
      patch({ op: 'replace', path: 'active', value: 'maybe' }),
    );
    expect(invalid.body).toMatchObject({ status: '400', scimType: 'invalidValue' });
    // An op the document does not allow is refused by Prism itself (it checks the PatchOp's schema).
    expect((await scim('PATCH', `Users/${kim}`, { Operations: [{ op: 'Move' }] })).status).toBe(
      422,
    );
    expect((proxy as PrismProxy).violations.splice(0)).toEqual([
      expect.stringMatching(/^PATCH \/api\/scim\/v2\/Users\/\S+ → 422/),
    ]);
    expect((await scim('DELETE', `Groups/${ops}`)).status).toBe(204);
    expect((await scim('DELETE', `Users/${kim}`)).status).toBe(204);
    // Entra signs in as nobody: dev lets the SCIM routes past its sign-in as App Service does in Azure.
    const nobody = { 'x-atakora-dev-user': 'anonymous', authorization: `Bearer ${token}` };
    expect((await call('GET', '/api/scim/v2/Users', undefined, nobody)).status).toBe(200);
    expect((await call('GET', `/api/scim/v2/Users/${kim}`, undefined, nobody)).status).toBe(404);
    // A user's sign-in (the Owner's) is no SCIM credential; a revoked token is none either.
    expect(
      (
        await call('GET', '/api/scim/v2/Users', undefined, {
          ...olga,
          authorization: 'Bearer not-a-scim-token',
        })
      ).status,
    ).toBe(401);
    expect(
      (await call('DELETE', `/api/tenant/scim-tokens/${tokenId}`, undefined, olga)).status,
    ).toBe(204);
    const revoked = await scim('GET', 'Users');
    expect(revoked.status).toBe(401);
    expect(revoked.body).toMatchObject({ schemas: [SCIM_SCHEMAS.error], status: '401' });

    expect((proxy as PrismProxy).violations).toEqual([]);
    // Every header of every SCIM answer is declared (the organization's creation above is not this test's).
    expect((proxy as PrismProxy).undeclared.filter((u) => u.includes('/api/scim/'))).toEqual([]);
  });
});
