/**
 * `atakora dev` with tenants by membership: `--user alice@example.com` (or the dev-user header's
 * `bob@example.com`) is a user with that verified email — the principal the worker injects carries `email` and
 * `xms_edov: true`, which the runtime's verified-email rule takes — while a `<user>@<tenant>` stays a user of that
 * directory with no email, and directory backends keep reading `alice@contoso` as before.
 */
import { describe, expect, it } from 'vitest';
import { normalizeConfig } from '../../src/backend/normalize-config.js';
import { admissionPolicy } from '../../src/kit/pure/tenant-registry.js';
import { directoryRefusal } from '../../src/runtime/caller/tenant-admission.js';
import { customersConfig, EXTERNAL_TENANT } from '../support/customers-config.js';
import { clientPrincipalOf } from '../../src/runtime/caller/client-principal.js';
import { verifiedEmailOf } from '../../src/runtime/caller/verified-email.js';
import {
  DEFAULT_DEV_USER,
  devCallerHeaders,
  devUserOf,
  devUserOfHeader,
  emailUserOf,
  principalHeaderFor,
} from '../../src/cli/dev/sign-in/sign-in.js';

const principal = (header: string | undefined) => clientPrincipalOf(header);

describe('dev users with an email (tenants by membership)', () => {
  it('--user alice@example.com is that verified email; alice@contoso is not an email', () => {
    const alice = emailUserOf(devUserOf('Alice@Example.com') ?? DEFAULT_DEV_USER);
    expect(alice).toEqual({
      oid: 'alice@example.com',
      tid: 'local-dev',
      name: 'Alice',
      email: 'alice@example.com',
    });
    expect(emailUserOf(devUserOf('alice@contoso') ?? DEFAULT_DEV_USER)).toEqual({
      oid: 'alice',
      tid: 'contoso',
      name: 'alice',
    });
    const withRoles = emailUserOf(
      devUserOf('ops@example.com', undefined, 'TenantAdmin') ?? DEFAULT_DEV_USER,
    );
    expect(withRoles.roles).toEqual(['TenantAdmin']);
  });

  it('the injected principal proves the email to the runtime, in membership mode only', () => {
    const session = emailUserOf(devUserOf('alice@example.com') ?? DEFAULT_DEV_USER);
    expect(verifiedEmailOf(principal(principalHeaderFor(undefined, session, 'tid', true)))).toBe(
      'alice@example.com',
    );
    // The header names another email user; anonymous stays anonymous.
    expect(
      verifiedEmailOf(principal(principalHeaderFor('Bob@Example.com', session, 'tid', true))),
    ).toBe('bob@example.com');
    expect(principalHeaderFor('anonymous', session, 'tid', true)).toBeUndefined();
    // A directory backend: bob@example.com is user bob of directory example.com, with no email claim.
    const plain = principal(principalHeaderFor('bob@example.com', DEFAULT_DEV_USER, 'tid', false));
    expect(verifiedEmailOf(plain)).toBeUndefined();
    expect(plain?.claims.find((c) => c.typ === 'tid')?.val).toBe('example.com');
  });

  it(';email-verified=false signs in the same user with an e-mail the token does not vouch for', () => {
    const session = emailUserOf(devUserOf('alice@example.com') ?? DEFAULT_DEV_USER);
    const kim = principal(
      principalHeaderFor('Kim@Contoso.com;email-verified=false', session, 'tid', true),
    );
    // The same identity and e-mail claim as without the flag, but no xms_edov: no verified e-mail.
    expect(kim?.claims.find((c) => c.typ === 'email')?.val).toBe('kim@contoso.com');
    expect(
      kim?.claims.find(
        (c) => c.typ === 'http://schemas.microsoft.com/identity/claims/objectidentifier',
      )?.val,
    ).toBe('kim@contoso.com');
    expect(verifiedEmailOf(kim)).toBeUndefined();
    const both = principal(
      principalHeaderFor('kim@contoso.com;roles=Reader;email-verified=true', session, 'tid', true),
    );
    expect([verifiedEmailOf(both), both?.claims.find((c) => c.typ === 'roles')?.val]).toEqual([
      'kim@contoso.com',
      'Reader',
    ]);
    // Anything else after `email-verified=` is a malformed header: nobody signs in.
    expect(principalHeaderFor('kim@contoso.com;email-verified=maybe', session, 'tid', true)).toBe(
      undefined,
    );
  });

  it(';email= signs in a user of a directory with a verified e-mail at once, as Entra issues one', () => {
    const session = emailUserOf(devUserOf('alice@example.com') ?? DEFAULT_DEV_USER);
    const dir = '3f2504e0-4f89-41d3-9a0c-0305e82c3301';
    const claim = (p: ReturnType<typeof principal>, typ: string) =>
      p?.claims.find((c) => c.typ === typ)?.val;
    const ada = principal(
      principalHeaderFor(`ada@${dir};email=Ada@Acme.example;roles=Reader`, session, 'tid', true),
    );
    // The directory's own user (oid, tid) with the e-mail the token vouches for: both reach the runtime.
    expect([
      claim(ada, 'http://schemas.microsoft.com/identity/claims/objectidentifier'),
      claim(ada, 'tid'),
      verifiedEmailOf(ada),
      claim(ada, 'roles'),
    ]).toEqual(['ada', dir, 'ada@acme.example', 'Reader']);
    // Not vouched for: the e-mail claim without xms_edov, as Entra often sends it.
    const unverified = principal(
      principalHeaderFor(
        `ada@${dir};email=ada@acme.example;email-verified=false`,
        session,
        'tid',
        true,
      ),
    );
    expect([
      claim(unverified, 'tid'),
      claim(unverified, 'email'),
      verifiedEmailOf(unverified),
    ]).toEqual([dir, 'ada@acme.example', undefined]);
    // On a directory backend too (no e-mail users): the directory stays, the e-mail is carried.
    expect(
      verifiedEmailOf(
        principal(principalHeaderFor(`ada@${dir};email=ada@acme.example`, DEFAULT_DEV_USER)),
      ),
    ).toBe('ada@acme.example');
    expect(devUserOfHeader(`ada@${dir};email=ada@acme.example`)).toEqual({
      oid: 'ada',
      tid: dir,
      name: 'ada',
      email: 'ada@acme.example',
    });
    // An e-mail that is none is a malformed header: nobody signs in.
    expect(
      principalHeaderFor(`ada@${dir};email=not-an-address`, session, 'tid', true),
    ).toBeUndefined();
    expect(
      devCallerHeaders({ who: `ada@${dir}`, email: 'ada@acme.example', roles: ['Reader'] }),
    ).toEqual({
      'x-atakora-dev-user': `ada@${dir};roles=Reader;email=ada@acme.example`,
    });
  });

  it('an email claim alone is no verified email; verified_primary_email is', () => {
    expect(
      verifiedEmailOf({ authType: 'aad', claims: [{ typ: 'email', val: 'a@example.com' }] }),
    ).toBeUndefined();
    expect(
      verifiedEmailOf({
        authType: 'aad',
        claims: [
          { typ: 'email', val: 'a@example.com' },
          { typ: 'xms_edov', val: 'false' },
        ],
      }),
    ).toBeUndefined();
    expect(
      verifiedEmailOf({
        authType: 'aad',
        claims: [{ typ: 'verified_primary_email', val: 'A@Example.com' }],
      }),
    ).toBe('a@example.com');
    expect(
      verifiedEmailOf({
        authType: 'aad',
        claims: [
          {
            typ: 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress',
            val: 'c@example.com',
          },
          { typ: 'xms_edov', val: '1' },
        ],
      }),
    ).toBe('c@example.com');
  });
});

describe('a customers backend under dev admits only its external tenant’s users, as in Azure', () => {
  const policy = {
    required: true,
    tenantClaim: 'tid',
    trustTenantHeader: false,
    ...admissionPolicy(normalizeConfig(customersConfig)),
  };
  const external = EXTERNAL_TENANT.toLowerCase();
  const tidOf = (header: string | undefined, session = DEFAULT_DEV_USER) =>
    principal(principalHeaderFor(header, session, 'tid', external))?.claims.find(
      (c) => c.typ === 'tid',
    )?.val;

  it('pins the runtime to the external tenant: another directory is 403 tenant-not-allowed', () => {
    expect(policy.allowedTenants).toEqual([external]);
    expect(directoryRefusal(policy, 'contoso')?.status).toBe(403);
    expect(directoryRefusal(policy, external)).toBeUndefined();
  });

  it('dev signs its customers in from the external tenant; bob@contoso stays of contoso, refused', () => {
    expect(tidOf('alice@example.com')).toBe(external);
    expect(tidOf(undefined)).toBe(external);
    expect(
      tidOf(undefined, emailUserOf(devUserOf('ada@example.com') ?? DEFAULT_DEV_USER, external)),
    ).toBe(external);
    expect(tidOf('bob@contoso')).toBe('contoso');
    expect(directoryRefusal(policy, tidOf('bob@contoso'))?.status).toBe(403);
    expect(directoryRefusal(policy, tidOf('alice@example.com'))).toBeUndefined();
  });

  it('a workforce membership backend admits only its allowedTenants', () => {
    const workforce = {
      required: true,
      tenantClaim: 'tid',
      trustTenantHeader: false,
      ...admissionPolicy(
        normalizeConfig({
          auth: {
            signInAudience: 'AzureADMultipleOrgs',
            allowedTenants: ['33333333-3333-4333-8333-333333333333'],
          },
          tenants: { by: 'membership', plans: { free: {} }, defaultPlan: 'free' },
        }),
      ),
    };
    expect(directoryRefusal(workforce, 'contoso')?.status).toBe(403);
    expect(directoryRefusal(workforce, '33333333-3333-4333-8333-333333333333')).toBeUndefined();
  });
});
