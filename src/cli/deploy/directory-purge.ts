import { setTimeout as sleep } from 'node:timers/promises';
import type { TerraformPlanJson } from './plan-guard.js';
import { graphToken, graphTokenIn } from '../azure/credentials.js';
import { graphEndpoint } from '../azure/endpoints.js';
import { deletedItemUrl, purgeDeletedItem, type GraphRef } from '../azure/graph.js';
import { msFromEnv } from '../shared/env-ms.js';
import { firstLine } from '../azure/errors.js';

/** A directory object a destroy deletes: an app registration or its service principal. */
export interface DirectoryObject {
  readonly address: string;
  readonly kind: 'application' | 'servicePrincipal';
  /** Its object id in the directory (Graph `id`). */
  readonly objectId: string;
}

/** What became of one object: purged, not found in the deleted items, or a failure to report. */
export interface PurgeResult {
  readonly object: DirectoryObject;
  readonly outcome: 'purged' | 'absent' | 'failed';
  readonly detail?: string;
}

const KINDS: Readonly<Record<string, DirectoryObject['kind']>> = {
  azuread_application: 'application',
  azuread_service_principal: 'servicePrincipal',
};

/**
 * The app registrations and service principals a Terraform plan deletes, with their object ids from the plan's
 * prior state (`change.before.object_id`, else the id `/applications/<id>` the azuread provider keeps:
 * internal/services/applications/application_resource.go and serviceprincipals/service_principal_resource.go
 * at v3.7.0 set `object_id` from Graph's `id`). Service principals first: they are purged before their applications.
 *
 * @example
 * ```ts
 * deletedDirectoryObjects(planJson); // [{ address: 'azuread_service_principal.api_sp', kind: 'servicePrincipal', objectId: '…' }, …]
 * ```
 */
export function deletedDirectoryObjects(plan: TerraformPlanJson): DirectoryObject[] {
  const out: DirectoryObject[] = [];
  for (const rc of plan.resource_changes ?? []) {
    const kind = KINDS[rc.type];
    if (!kind || rc.mode === 'data' || !rc.change.actions.includes('delete')) continue;
    const before = (rc.change as { before?: { object_id?: unknown; id?: unknown } }).before;
    const fromId = typeof before?.id === 'string' ? /([0-9a-f-]{36})$/i.exec(before.id)?.[1] : '';
    const objectId = typeof before?.object_id === 'string' ? before.object_id : fromId;
    // An object id is a GUID: anything else (a hand-edited state) is not sent to Graph.
    if (objectId && /^[0-9a-f]{8}-([0-9a-f]{4}-){3}[0-9a-f]{12}$/i.test(objectId))
      out.push({ address: rc.address, kind, objectId });
  }
  return out.sort(principalsFirst);
}

const principalsFirst = (a: DirectoryObject, b: DirectoryObject) =>
  a.kind === b.kind ? 0 : a.kind === 'servicePrincipal' ? -1 : 1;

/** Options of {@link purgeDeletedDirectoryObjects}. */
export interface PurgeOptions {
  readonly env?: NodeJS.ProcessEnv;
  /** The tenant the registrations were in when it is not the deployer's (registrationTenant of the plan). */
  readonly tenant?: string | undefined;
  readonly fetch?: typeof fetch;
  readonly log: (line: string) => void;
}

/**
 * Permanently delete directory objects a destroy just deleted: Terraform's azuread provider only soft-deletes
 * (its delete calls Graph `DELETE /applications/{id}`, internal/services/applications/application_resource.go
 * @v3.7.0, applicationResourceDelete; internal/provider/provider.go@v3.7.0 has no `features` block and no resource
 * an option to purge), and a soft-deleted object stays in the directory's
 * deleted items for 30 days, counting toward the creator's quota of 250 (Learn, "Microsoft Entra service limits
 * and restrictions"). Graph `DELETE /directory/deletedItems/{id}` removes it for good (Learn, "Permanently delete
 * an item (directory object)", https://learn.microsoft.com/graph/api/directory-deleteditems-delete; delegated
 * Application.ReadWrite.All, or application Application.ReadWrite.OwnedBy for objects the caller owns).
 *
 * A just-deleted object can take a moment to show in the deleted items: a 404 is asked again (three tries, five
 * seconds apart; `ATAKORA_PURGE_RETRY_WAIT_MS` shortens it), then reported as absent (an application's purge can
 * take its service principal with it). Any other failure is a warning naming the `az rest` command: Terraform's
 * destroy succeeded, and the object only counts until Entra purges it after 30 days.
 *
 * @example
 * ```ts
 * await purgeDeletedDirectoryObjects(deletedDirectoryObjects(planJson), { log: (l) => console.error(l) });
 * ```
 */
export async function purgeDeletedDirectoryObjects(
  objects: readonly DirectoryObject[],
  options: PurgeOptions,
): Promise<PurgeResult[]> {
  if (objects.length === 0) return [];
  const env = options.env ?? process.env;
  const graph = graphEndpoint(env);
  const waitMs = msFromEnv(env, 'ATAKORA_PURGE_RETRY_WAIT_MS', 5000);
  const command = (o: DirectoryObject) =>
    `az rest --method delete --url ${deletedItemUrl(graph, o.objectId)}`;
  let token: string;
  try {
    // In the tenant the registrations were created in: a customer sign-in's are in its external tenant.
    token = await (options.tenant ? graphTokenIn(env, options.tenant) : graphToken(env));
  } catch (e) {
    const detail = `no Microsoft Graph token (${firstLine(e)})`;
    options.log(
      `warning: the destroyed app registrations stay in the directory's deleted items for 30 days, counting ` +
        `toward the directory-object quota: ${detail}. Purge them with: ${objects.map(command).join('; ')}`,
    );
    return objects.map((object) => ({ object, outcome: 'failed', detail }));
  }
  const results: PurgeResult[] = [];
  for (const object of [...objects].sort(principalsFirst)) {
    const ref: GraphRef = { graph, token, ...(options.fetch ? { fetch: options.fetch } : {}) };
    const result = await purgeOne(object, ref, waitMs);
    results.push(result);
    if (result.outcome === 'purged')
      options.log(`${object.address}: permanently deleted from the directory (${object.objectId})`);
    else if (result.outcome === 'absent')
      options.log(`${object.address}: not in the directory's deleted items (already purged)`);
    else
      options.log(
        `warning: ${object.address}: not permanently deleted (${result.detail ?? 'failed'}); it counts toward ` +
          `the directory-object quota for 30 days. Run: ${command(object)}`,
      );
  }
  return results;
}

async function purgeOne(
  object: DirectoryObject,
  ref: GraphRef,
  waitMs: number,
): Promise<PurgeResult> {
  for (let attempt = 1; ; attempt++) {
    let answer: { status: number; detail: string };
    try {
      answer = await purgeDeletedItem(ref, object.objectId);
    } catch (e) {
      return { object, outcome: 'failed', detail: firstLine(e) };
    }
    if (answer.status === 204 || answer.status === 200) return { object, outcome: 'purged' };
    if (answer.status !== 404) return { object, outcome: 'failed', detail: answer.detail };
    if (attempt >= PURGE_ATTEMPTS) return { object, outcome: 'absent' };
    await sleep(waitMs);
  }
}

/** Tries of a purge that Graph answers 404 (the deleted item not visible yet). */
const PURGE_ATTEMPTS = 3;
