/**
 * GET api/reports-summary: the organization's projects and reports counted, for plans that include the
 * application's feature `reports` (examples/billing/packages.ts). `callerOf(request).features` is the caller's
 * plan's, resolved once by the request pipeline: on `free` the answer is a 402 naming the plans that sell it, and
 * nothing is read. The counts go through `dataOf`, as the caller: their organization, their rules, their limits.
 */
import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { callerOf, dataOf } from '@atakora/component/runtime';
import type backend from '../packages.js';

export default async function reportSummary(request: HttpRequest): Promise<HttpResponseInit> {
  if (!callerOf(request).features.has('reports'))
    return {
      status: 402,
      jsonBody: {
        type: 'urn:atakora:example:reports-not-in-plan',
        title: 'Reports are not in your plan',
        status: 402,
        detail: 'Reports are in the team and enterprise plans.',
        plans: ['enterprise', 'team'],
      },
    };
  const data = dataOf<typeof backend>(request);
  const [projects, reports] = await Promise.all([data.projects.count(), data.reports.count()]);
  return { jsonBody: { projects, reports } };
}
