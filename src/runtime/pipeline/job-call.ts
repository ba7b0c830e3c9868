import type { RuntimeAuth } from '../../model/runtime-manifest.js';
import { Caller } from '../caller/caller-view.js';
import type { JobCaller } from '../caller/job-caller.js';
import { plainRequest } from '../http/plain-request.js';
import { requestUsage } from '../usage/request-usage.js';
import type { CallerRequest, RuntimeServices } from './context.js';

/**
 * How a background job (a cascade's next run) acts as the caller its mark records under `policy`: that caller as
 * data (`Caller.ofJob`: the same identity and tenant rules as their own request, nothing encoded or decoded), and
 * the bytes it frees counted under their tenant, as their request's were.
 *
 * @example
 * ```ts
 * const call = jobCall(policy, services)(mark.caller);
 * ```
 */
export function jobCall(
  policy: RuntimeAuth | undefined,
  services: RuntimeServices,
): (job: JobCaller) => CallerRequest {
  const meter = policy?.registry ? services.meter : undefined;
  return (job) =>
    Object.freeze({
      // What a peer reads of a request besides its caller (a list's options): none — a job lists nothing.
      request: plainRequest({
        method: 'DELETE',
        url: 'https://cascade.invalid/api',
        headers: new Headers(),
        query: new URLSearchParams(),
      }),
      caller: Caller.ofJob(job, policy),
      ...(meter && job.tid !== undefined ? { usage: requestUsage(meter, job.tid) } : {}),
    });
}
