import { randomBytes } from 'node:crypto';
import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import {
  type CreatedScimToken,
  MAX_SCIM_TOKENS_PER_ORGANIZATION,
  type ScimToken,
} from '../../../contract/scim/scim.js';
import { readJsonObject } from '../../http/body.js';
import { emptyResponse, jsonResponse, problemResponse } from '../../http/response.js';
import { owning } from '../domains/domain-operations.js';
import { type Actor, nowOf, recordMemberAudit } from '../members-api.js';
import type { StoredScimToken } from './scim-items.js';
import type { ScimApi } from './scim-api.js';
import { newScimSecret, scimTokenHash } from './scim-token.js';

const MAX_NAME = 100;

const shown = (t: StoredScimToken): ScimToken => ({
  id: t.id,
  ...(t.name !== undefined ? { name: t.name } : {}),
  createdOn: t.createdOn,
});

/**
 * `POST api/tenant/scim-tokens { name? }` by an Owner → 201 `{ id, token, createdOn }`: the token shown this once,
 * its SHA-256 stored. 409 `scim-token-limit` past {@link MAX_SCIM_TOKENS_PER_ORGANIZATION}; 400 `validation` for a
 * name that is not a short string.
 *
 * @example
 * ```ts
 * // POST /api/tenant/scim-tokens { "name": "Entra" } → 201 { "id": "…", "token": "atakora-scim.…", "createdOn": "…" }
 * ```
 */
export function createScimToken(
  api: ScimApi,
  actor: Actor,
  tenant: string,
  request: HttpRequest,
): Promise<HttpResponseInit> {
  return owning(actor, tenant, 'issues SCIM tokens', async () => {
    const body = await readJsonObject(request);
    if (!body.ok) return body.response;
    const { name, ...rest } = body.value;
    const unknown = Object.keys(rest);
    if (
      unknown.length > 0 ||
      (name !== undefined && (typeof name !== 'string' || name.length > MAX_NAME))
    )
      return problemResponse(
        'validation',
        'A SCIM token takes { name? } (a string of up to 100).',
        {
          errors: unknown.length
            ? unknown.map((f) => ({ field: f, code: 'unknown', message: `${f} is not a field.` }))
            : [{ field: 'name', code: 'type', message: 'name must be a string of up to 100.' }],
        },
      );
    const held = await api.scim.tokens(tenant);
    if (held.length >= MAX_SCIM_TOKENS_PER_ORGANIZATION)
      return problemResponse(
        'scim-token-limit',
        `Organization ${tenant} holds ${String(held.length)} SCIM tokens already: revoke one ` +
          '(DELETE api/tenant/scim-tokens/{id}) before issuing another.',
      );
    const token = newScimSecret();
    const stored: StoredScimToken = {
      tenant,
      id: randomBytes(9).toString('base64url'),
      hash: scimTokenHash(token),
      createdOn: nowOf(api).toISOString(),
      ...(typeof name === 'string' && name.trim() ? { name: name.trim() } : {}),
    };
    await api.scim.createToken(stored);
    await recordMemberAudit(api, actor, tenant, 'scim.token-created', stored.id);
    const created: CreatedScimToken = { ...shown(stored), token };
    return jsonResponse(201, created);
  });
}

/**
 * `GET api/tenant/scim-tokens` by an Owner → 200 `{ items: [{ id, name?, createdOn }] }`, never a secret.
 *
 * @example
 * ```ts
 * // GET /api/tenant/scim-tokens → 200 { "items": [{ "id": "…", "name": "Entra", "createdOn": "…" }] }
 * ```
 */
export function listScimTokens(
  api: ScimApi,
  actor: Actor,
  tenant: string,
): Promise<HttpResponseInit> {
  return owning(actor, tenant, 'lists SCIM tokens', async () => {
    const items = [...(await api.scim.tokens(tenant))]
      .sort((a, b) => a.createdOn.localeCompare(b.createdOn))
      .map(shown);
    return jsonResponse(200, { items });
  });
}

/**
 * `DELETE api/tenant/scim-tokens/{id}` by an Owner → 204: the token admits nothing from then on; 404 for a token
 * the organization does not hold.
 *
 * @example
 * ```ts
 * // DELETE /api/tenant/scim-tokens/k3x9qa7b → 204
 * ```
 */
export function revokeScimToken(
  api: ScimApi,
  actor: Actor,
  tenant: string,
  id: string,
): Promise<HttpResponseInit> {
  return owning(actor, tenant, 'revokes SCIM tokens', async () => {
    if (!(await api.scim.removeToken(tenant, id)))
      return problemResponse('not-found', `Organization ${tenant} has no SCIM token ${id}.`);
    await recordMemberAudit(api, actor, tenant, 'scim.token-revoked', id);
    return emptyResponse(204);
  });
}
