/**
 * SCIM 2.0 provisioning per organization (DESIGN §2, "Organizations that enterprises can buy") through the request
 * pipeline against the local Cosmos DB server, with requests shaped as Microsoft Entra's provisioning service sends
 * them (Learn, "Develop a SCIM endpoint for user provisioning": its test sequence — GET Users?filter=userName eq
 * "…" → an empty ListResponse, POST User, PATCH `Replace` of `active` "False", …; and "Known issues and resolutions
 * with SCIM 2.0 protocol compliance of the Microsoft Entra user provisioning service": capitalized ops, booleans as
 * strings, PATCH without a path): Owner-issued tokens stored as hashes, the token its organization's only door,
 * provisioned users members on their first sign-in by a verified e-mail on a verified domain only, deactivation
 * and deletion ending access at once, groups named as roles granting them, every change in the audit log.
 */
import { describe, expect, it } from 'vitest';
import { SCIM_SCHEMAS } from '../../src/contract/scim/scim.js';
import { person, policy } from './support/scim-app.js';
import { scimSuite } from './support/scim-suite.js';
import { ANONYMOUS_TENANT } from '../../src/runtime/usage/request-usage.js';
import { boundUsageMeter } from '../../src/runtime/usage/usage-binding.js';
import { hourItems } from '../model/plans-app.js';

const app = scimSuite();

/** Entra's POST /Users body (Learn, "Develop a SCIM endpoint": Create User request). */
const entraUser = (userName: string, externalId = 'kim-object-id') => ({
  schemas: [SCIM_SCHEMAS.user, SCIM_SCHEMAS.enterpriseUser],
  externalId,
  userName,
  active: true,
  displayName: 'Kim Doe',
  emails: [{ primary: true, type: 'work', value: userName }],
  meta: { resourceType: 'User' },
  name: { formatted: 'Kim Doe', familyName: 'Doe', givenName: 'Kim' },
  roles: [],
});
const patchOp = (...Operations: unknown[]) => ({ schemas: [SCIM_SCHEMAS.patchOp], Operations });
const asMember = (oid: string, email: string | undefined, org: string, verified = true) =>
  app.call('tenant-self', 'GET', 'tenant', {
    headers: { ...person(oid, email, verified), 'x-atakora-tenant': org },
  });
const membership = async (org: string, oid: string) =>
  (await app.members.item(`${org}|${oid}`, org).read<{ roles: string[] }>()).resource;

async function tokenOf(org: 'acme' | 'globex'): Promise<string> {
  const r = await app.issue(org, 'Entra');
  expect(r.status).toBe(201);
  return r.body.token as string;
}

describe('SCIM tokens', () => {
  it('are issued by an Owner, shown once, stored as a SHA-256 hash, listed without the secret, revocable', async () => {
    const r = await app.issue('acme', 'Entra');
    expect(r.status).toBe(201);
    expect(Object.keys(r.body).sort()).toEqual(['createdOn', 'id', 'name', 'token']);
    expect(r.body.token).toMatch(/^atakora-scim\.[A-Za-z0-9_-]{43}$/);
    const stored = await app.members.items.query('SELECT * FROM c').fetchAll();
    expect(JSON.stringify(stored.resources)).not.toContain(r.body.token);
    const ownerHeaders = { ...person('ada'), 'x-atakora-tenant': 'acme' };
    const list = await app.call('membership-scim-tokens', 'GET', 'tenant/scim-tokens', {
      headers: ownerHeaders,
    });
    expect(list.body.items).toEqual([
      { id: r.body.id, name: 'Entra', createdOn: r.body.createdOn },
    ]);
    const revoke = await app.call(
      'membership-scim-token',
      'DELETE',
      `tenant/scim-tokens/${r.body.id}`,
      {
        headers: ownerHeaders,
        params: { id: r.body.id },
      },
    );
    expect(revoke.status).toBe(204);
    const after = await app.scim('scim-users', 'GET', 'scim/v2/Users', r.body.token);
    expect(after.status).toBe(401);
    expect(after.headers.get('content-type')).toContain('application/scim+json');
    expect(after.body).toMatchObject({ schemas: [SCIM_SCHEMAS.error], status: '401' });
  });

  it('are refused to a member who is not an Owner, and bounded per organization', async () => {
    await app.members.items.create({
      id: 'acme|bob',
      tenant: 'acme',
      userId: 'bob',
      roles: ['Admin'],
      addedOn: '2026-01-01T00:00:00.000Z',
    });
    const bob = await app.call('membership-scim-tokens', 'POST', 'tenant/scim-tokens', {
      headers: { ...person('bob'), 'x-atakora-tenant': 'acme' },
      body: {},
    });
    expect([bob.status, bob.body.type]).toEqual([403, 'urn:atakora:problem:access-denied']);
    for (let i = 0; i < 5; i++) expect((await app.issue('acme')).status).toBe(201);
    const sixth = await app.issue('acme');
    expect([sixth.status, sixth.body.type]).toEqual([409, 'urn:atakora:problem:scim-token-limit']);
  });

  it('refuse a request without a token, with another kind of bearer, or with a forged one (401, a SCIM error)', async () => {
    await tokenOf('acme');
    for (const authorization of [
      '',
      'Bearer eyJhbGciOi.forged',
      'Bearer atakora-scim.forgedforgedforgedforgedforgedforgedforged1',
    ]) {
      const r = await app.call('scim-users', 'GET', 'scim/v2/Users', {
        headers: { authorization },
      });
      expect([r.status, r.body.status, r.headers.get('www-authenticate')]).toEqual([
        401,
        '401',
        'Bearer realm="scim"',
      ]);
    }
  });
});

describe("Entra's provisioning sequence", () => {
  it('creates a user, links it on a verified sign-in, deactivates it with "False" (access ends at once), deletes it', async () => {
    const token = await tokenOf('acme');
    const filter = { filter: 'userName eq "kim@acme.example"' };
    const none = await app.scim('scim-users', 'GET', 'scim/v2/Users', token, { query: filter });
    expect(none.status).toBe(200);
    expect(none.headers.get('content-type')).toContain('application/scim+json');
    expect(none.body).toEqual({
      schemas: [SCIM_SCHEMAS.listResponse],
      totalResults: 0,
      startIndex: 1,
      itemsPerPage: 0,
      Resources: [],
    });
    const made = await app.scim('scim-users', 'POST', 'scim/v2/Users', token, {
      body: entraUser('kim@acme.example'),
    });
    expect(made.status).toBe(201);
    expect(made.body).toMatchObject({
      userName: 'kim@acme.example',
      active: true,
      externalId: 'kim-object-id',
      meta: { resourceType: 'User' },
    });
    const id = made.body.id as string;
    const found = await app.scim('scim-users', 'GET', 'scim/v2/Users', token, { query: filter });
    expect([found.body.totalResults, found.body.Resources[0].id]).toEqual([1, id]);
    const again = await app.scim('scim-users', 'POST', 'scim/v2/Users', token, {
      body: entraUser('KIM@acme.example'),
    });
    expect([again.status, again.body.scimType]).toEqual([409, 'uniqueness']);
    // Not a member before signing in; the first request with the verified e-mail makes Kim one, as Member.
    expect(await membership('acme', 'kim')).toBeUndefined();
    expect((await asMember('kim', 'kim@acme.example', 'acme')).status).toBe(200);
    expect((await membership('acme', 'kim'))?.roles).toEqual(['Member']);
    // Entra's attribute updates: capitalized op, a filtered e-mail path, a dotted name.
    const renamed = await app.scim('scim-user', 'PATCH', `scim/v2/Users/${id}`, token, {
      params: { id },
      body: patchOp(
        { op: 'Replace', path: 'emails[type eq "work"].value', value: 'kim.doe@acme.example' },
        { op: 'Replace', path: 'name.familyName', value: 'Roe' },
      ),
    });
    expect(renamed.status).toBe(200);
    expect(renamed.body.name.familyName).toBe('Roe');
    expect(renamed.body.emails).toEqual([
      { primary: true, type: 'work', value: 'kim.doe@acme.example' },
    ]);
    const off = await app.scim('scim-user', 'PATCH', `scim/v2/Users/${id}`, token, {
      params: { id },
      body: patchOp({ op: 'Replace', path: 'active', value: 'False' }),
    });
    expect([off.status, off.body.active]).toEqual([200, false]);
    expect(await membership('acme', 'kim')).toBeUndefined();
    const refused = await asMember('kim', 'kim@acme.example', 'acme');
    expect([refused.status, refused.body.type]).toEqual([403, 'urn:atakora:problem:not-a-member']);
    // Reactivated (the compliant shape: no path, an object of attributes): a member again at once.
    const on = await app.scim('scim-user', 'PATCH', `scim/v2/Users/${id}`, token, {
      params: { id },
      body: patchOp({ op: 'replace', value: { active: true } }),
    });
    expect(on.body.active).toBe(true);
    expect((await asMember('kim', 'kim@acme.example', 'acme')).status).toBe(200);
    const gone = await app.scim('scim-user', 'DELETE', `scim/v2/Users/${id}`, token, {
      params: { id },
    });
    expect(gone.status).toBe(204);
    expect((await asMember('kim', 'kim@acme.example', 'acme')).status).toBe(403);
    const missing = await app.scim('scim-user', 'GET', `scim/v2/Users/${id}`, token, {
      params: { id },
    });
    expect([missing.status, missing.body.status]).toEqual([404, '404']);
    const audit = await app.audit.items.query('SELECT * FROM c WHERE c.tenant = "acme"').fetchAll();
    const scimEntries = audit.resources
      .filter((e) => e.actor?.via === 'scim')
      .map((e) => e.action)
      .sort();
    expect(scimEntries).toEqual(
      [
        'member.added',
        'member.added',
        'member.removed',
        'member.removed',
        'scim.user-created',
        'scim.user-deleted',
        'scim.user-updated',
        'scim.user-updated',
        'scim.user-updated',
      ].sort(),
    );
  });

  it('never links by an unverified e-mail, nor on a domain the organization has not verified', async () => {
    const token = await tokenOf('acme');
    for (const userName of ['lee@acme.example', 'kim@globex.example'])
      expect(
        (
          await app.scim('scim-users', 'POST', 'scim/v2/Users', token, {
            body: entraUser(userName, userName),
          })
        ).status,
      ).toBe(201);
    expect((await asMember('lee', 'lee@acme.example', 'acme', false)).status).toBe(403);
    // globex verified globex.example: acme's provisioning of an address there links nobody into acme.
    expect((await asMember('kim', 'kim@globex.example', 'acme')).status).toBe(403);
    expect((await asMember('kim', 'kim@globex.example', 'globex')).status).toBe(403);
    expect(await membership('acme', 'lee')).toBeUndefined();
  });

  it("keeps each token to its organization: another organization's users are not found", async () => {
    const acme = await tokenOf('acme');
    const globex = await tokenOf('globex');
    const id = (
      await app.scim('scim-users', 'POST', 'scim/v2/Users', acme, {
        body: entraUser('kim@acme.example'),
      })
    ).body.id as string;
    expect(
      (await app.scim('scim-user', 'GET', `scim/v2/Users/${id}`, globex, { params: { id } }))
        .status,
    ).toBe(404);
    const patch = await app.scim('scim-user', 'PATCH', `scim/v2/Users/${id}`, globex, {
      params: { id },
      body: patchOp({ op: 'Replace', path: 'active', value: 'False' }),
    });
    expect(patch.status).toBe(404);
    expect(
      (await app.scim('scim-user', 'DELETE', `scim/v2/Users/${id}`, globex, { params: { id } }))
        .status,
    ).toBe(404);
    const list = await app.scim('scim-users', 'GET', 'scim/v2/Users', globex, {
      query: { filter: 'userName eq "kim@acme.example"' },
    });
    expect(list.body.totalResults).toBe(0);
    expect(
      (await app.scim('scim-user', 'GET', `scim/v2/Users/${id}`, acme, { params: { id } })).body
        .active,
    ).toBe(true);
  });
});

describe('Groups', () => {
  it('grant the declared role they are named after to their linked members; others grant nothing', async () => {
    const token = await tokenOf('acme');
    const kim = (
      await app.scim('scim-users', 'POST', 'scim/v2/Users', token, {
        body: entraUser('kim@acme.example'),
      })
    ).body.id as string;
    await asMember('kim', 'kim@acme.example', 'acme');
    const admins = await app.scim('scim-groups', 'POST', 'scim/v2/Groups', token, {
      body: { schemas: [SCIM_SCHEMAS.group], displayName: 'Admin', externalId: 'g-1', members: [] },
    });
    expect(admins.status).toBe(201);
    const gid = admins.body.id as string;
    const other = await app.scim('scim-groups', 'POST', 'scim/v2/Groups', token, {
      body: {
        schemas: [SCIM_SCHEMAS.group],
        displayName: 'Engineering',
        members: [{ value: kim }],
      },
    });
    expect(other.status).toBe(201);
    expect((await membership('acme', 'kim'))?.roles).toEqual(['Member']);
    const add = await app.scim('scim-group', 'PATCH', `scim/v2/Groups/${gid}`, token, {
      params: { id: gid },
      body: patchOp({ op: 'Add', path: 'members', value: [{ value: kim }] }),
    });
    expect(add.status).toBe(204);
    expect((await membership('acme', 'kim'))?.roles).toEqual(['Admin']);
    const got = await app.scim('scim-group', 'GET', `scim/v2/Groups/${gid}`, token, {
      params: { id: gid },
      query: { excludedAttributes: 'members' },
    });
    expect(got.body).toMatchObject({ displayName: 'Admin', externalId: 'g-1' });
    expect(got.body.members).toBeUndefined();
    const found = await app.scim('scim-groups', 'GET', 'scim/v2/Groups', token, {
      query: { filter: 'displayName eq "Admin"' },
    });
    expect(found.body.totalResults).toBe(1);
    const remove = await app.scim('scim-group', 'PATCH', `scim/v2/Groups/${gid}`, token, {
      params: { id: gid },
      body: patchOp({ op: 'Remove', path: `members[value eq "${kim}"]` }),
    });
    expect(remove.status).toBe(204);
    expect((await membership('acme', 'kim'))?.roles).toEqual(['Member']);
    await app.scim('scim-group', 'PATCH', `scim/v2/Groups/${gid}`, token, {
      params: { id: gid },
      body: patchOp({ op: 'Add', path: 'members', value: [{ value: kim }] }),
    });
    expect(
      (
        await app.scim('scim-group', 'DELETE', `scim/v2/Groups/${gid}`, token, {
          params: { id: gid },
        })
      ).status,
    ).toBe(204);
    expect((await membership('acme', 'kim'))?.roles).toEqual(['Member']);
  });
});

describe('discovery and errors', () => {
  it('answers ServiceProviderConfig, Schemas and ResourceTypes, and bad input as SCIM errors', async () => {
    const token = await tokenOf('acme');
    const config = await app.scim(
      'scim-service-provider-config',
      'GET',
      'scim/v2/ServiceProviderConfig',
      token,
    );
    expect([config.status, config.body.patch.supported, config.body.bulk.supported]).toEqual([
      200,
      true,
      false,
    ]);
    const schemas = await app.scim('scim-schemas', 'GET', 'scim/v2/Schemas', token);
    expect(schemas.body.Resources.map((s: { id: string }) => s.id)).toEqual([
      SCIM_SCHEMAS.user,
      SCIM_SCHEMAS.enterpriseUser,
      SCIM_SCHEMAS.group,
    ]);
    const types = await app.scim('scim-resource-types', 'GET', 'scim/v2/ResourceTypes', token);
    expect(types.body.Resources.map((s: { endpoint: string }) => s.endpoint)).toEqual([
      '/Users',
      '/Groups',
    ]);
    const badFilter = await app.scim('scim-users', 'GET', 'scim/v2/Users', token, {
      query: { filter: 'title co "x"' },
    });
    expect([badFilter.status, badFilter.body.scimType]).toEqual([400, 'invalidFilter']);
    const noName = await app.scim('scim-users', 'POST', 'scim/v2/Users', token, {
      body: { schemas: [SCIM_SCHEMAS.user] },
    });
    expect([noName.status, noName.body.scimType, noName.body.status]).toEqual([
      400,
      'invalidValue',
      '400',
    ]);
    const notJson = await app.scim('scim-users', 'POST', 'scim/v2/Users', token, { body: '{' });
    expect([notJson.status, notJson.body.schemas]).toEqual([400, [SCIM_SCHEMAS.error]]);
    const id = (
      await app.scim('scim-users', 'POST', 'scim/v2/Users', token, {
        body: entraUser('kim@acme.example'),
      })
    ).body.id as string;
    const badOp = await app.scim('scim-user', 'PATCH', `scim/v2/Users/${id}`, token, {
      params: { id },
      body: patchOp({ op: 'Move', path: 'active' }),
    });
    expect([badOp.status, badOp.body.scimType]).toEqual([400, 'invalidSyntax']);
    const badBool = await app.scim('scim-user', 'PATCH', `scim/v2/Users/${id}`, token, {
      params: { id },
      body: patchOp({ op: 'Replace', path: 'active', value: 'maybe' }),
    });
    expect([badBool.status, badBool.body.scimType]).toEqual([400, 'invalidValue']);
    const page = await app.scim('scim-users', 'GET', 'scim/v2/Users', token, {
      query: { startIndex: '2', count: '1' },
    });
    expect([page.body.totalResults, page.body.startIndex, page.body.itemsPerPage]).toEqual([
      1, 2, 0,
    ]);
  });
});

describe('SCIM requests in the usage ledger', () => {
  const counts = async (tenant: string) => {
    await boundUsageMeter(policy.registry!)!.flush();
    const items = await hourItems(await app.cosmos.container('usage', '/tenant'), tenant);
    return [items.reduce((s, i) => s + i.requests, 0), items.reduce((s, i) => s + i.refused, 0)];
  };

  it("are counted once each under the token's organization; a forged token once under anonymous", async () => {
    const token = await tokenOf('acme');
    const [acme, anonymous, globex] = await Promise.all(
      ['acme', ANONYMOUS_TENANT, 'globex'].map(counts),
    );
    const made = await app.scim('scim-users', 'POST', 'scim/v2/Users', token, {
      body: entraUser('kim@acme.example'),
    });
    expect(made.status).toBe(201);
    const id = made.body.id as string;
    expect((await app.scim('scim-users', 'GET', 'scim/v2/Users', token)).status).toBe(200);
    const missing = await app.scim('scim-user', 'GET', 'scim/v2/Users/nobody', token, {
      params: { id: 'nobody' },
    });
    expect(missing.status).toBe(404);
    expect(
      (await app.scim('scim-user', 'DELETE', `scim/v2/Users/${id}`, token, { params: { id } }))
        .status,
    ).toBe(204);
    expect(
      (await app.scim('scim-users', 'GET', 'scim/v2/Users', 'atakora-scim.forged')).status,
    ).toBe(401);
    expect(await counts('acme')).toEqual([acme![0]! + 4, acme![1]! + 1]);
    expect(await counts(ANONYMOUS_TENANT)).toEqual([anonymous![0]! + 1, anonymous![1]! + 1]);
    expect(await counts('globex')).toEqual(globex);
  });
});
