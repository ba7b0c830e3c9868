import type { HttpResponseInit } from '@azure/functions';
import type { RuntimeProblemCode } from '../../contract/problems.js';
import { cosmosErrorResponse } from './cosmos-errors.js';
import { problemResponse } from './response.js';

/**
 * A webhook's answer when it cannot apply a call now: its own problem (`billing-unavailable`,
 * `marketplace-unavailable`) with `Retry-After`, so the provider (Stripe, Microsoft) calls again.
 *
 * @example
 * ```ts
 * return retryLater('billing-unavailable', 'Stripe could not be read; Stripe retries the event.');
 * ```
 */
export const retryLater = (code: RuntimeProblemCode, detail: string): HttpResponseInit =>
  problemResponse(code, detail, { headers: { 'Retry-After': '30' } });

/**
 * What a webhook answers when applying a verified call threw: the tenant registry's Cosmos DB answer (a 503 with its
 * Retry-After), else — when `provider` names the error its provider's API failing — {@link retryLater} with that
 * detail; anything else is the library's fault and thrown.
 *
 * @example
 * ```ts
 * return applyFailed(e, 'billing-unavailable', (err) => (isStripeError(err) ? 'Stripe could not be read.' : undefined));
 * ```
 */
export function applyFailed(
  e: unknown,
  code: RuntimeProblemCode,
  provider: (e: unknown) => string | undefined,
): HttpResponseInit {
  const cosmos = cosmosErrorResponse(e, 'the tenant registry');
  if (cosmos) return cosmos;
  const detail = provider(e);
  if (detail !== undefined) return retryLater(code, detail);
  throw e;
}
