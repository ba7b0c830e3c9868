import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { JSONRPC_ERRORS, rpcError } from '../../contract/mcp/protocol.js';
import {
  DEV_ORIGINS_SETTING,
  type RuntimeAuth,
  SITE_ORIGINS_SETTING,
  ACCEPT_URL_SETTING,
} from '../../model/runtime-manifest.js';
import type { Passed, RequestContext } from '../pipeline/context.js';
import { PASS, refuse } from '../pipeline/stage-list.js';
import { rpcJson } from './rpc-json.js';

/** What the endpoint's entry adds for a request from a foreign origin: its 403, answered inside the ledger's pass. */
export interface OriginChecked {
  readonly forbidden?: HttpResponseInit | undefined;
}

/**
 * Origin: a request whose `Origin` is none of the app's sites' (nor, under `atakora dev`, dev's) is forbidden — MCP
 * 2025-11-25 basic/transports, "Security Warning": servers MUST validate `Origin` on every incoming connection
 * (DNS rebinding: a page of another site driving a signed-in user's endpoint) and answer an invalid one 403, the body
 * MAY be a JSON-RPC error without an id. A request without `Origin` passes: SDK clients, agents and curl send none,
 * and a browser always sends one on a cross-origin POST. The request's own host is never taken as an origin of its
 * own: under DNS rebinding the attacker's name is the host. Checked before the transport reads anything (no body of
 * a foreign page is read, no tool framed); the 403 is answered by {@link forbidden}, inside the log line and the
 * ledger entry. Answers the 403, or undefined for a request that may go on.
 *
 * @example
 * ```ts
 * const refusal = originRefusal(request, new Set(['https://notes.contoso.com']));
 * ```
 */
export function originRefusal(
  request: HttpRequest,
  allowed: ReadonlySet<string>,
): HttpResponseInit | undefined {
  const sent = request.headers.get('origin');
  if (sent === null || allowed.has(sent.toLowerCase())) return undefined;
  return rpcJson(
    403,
    rpcError(
      null,
      JSONRPC_ERRORS.transportError,
      `Forbidden: origin ${sent.slice(0, 200)} is not one of this app's sites.`,
    ),
  );
}

/**
 * Forbidden: the origin stage's 403, as the first stage inside the ledger (counted, logged as this endpoint's
 * refusal, before the caller is asked: a foreign page learns nothing of who is signed in).
 *
 * @example
 * ```ts
 * StageList.of<RequestContext>().use(entry).wrap(ledger).use(forbidden);
 * ```
 */
export function forbidden(ctx: RequestContext & OriginChecked): Passed<object> {
  return ctx.forbidden ? refuse(ctx.forbidden) : PASS;
}

/**
 * `policy` with the browser origins its MCP endpoint admits: the app's sites' ({@link SITE_ORIGINS_SETTING}, the
 * planner's) and dev's ({@link DEV_ORIGINS_SETTING}, `atakora dev`'s worker), lower case, `*` never (an operator's
 * CORS wildcard does not open the MCP endpoint to every page) — and, with organizations, the page invitation links
 * open ({@link ACCEPT_URL_SETTING}).
 *
 * @example
 * ```ts
 * const caller = withSiteOrigins(callerPolicyOf(manifest), process.env);
 * ```
 */
export function withSiteOrigins(
  policy: RuntimeAuth,
  env: Readonly<Record<string, string | undefined>>,
): RuntimeAuth {
  const origins = [env[SITE_ORIGINS_SETTING], env[DEV_ORIGINS_SETTING]]
    .flatMap((setting) => (setting ?? '').split(','))
    .map((o) => o.trim().replace(/\/$/, '').toLowerCase())
    .filter((o) => o !== '' && o !== '*');
  const accept = env[ACCEPT_URL_SETTING]?.trim();
  return {
    ...policy,
    ...(origins.length ? { siteOrigins: [...new Set(origins)] } : {}),
    ...(accept ? { acceptUrl: accept } : {}),
  };
}
