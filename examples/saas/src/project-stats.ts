/**
 * GET api/stats/projects: how many of the caller's organization's projects are open and done, and the newest open
 * ones — read with `dataOf(request)`, as the caller. No Cosmos DB client, no tenant filter, no rule re-written here:
 * every call runs through the projects API's own route in this process (the caller's tenant, access rules, plan
 * limits and usage ledger), so this handler can show nothing the caller could not list themselves. The backend
 * declares what it reaches (`data: ['ProjectApi']`), and an agent calls it as the MCP tool `project_stats`.
 */
import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { ProblemError } from '@atakora/component/client';
import { dataOf } from '@atakora/component/runtime';
import type backend from '../backend.js';

export default async function projectStats(request: HttpRequest): Promise<HttpResponseInit> {
  const data = dataOf<typeof backend>(request);
  try {
    const [open, done, newest] = await Promise.all([
      data.projects.count({ filter: 'done eq false' }),
      data.projects.count({ filter: 'done eq true' }),
      data.projects.list({ filter: 'done eq false', select: ['name'], first: 3 }).page(),
    ]);
    return { jsonBody: { open, done, newest: newest.items.map((p) => p.name ?? p.id) } };
  } catch (e) {
    // A refusal of the projects route (a plan's rate, a suspended tenant) is the caller's answer too.
    if (e instanceof ProblemError)
      return { status: e.status, jsonBody: { type: e.type, detail: e.detail } };
    throw e;
  }
}
