import type { HttpResponseInit } from '@azure/functions';
import { problemResponse } from '../../http/response.js';
import { withLogNote } from '../../http/log.js';
import { SigningKeyUnavailable } from './token-signer.js';

/** How long a client is asked to wait before trying again when the signing key cannot be used. */
export const SIGNING_KEY_RETRY_SECONDS = 30;

/**
 * The token endpoint's answer when Key Vault's signing key cannot be used (no role, no key, disabled, unreachable):
 * 503 with `Retry-After` (RFC 9110 §15.6.4: "the server is currently unable to handle the request due to a temporary
 * overload or scheduled maintenance"; §10.2.3 Retry-After) and the OAuth error `temporarily_unavailable` (RFC 6749
 * §4.1.2.1: "The authorization server is currently unable to handle the request due to a temporary overloading or
 * maintenance of the server") — never an unhandled 500, and nothing a client could fix by changing its request
 * (so no §5.2 code, which are all the client's faults). The vault's own answer goes to the log and the description.
 * Undefined for any other error.
 *
 * @example
 * ```ts
 * catch (e) { const refused = signingKeyRefusal(e); if (refused) return refused; throw e; }
 * ```
 */
export function signingKeyRefusal(error: unknown): HttpResponseInit | undefined {
  if (!(error instanceof SigningKeyUnavailable)) return undefined;
  return withLogNote(
    {
      status: 503,
      headers: {
        'Content-Type': 'application/json',
        'Cache-Control': 'no-store',
        Pragma: 'no-cache',
        'Retry-After': String(SIGNING_KEY_RETRY_SECONDS),
      },
      jsonBody: {
        error: 'temporarily_unavailable',
        error_description: `The authorization server cannot sign tokens now: ${error.why}`,
      },
    },
    `SigningKeyUnavailable: ${error.why}`,
  );
}

/**
 * The MCP door's answer when an agent token cannot be checked because Key Vault's key cannot be read: 503
 * `signing-key-unavailable` with `Retry-After`, the vault's answer in the log only. Undefined for any other error.
 *
 * @example
 * ```ts
 * catch (e) { const refused = signingKeyProblem(e); if (refused) return { ok: false, response: refused }; throw e; }
 * ```
 */
export function signingKeyProblem(error: unknown): HttpResponseInit | undefined {
  if (!(error instanceof SigningKeyUnavailable)) return undefined;
  return withLogNote(
    problemResponse(
      'signing-key-unavailable',
      "The backend cannot read its agents' signing key in Key Vault now: retry later.",
      { headers: { 'Retry-After': String(SIGNING_KEY_RETRY_SECONDS) } },
    ),
    `SigningKeyUnavailable: ${error.why}`,
  );
}
