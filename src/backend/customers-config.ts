import { z } from 'zod';
import type { AuthConfig, NormalizedCustomers } from '../model/config.js';
import { AtakoraError } from '../model/errors.js';
import { CLIENT_ID_SHAPE } from '../kit/pure/external-tenant.js';

/**
 * The sign-in host's label: `<subdomain>.ciamlogin.com` (and the tenant's `<subdomain>.onmicrosoft.com`), the
 * "Domain Name" typed when the external tenant was created (Learn, "Create an external tenant",
 * https://learn.microsoft.com/entra/external-id/customers/how-to-create-external-tenant-portal). Being one DNS
 * label it is letters, digits and inner hyphens, at most 63 characters (RFC 1035 §2.3.4).
 */
const SUBDOMAIN = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;

/** `auth.externalTenant`: the tenant id (a GUID) and the subdomain (one DNS label). */
export const externalTenantSchema = z.strictObject({
  id: z.guid(),
  subdomain: z
    .string()
    .regex(
      SUBDOMAIN,
      "the external tenant's domain name without .onmicrosoft.com or .ciamlogin.com, e.g. 'contosoid'",
    ),
});

/** A social provider's client id: public, one token (the checks by provider are in {@link normalizeCustomers}). */
export const socialClientId = z.string().min(1).max(200).regex(/^\S+$/, 'a client id');

const invalid = (message: string, path: readonly (string | number)[], resolution: string) =>
  new AtakoraError('AUTH_SIGN_IN_AUDIENCE_INVALID', message, {
    path: ['config', 'auth', ...path],
    resolution,
  });

/**
 * The customer sign-in of `auth` after its cross-field rules, or undefined when the audience is not
 * `'customers'`: `externalTenant` required with it and refused without it (as are `emailSignIn` and
 * `identityProviders`), no `allowedTenants` (every customer has the external tenant's `tid`), a `tenantId` only
 * when it names the same tenant, each provider once, a client id of its provider's shape. Every refusal is
 * AUTH_SIGN_IN_AUDIENCE_INVALID naming the key. That customers need tenants by membership is a plan error
 * (AUTH_CUSTOMERS_NEED_MEMBERSHIP), not checked here.
 *
 * @example
 * ```ts
 * normalizeCustomers({
 *   signInAudience: 'customers',
 *   externalTenant: { id: '6F1C2B3A-0000-4000-8000-00000000C1A0', subdomain: 'ContosoID' },
 * });
 * // { tenantId: '6f1c2b3a-…', subdomain: 'contosoid', emailSignIn: 'one-time-code', identityProviders: [] }
 * ```
 */
export function normalizeCustomers(auth: AuthConfig | undefined): NormalizedCustomers | undefined {
  if (auth?.signInAudience !== 'customers') {
    const stray = (['externalTenant', 'emailSignIn', 'identityProviders'] as const).find(
      (k) => auth?.[k] !== undefined,
    );
    if (stray)
      throw invalid(
        `auth.${stray} belongs to a customer sign-in, but auth.signInAudience is not 'customers'.`,
        [stray],
        `Add signInAudience: 'customers' (with externalTenant) to sign customers in through Microsoft Entra ` +
          `External ID, or remove auth.${stray}.`,
      );
    return undefined;
  }
  const tenant = auth.externalTenant;
  if (!tenant)
    throw invalid(
      "auth.signInAudience 'customers' signs customers in through a Microsoft Entra External ID tenant, but " +
        'auth.externalTenant does not name it.',
      ['externalTenant'],
      "Create the external tenant in the Entra admin center (docs/sign-in.md#customers), then write externalTenant: { id: '<its tenant id>', subdomain: '<its domain name>' }.",
    );
  if (auth.allowedTenants !== undefined)
    throw invalid(
      'auth.allowedTenants lists directories, but every customer of an external tenant signs in with that ' +
        "tenant's id: there is no directory to choose.",
      ['allowedTenants'],
      "Remove allowedTenants; with tenants: { by: 'membership' } each customer's organizations are their memberships.",
    );
  const tenantId = tenant.id.toLowerCase();
  if (auth.tenantId !== undefined && auth.tenantId.toLowerCase() !== tenantId)
    throw invalid(
      `auth.tenantId ${auth.tenantId} is not the external tenant ${tenant.id}: customers' tokens are issued by ` +
        'the external tenant.',
      ['tenantId'],
      'Remove auth.tenantId (the external tenant issues the tokens), or make it the same id.',
    );
  return {
    tenantId,
    subdomain: tenant.subdomain.toLowerCase(),
    emailSignIn: auth.emailSignIn ?? 'one-time-code',
    identityProviders: identityProvidersOf(auth.identityProviders ?? []),
  };
}

function identityProvidersOf(
  given: NonNullable<AuthConfig['identityProviders']>,
): NormalizedCustomers['identityProviders'] {
  const out: { type: 'google' | 'facebook'; clientId?: string }[] = [];
  given.forEach((p, i) => {
    const type = typeof p === 'string' ? p : p.type;
    if (out.some((o) => o.type === type))
      throw invalid(
        `auth.identityProviders[${String(i)}] names ${type} a second time.`,
        ['identityProviders', i],
        `Name ${type} once.`,
      );
    if (typeof p === 'string') {
      out.push({ type });
      return;
    }
    const shape = CLIENT_ID_SHAPE[type];
    if (!shape.pattern.test(p.clientId))
      throw invalid(
        `auth.identityProviders[${String(i)}].clientId is not a ${type} client id (such as ${shape.example}); ` +
          'if it is the secret, it must never be in the config.',
        ['identityProviders', i, 'clientId'],
        `Write the client id from ${type === 'google' ? "Google's console" : "Meta's app settings"}; keep the secret in the vault: atakora secret set <entry> ${shape.secret} --environment <env>.`,
      );
    out.push({ type, clientId: p.clientId });
  });
  return out.sort((a, b) => (a.type === b.type ? 0 : a.type === 'google' ? -1 : 1));
}
