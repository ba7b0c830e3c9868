// The SCIM tokens of the proof's stack (DESIGN §2, "Organizations that enterprises can buy"): the SCIM columns'
// bearers, and the requests the proof itself makes with a token (its reads and fixtures, never a column's).
import type { MatrixPrincipal } from '../../access/matrix/types.js';
import { devCallerHeaders } from './dev-stack.js';
import { type LoopbackReply, send } from './loopback-http.js';
import type { Proof } from './proof-context.js';

/**
 * A SCIM request with `token` as the bearer and no sign-in, counted among the proof's requests.
 *
 * @example
 * ```ts
 * await scimAs(proof, url, token, 'GET', 'Users');
 * ```
 */
export async function scimAs(
  proof: Proof,
  url: string,
  token: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<LoopbackReply> {
  proof.report.requests += 1;
  return send(
    method,
    `${url}/api/scim/v2/${path}`,
    { ...devCallerHeaders('anonymous'), authorization: `Bearer ${token}` },
    body,
  );
}

/**
 * An Owner issues a SCIM token of its organization on the proof's stack (fails loudly when the stack refuses): its
 * id and secret.
 *
 * @example
 * ```ts
 * const { id, token } = await issueScimToken(proof, url, owner, 'verify scim');
 * ```
 */
export async function issueScimToken(
  proof: Proof,
  url: string,
  owner: MatrixPrincipal,
  name: string,
): Promise<{ id: string; token: string }> {
  const r = await proof.call(url, 'POST', 'api/tenant/scim-tokens', owner, { name });
  const body = r.body as { id?: unknown; token?: unknown } | undefined;
  if (r.status !== 201 || typeof body?.id !== 'string' || typeof body.token !== 'string')
    throw new Error(
      `Issuing a SCIM token in ${owner.organization ?? ''} on the proof stack answered ${String(r.status)}`,
    );
  return { id: body.id, token: body.token };
}

/**
 * The SCIM columns' tokens, before any proof sends a request: the home organization's Owner issues two, revokes the
 * second; `proof.call` sends them as the `scim` and `scim.revoked` columns' bearer.
 *
 * @example
 * ```ts
 * await issueScimTokens(proof, url, matrix.principals);
 * ```
 */
export async function issueScimTokens(
  proof: Proof,
  url: string,
  principals: readonly MatrixPrincipal[],
): Promise<void> {
  const owner = principals.find((p) => p.key === 'home.role.Owner');
  if (!owner || !principals.some((p) => p.scim !== undefined)) return;
  proof.scimTokens.valid = (await issueScimToken(proof, url, owner, 'verify scim')).token;
  const revoked = await issueScimToken(proof, url, owner, 'verify scim revoked');
  const r = await proof.call(url, 'DELETE', `api/tenant/scim-tokens/${revoked.id}`, owner);
  if (r.status !== 204)
    throw new Error(`Revoking a SCIM token on the proof stack answered ${String(r.status)}`);
  proof.scimTokens.revoked = revoked.token;
}
