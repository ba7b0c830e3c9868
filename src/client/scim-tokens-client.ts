import type { CreatedScimToken, ScimToken } from '../contract/scim/scim.js';
import { SCIM_TOKEN_ROUTES } from '../contract/scim/scim.js';
import { apiPrefixOf } from './domains-client.js';
import { send, type Transport } from './transport.js';
import type { ScimTokensClient } from './types.js';
import { urlSegment } from './url-segment.js';

type Signal = { readonly signal?: AbortSignal } | undefined;
const signal = (o: Signal) => (o?.signal ? { signal: o.signal } : {});

/**
 * `client.tenant.scimTokens`: the SCIM tokens of the organization the client acts in (an Owner) — `create` answers
 * the token once, `list` never does, `revoke` ends one.
 *
 * @example
 * ```ts
 * const { token } = await client.tenant.scimTokens.create({ name: 'Entra' }); // paste into Entra's Secret Token
 * ```
 */
export function scimTokensMember(t: Transport): ScimTokensClient {
  const at: Transport = { ...t, baseUrl: `${apiPrefixOf(t.baseUrl)}/${SCIM_TOKEN_ROUTES.tokens}` };
  return {
    create: async (o, options) =>
      (
        await send(at, {
          method: 'POST',
          path: '',
          body: o?.name === undefined ? {} : { name: o.name },
          ...signal(options),
        })
      ).body as CreatedScimToken,
    list: async (options) =>
      (
        (await send(at, { method: 'GET', path: '', ...signal(options) })).body as {
          items: ScimToken[];
        }
      ).items,
    revoke: async (id, options) => {
      await send(at, {
        method: 'DELETE',
        path: `/${urlSegment(id, ['tenant', 'scimTokens', 'revoke', 'id'])}`,
        ...signal(options),
      });
    },
  };
}
