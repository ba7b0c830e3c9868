import type { HttpHandler } from '@azure/functions';
import type { RuntimeAuth } from '../../model/runtime-manifest.js';
import { jsonResponse, onlyMethod } from '../http/response.js';
import type { RuntimeServices } from '../pipeline/context.js';
import { serve } from '../pipeline/serve.js';
import { planOffersOf } from '../tenants/plan-offers.js';

/**
 * `GET api/plans`: every declared plan as the package it sells (tenants/plan-offers.ts) — for the plan element
 * and an application's own pricing page. Any signed-in caller, in no organization (a person choosing a plan
 * before they have one), bounded per user like `GET api/me/tenants`; the answer is the manifest's, read no store.
 *
 * @example
 * ```ts
 * add(PLANS_FUNCTION, PLANS_ROUTE, createPlansHandler(policy, registry, services));
 * // GET api/plans → { "items": [{ "name": "free", "default": true, "price": 0, "seats": 3, … }] }
 * ```
 */
export function createPlansHandler(
  policy: RuntimeAuth,
  registry: NonNullable<RuntimeAuth['registry']>,
  services: RuntimeServices,
): HttpHandler {
  const answer = planOffersOf(registry);
  return serve<null>(
    {
      policy,
      withoutTenant: true,
      limitedPerUser: true,
      route: onlyMethod('GET'),
      handle: () => Promise.resolve(jsonResponse(200, answer)),
    },
    services,
  );
}
