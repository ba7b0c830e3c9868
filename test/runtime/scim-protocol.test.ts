/**
 * SCIM as Microsoft Entra's provisioning service and Okta send it (DESIGN §2, "Organizations that enterprises can
 * buy": PUT, `Schemas/{id}`, `ResourceTypes/{id}`, `attributes`/`excludedAttributes` on every read, every attribute a
 * PATCH may add, replace or remove kept exactly, SCIM error bodies on every 4xx), through the request pipeline against
 * the local Cosmos DB server. The bodies are those of Learn, "Tutorial: Develop and plan provisioning for a SCIM
 * endpoint" (its user and group operations) and "Known issues and resolutions with SCIM 2.0 protocol compliance"
 * (its request examples, with and without the compliance flag), and of Okta's "SCIM 2.0 protocol reference" (PUT of a
 * user, a group renamed by a no-path replace naming its `id`).
 */
import { describe, expect, it } from 'vitest';
import { SCIM_SCHEMAS } from '../../src/contract/scim/scim.js';
import { person } from './support/scim-app.js';
import { scimSuite } from './support/scim-suite.js';
import type { Reply } from './support/http.js';

const app = scimSuite({ token: 'Entra' });

const ENTERPRISE = SCIM_SCHEMAS.enterpriseUser;
const patchOp = (...Operations: unknown[]) => ({ schemas: [SCIM_SCHEMAS.patchOp], Operations });
const user = (id: string, method: string, body?: unknown, query?: Record<string, string>) =>
  app.scim('scim-user', method, `scim/v2/Users/${id}`, app.token, {
    params: { id },
    ...(body === undefined ? {} : { body }),
    ...(query ? { query } : {}),
  });
const group = (id: string, method: string, body?: unknown, query?: Record<string, string>) =>
  app.scim('scim-group', method, `scim/v2/Groups/${id}`, app.token, {
    params: { id },
    ...(body === undefined ? {} : { body }),
    ...(query ? { query } : {}),
  });

/** Learn's Create User request (the tutorial's "Create User"). */
const entraUser = {
  schemas: [SCIM_SCHEMAS.user, ENTERPRISE],
  externalId: '0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef',
  userName: 'Test_User_00aa00aa-bb11-cc22-dd33-44ee44ee44ee',
  active: true,
  emails: [{ primary: true, type: 'work', value: 'Test_User_11bb11bb@testuser.com' }],
  meta: { resourceType: 'User' },
  name: { formatted: 'givenName familyName', familyName: 'familyName', givenName: 'givenName' },
  roles: [],
};

async function created(body: unknown = entraUser): Promise<string> {
  const r = await app.scim('scim-users', 'POST', 'scim/v2/Users', app.token, { body });
  expect(r.status, r.text).toBe(201);
  return r.body.id as string;
}

const scimError = (r: Reply, status: number, scimType?: string) => {
  expect(r.status, r.text).toBe(status);
  expect(r.headers.get('content-type')).toContain('application/scim+json');
  expect(r.body).toMatchObject({ schemas: [SCIM_SCHEMAS.error], status: String(status) });
  expect(r.body.scimType).toBe(scimType);
};

describe('discovery by id', () => {
  it('serves Schemas/{id} and ResourceTypes/{id} with their location; an unknown id is a SCIM 404', async () => {
    const s = await app.scim('scim-schema', 'GET', `scim/v2/Schemas/${ENTERPRISE}`, app.token, {
      params: { id: ENTERPRISE },
    });
    expect(s.status).toBe(200);
    expect(s.body).toMatchObject({ id: ENTERPRISE, name: 'EnterpriseUser' });
    expect(s.body.meta.location).toBe(`https://app.test/api/scim/v2/Schemas/${ENTERPRISE}`);
    const t = await app.scim('scim-resource-type', 'GET', 'scim/v2/ResourceTypes/User', app.token, {
      params: { id: 'User' },
    });
    expect(t.body).toMatchObject({
      endpoint: '/Users',
      schemaExtensions: [{ schema: ENTERPRISE }],
    });
    for (const [name, path] of [
      ['scim-schema', 'Schemas'],
      ['scim-resource-type', 'ResourceTypes'],
    ] as const) {
      const id = 'a5e6b1c0-0000-4000-8000-000000000000';
      scimError(
        await app.scim(name, 'GET', `scim/v2/${path}/${id}`, app.token, { params: { id } }),
        404,
      );
    }
    // Discovery is read-only: any other method a SCIM 405 naming what it serves.
    const post = await app.scim(
      'scim-service-provider-config',
      'POST',
      'scim/v2/ServiceProviderConfig',
      app.token,
      {
        body: {},
      },
    );
    scimError(post, 405);
    expect(post.headers.get('allow')).toBe('GET');
  });
});

describe('PUT (RFC 7644 §3.5.1)', () => {
  it('replaces a user as Okta sends it: what the body leaves out is gone, active kept; a taken name is 409', async () => {
    const id = await created({ ...entraUser, displayName: 'Kim', title: 'Engineer' });
    const okta = {
      schemas: [SCIM_SCHEMAS.user],
      id,
      userName: 'test.user@okta.local',
      name: { givenName: 'Another', middleName: '', familyName: 'User' },
      emails: [
        {
          primary: true,
          value: 'test.user@okta.local',
          type: 'work',
          display: 'test.user@okta.local',
        },
      ],
      locale: 'en-US',
      externalId: '00ujl29u0le5T6Aj10h7',
      groups: [],
      password: '1mz050nq',
      active: true,
    };
    const put = await user(id, 'PUT', okta);
    expect(put.status, put.text).toBe(200);
    const got = (await user(id, 'GET')).body;
    expect(got).toEqual({ ...put.body });
    const { id: _i, groups: _g, password: _p, ...kept } = okta;
    expect(got).toMatchObject(kept);
    expect(got.displayName).toBeUndefined();
    expect(got.title).toBeUndefined();
    expect(got.password).toBeUndefined();
    const other = await created({ userName: 'lee@acme.example' });
    scimError(
      await user(other, 'PUT', { ...okta, userName: 'TEST.USER@okta.local' }),
      409,
      'uniqueness',
    );
    scimError(
      await user(other, 'PUT', { schemas: [SCIM_SCHEMAS.user], active: true }),
      400,
      'invalidValue',
    );
  });

  it('replaces a group: its members and externalId as sent, past 1,000 members refused before anything is written', async () => {
    const g = await app.scim('scim-groups', 'POST', 'scim/v2/Groups', app.token, {
      body: {
        schemas: [SCIM_SCHEMAS.group],
        displayName: 'Ops',
        externalId: 'obj-1',
        members: [{ value: 'u-1' }],
      },
    });
    const id = g.body.id as string;
    const put = await group(id, 'PUT', {
      schemas: [SCIM_SCHEMAS.group],
      id,
      displayName: 'Ops',
      members: [{ value: 'u-2', display: 'Kim' }],
    });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ displayName: 'Ops', members: [{ value: 'u-2' }] });
    expect(put.body.externalId).toBeUndefined();
    const many = Array.from({ length: 1001 }, (_x, i) => ({ value: `m-${String(i)}` }));
    scimError(await group(id, 'PUT', { displayName: 'Ops', members: many }), 400, 'invalidValue');
    expect((await group(id, 'GET')).body.members).toEqual([{ value: 'u-2' }]);
  });
});

describe('every attribute a PATCH touches, kept exactly', () => {
  it("keeps Entra's requests (without and with the compliance flag) and Okta's", async () => {
    const id = await created();
    const steps = [
      patchOp({ op: 'Add', path: 'nickName', value: 'Babs' }),
      patchOp(
        { op: 'Replace', path: 'displayName', value: 'Pvlo' },
        {
          op: 'Replace',
          path: 'emails[type eq "work"].value',
          value: 'TestBcwqnm@test.microsoft.com',
        },
        { op: 'Replace', path: 'name.givenName', value: 'Gtfd' },
        { op: 'Replace', path: 'externalId', value: 'Eqpj' },
        { op: 'Replace', path: `${ENTERPRISE}:employeeNumber`, value: 'Eqpj' },
      ),
      patchOp({
        op: 'replace',
        value: {
          displayName: 'Bjfe',
          'name.familyName': 'Unua',
          [`${ENTERPRISE}:employeeNumber`]: 'Aklq',
        },
      }),
      patchOp({ op: 'Add', path: 'phoneNumbers[type eq "mobile"].value', value: '+1 555 0100' }),
      patchOp({ op: 'Add', path: `${ENTERPRISE}:manager`, value: 'manager-id' }),
      patchOp({ op: 'replace', value: { active: false } }),
    ];
    for (const body of steps) expect((await user(id, 'PATCH', body)).status).toBe(200);
    const got = (await user(id, 'GET')).body;
    expect(got).toMatchObject({
      schemas: [SCIM_SCHEMAS.user, ENTERPRISE],
      nickName: 'Babs',
      displayName: 'Bjfe',
      externalId: 'Eqpj',
      active: false,
      name: { formatted: 'givenName familyName', familyName: 'Unua', givenName: 'Gtfd' },
      emails: [{ value: 'TestBcwqnm@test.microsoft.com', type: 'work', primary: true }],
      phoneNumbers: [{ value: '+1 555 0100', type: 'mobile' }],
      [ENTERPRISE]: { employeeNumber: 'Aklq', manager: { value: 'manager-id' } },
    });
    // Each removed is gone from the next GET; a required one cannot be removed.
    for (const path of [
      'nickName',
      'name.givenName',
      'phoneNumbers',
      `${ENTERPRISE}:employeeNumber`,
      'externalId',
      'active',
    ])
      expect((await user(id, 'PATCH', patchOp({ op: 'Remove', path }))).status).toBe(200);
    const after = (await user(id, 'GET')).body;
    for (const k of ['nickName', 'phoneNumbers', 'externalId', 'active'])
      expect(after[k], k).toBeUndefined();
    expect(after.name).toEqual({ formatted: 'givenName familyName', familyName: 'Unua' });
    expect(after[ENTERPRISE]).toEqual({ manager: { value: 'manager-id' } });
    scimError(
      await user(id, 'PATCH', patchOp({ op: 'Remove', path: 'userName' })),
      400,
      'mutability',
    );
    scimError(await user(id, 'PATCH', patchOp({ op: 'Remove' })), 400, 'noTarget');
    scimError(
      await user(
        id,
        'PATCH',
        patchOp({ op: 'Replace', path: 'emails[type co "w"].value', value: 'x' }),
      ),
      400,
      'invalidFilter',
    );
    scimError(
      await user(
        id,
        'PATCH',
        patchOp({ op: 'Replace', path: 'emails[type eq "work"', value: 'x' }),
      ),
      400,
      'invalidPath',
    );
    scimError(
      await user(id, 'PATCH', patchOp({ op: 'Replace', path: 'id', value: 'x' })),
      400,
      'mutability',
    );
  });

  it("keeps a group's externalId and displayName; Okta renames with a no-path replace naming the group's id", async () => {
    const g = await app.scim('scim-groups', 'POST', 'scim/v2/Groups', app.token, {
      body: {
        schemas: [
          SCIM_SCHEMAS.group,
          'http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group',
        ],
        externalId: '8aa1a0c0',
        displayName: 'displayName',
        meta: { resourceType: 'Group' },
      },
    });
    const id = g.body.id as string;
    expect(
      (await group(id, 'PATCH', patchOp({ op: 'Replace', path: 'externalId', value: 'obj-2' })))
        .status,
    ).toBe(204);
    expect(
      (
        await group(
          id,
          'PATCH',
          patchOp({ op: 'replace', value: { id, displayName: 'Test SCIMv2' } }),
        )
      ).status,
    ).toBe(204);
    expect((await group(id, 'GET')).body).toMatchObject({
      externalId: 'obj-2',
      displayName: 'Test SCIMv2',
    });
    expect((await group(id, 'PATCH', patchOp({ op: 'Remove', path: 'externalId' }))).status).toBe(
      204,
    );
    expect((await group(id, 'GET')).body.externalId).toBeUndefined();
    scimError(
      await group(
        id,
        'PATCH',
        patchOp({ op: 'replace', value: { id: 'another', displayName: 'X' } }),
      ),
      400,
      'mutability',
    );
    // A PATCH asking for attributes answers 200 with the group (RFC 7644 §3.5.2).
    const shown = await group(
      id,
      'PATCH',
      patchOp({ op: 'Add', path: 'members', value: [{ value: 'u-1' }] }),
      { attributes: 'members' },
    );
    expect([shown.status, shown.body]).toEqual([
      200,
      { schemas: [SCIM_SCHEMAS.group], id, members: [{ value: 'u-1' }] },
    ]);
  });
});

describe('attributes and excludedAttributes (RFC 7644 §3.9)', () => {
  it('apply to GET one, lists, and what POST, PUT and PATCH answer; id and schemas always there', async () => {
    const made = await app.scim('scim-users', 'POST', 'scim/v2/Users', app.token, {
      body: { ...entraUser, [ENTERPRISE]: { department: 'Ops' } },
      query: { attributes: 'userName' },
    });
    const id = made.body.id as string;
    expect(made.body).toEqual({ schemas: [SCIM_SCHEMAS.user], id, userName: entraUser.userName });
    const one = await user(id, 'GET', undefined, {
      attributes: `name.givenName,${ENTERPRISE}:department`,
    });
    expect(one.body).toEqual({
      schemas: [SCIM_SCHEMAS.user, ENTERPRISE],
      id,
      name: { givenName: 'givenName' },
      [ENTERPRISE]: { department: 'Ops' },
    });
    const without = await user(id, 'GET', undefined, { excludedAttributes: 'emails,meta,name,id' });
    expect(without.body.id).toBe(id);
    for (const k of ['emails', 'meta', 'name']) expect(without.body[k]).toBeUndefined();
    expect(without.body.userName).toBe(entraUser.userName);
    const listed = await app.scim('scim-users', 'GET', 'scim/v2/Users', app.token, {
      query: { filter: `externalId eq "${entraUser.externalId}"`, attributes: 'active' },
    });
    expect(listed.body.Resources).toEqual([{ schemas: [SCIM_SCHEMAS.user], id, active: true }]);
    const patched = await user(
      id,
      'PATCH',
      patchOp({ op: 'Replace', path: 'title', value: 'CTO' }),
      { excludedAttributes: 'emails' },
    );
    expect(patched.body.title).toBe('CTO');
    expect(patched.body.emails).toBeUndefined();
    const put = await user(
      id,
      'PUT',
      { userName: 'x@acme.example' },
      { attributes: 'userName,active' },
    );
    expect(put.body).toEqual({
      schemas: [SCIM_SCHEMAS.user],
      id,
      userName: 'x@acme.example',
      active: true,
    });
  });
});

describe('the SCIM actor', () => {
  it("names the token that provisioned a user on the member.added of their first sign-in, not 'scim'", async () => {
    const issued = await app.issue('acme', 'Okta');
    const okta = issued.body.token as string;
    const made = await app.scim('scim-users', 'POST', 'scim/v2/Users', okta, {
      body: { schemas: [SCIM_SCHEMAS.user], userName: 'kim@acme.example', active: true },
    });
    expect(made.status).toBe(201);
    const first = await app.call('tenant-self', 'GET', 'tenant', {
      headers: { ...person('kim', 'kim@acme.example'), 'x-atakora-tenant': 'acme' },
    });
    expect(first.status).toBe(200);
    const { resources } = await app.audit.items
      .query("SELECT * FROM c WHERE c.tenant = 'acme' AND c.action = 'member.added'")
      .fetchAll();
    expect(resources.map((e) => e.actor)).toEqual([
      { id: `scim:${String(issued.body.id)}`, via: 'scim' },
    ]);
  });
});

describe('SCIM errors on every 4xx', () => {
  it('answers a body that is not JSON, too large, or of another type, and an unknown method, as SCIM errors', async () => {
    scimError(
      await app.scim('scim-users', 'POST', 'scim/v2/Users', app.token, { body: '{' }),
      400,
      'invalidSyntax',
    );
    const text = await app.call('scim-users', 'POST', 'scim/v2/Users', {
      headers: { authorization: `Bearer ${app.token}`, 'content-type': 'text/plain' },
      body: 'userName=kim',
    });
    scimError(text, 415);
    const huge = await app.scim('scim-users', 'POST', 'scim/v2/Users', app.token, {
      body: { userName: 'kim@acme.example', title: 'x'.repeat(1_100_000) },
    });
    scimError(huge, 413);
    const id = await created();
    scimError(await user(id, 'POST', {}), 405);
    scimError(await app.scim('scim-users', 'DELETE', 'scim/v2/Users', app.token), 405);
    const forged = await app.call('scim-users', 'GET', 'scim/v2/Users', {
      headers: { authorization: 'Bearer atakora-scim.x' },
    });
    scimError(forged, 401);
    scimError(
      await user(id, 'PATCH', patchOp({ op: 'Replace', path: 'title', value: 7 })),
      400,
      'invalidValue',
    );
    scimError(
      await app.scim('scim-users', 'GET', 'scim/v2/Users', app.token, {
        query: { filter: 'title pr' },
      }),
      400,
      'invalidFilter',
    );
  });
});
