import { createHash } from 'node:crypto';
import { AtakoraError } from '../../../model/errors.js';
import { SEARCH_CAPABILITIES } from '../../../resources/cosmos/search-policy.js';
import { accountUrl, armRead, type ArmSession } from '../cosmos-accounts.js';
import { ensureAccountCapabilities } from './account-capabilities.js';
import { armWrite, type ArmWaitOptions } from './arm-operation.js';
import { compareContainer } from './container-compare.js';
import {
  containerBody,
  roleAssignment,
  SEARCH_API_VERSION,
  type SearchContainerTarget,
} from './container-body.js';

/** Managed identities' API version (User Assigned Identities - Get). */
const IDENTITY_API_VERSION = '2023-01-31';

/** How the step waits for Resource Manager's long-running operations. */
export type SearchDeployOptions = ArmWaitOptions;

/** What the step did to one container. */
export interface SearchContainerOutcome {
  readonly container: string;
  readonly action: 'created' | 'updated' | 'unchanged';
  /** Role assignments made now (an existing one is left as it is). */
  readonly grants: number;
}

/**
 * Make each search container through Resource Manager after Terraform has made its account and database. First the
 * account's capabilities: a vector container's account gets `EnableNoSQLVectorSearch` in place when it lacks it
 * (./account-capabilities.ts says why Terraform must not). Then each container (Sql Resources - Get / Create Update
 * Sql Container, api-version {@link SEARCH_API_VERSION}), compared as Resource Manager echoes it
 * (./container-compare.ts): read it first — absent
 * → created with its policies; equal → nothing; a mutable difference (TTL, indexes) → updated in place; a
 * difference Cosmos DB cannot make in place (partition key, unique keys, the vector embedding or full-text policy,
 * vector indexes) → `SEARCH_CONTAINER_IMMUTABLE`, nothing changed, naming the migration. Then each component's data
 * role on the container (Sql Resources - Create Update Sql Role Assignment), which Terraform cannot make before the
 * container exists.
 *
 * @example
 * ```ts
 * await deploySearchContainers(session, searchContainersOf(stack.plan, stack.resourceGroup), { log });
 * ```
 */
export async function deploySearchContainers(
  s: ArmSession,
  targets: readonly SearchContainerTarget[],
  options: SearchDeployOptions,
): Promise<SearchContainerOutcome[]> {
  const out: SearchContainerOutcome[] = [];
  const enabled = new Map<string, string[]>();
  for (const t of targets) {
    const accountKey = `${t.resourceGroup}/${t.account}`;
    if (!enabled.has(accountKey))
      enabled.set(
        accountKey,
        await ensureAccountCapabilities(
          s,
          t.resourceGroup,
          t.account,
          neededOn(targets, t),
          options,
        ),
      );
    const account = accountUrl(s, t.resourceGroup, t.account);
    const where = `${t.account}/${t.database}/${t.container.name}`;
    const url = `${account}/sqlDatabases/${t.database}/containers/${t.container.name}`;
    const wanted = containerBody(t.container);
    const live = await armRead(s, `reading container ${where}`, versioned(url));
    let action: SearchContainerOutcome['action'] = 'unchanged';
    if (live) {
      const resource =
        (live.json as { properties?: { resource?: Record<string, unknown> } }).properties
          ?.resource ?? {};
      const diff = compareContainer(resource, wanted.properties.resource);
      if (diff.immutable.length)
        throw new AtakoraError(
          'SEARCH_CONTAINER_IMMUTABLE',
          `Container ${where} exists with a different ${diff.immutable.join(', ')}, which Cosmos DB cannot change ` +
            `in place; nothing was changed.`,
          {
            path: ['deploy', 'search', t.account, t.database, t.container.name],
            resolution:
              `Give the CrudApi a new containerName (the plan then makes a new container with the new policies), ` +
              `copy the items into it (atakora migrate, or the Cosmos DB container copy job), then delete the old ` +
              `container. Or keep the old declaration. See docs/search.md ("Changing a search declaration").`,
          },
        );
      if (diff.changed) action = 'updated';
    } else action = 'created';
    if (action !== 'unchanged') {
      options.log(
        `${where}: ${action === 'created' ? 'creating' : 'updating'} the search container\n`,
      );
      await putContainer(
        s,
        url,
        wanted,
        `${action === 'created' ? 'creating' : 'updating'} ${where}`,
        {
          options,
          justEnabled: enabled.get(accountKey) ?? [],
        },
      );
    }
    let grants = 0;
    const accountId = account.slice(s.endpoint.length);
    for (const g of t.grants) {
      const principalId = await principalOf(s, t.resourceGroup, g.identity);
      const a = roleAssignment(
        accountId,
        t.database,
        t.container.name,
        principalId,
        g.role,
        uuidOf,
      );
      const aUrl = `${account}/sqlRoleAssignments/${a.id}`;
      if (await armRead(s, `reading ${g.componentId}'s role on ${where}`, versioned(aUrl)))
        continue;
      await armWrite(
        s,
        'PUT',
        versioned(aUrl),
        a.body,
        `granting ${g.componentId} ${g.role} on ${where}`,
        options,
        'SEARCH_CONTAINER_DEPLOY_FAILED',
      );
      grants++;
    }
    out.push({ container: where, action, grants });
  }
  return out;
}

const versioned = (url: string) => `${url}?api-version=${SEARCH_API_VERSION}`;

/** A user-assigned identity's principal id (User Assigned Identities - Get). */
async function principalOf(s: ArmSession, resourceGroup: string, name: string): Promise<string> {
  const url =
    `${s.endpoint}/subscriptions/${s.subscriptionId}/resourceGroups/${resourceGroup}/providers/` +
    `Microsoft.ManagedIdentity/userAssignedIdentities/${name}?api-version=${IDENTITY_API_VERSION}`;
  const found = await armRead(s, `reading identity ${name}`, url);
  const id = (found?.json as { properties?: { principalId?: unknown } } | undefined)?.properties
    ?.principalId;
  if (typeof id !== 'string')
    throw new AtakoraError(
      'SEARCH_CONTAINER_DEPLOY_FAILED',
      `Identity ${name} was not found after apply.`,
      {
        path: ['deploy', 'search', name],
        resolution:
          'Run atakora deploy again: Terraform creates the identity before this step runs.',
      },
    );
  return id;
}

/** The capabilities the containers of `t`'s account need: `EnableNoSQLVectorSearch` when one of them has vectors. */
function neededOn(targets: readonly SearchContainerTarget[], t: SearchContainerTarget): string[] {
  const vectors = targets.some(
    (x) =>
      x.resourceGroup === t.resourceGroup &&
      x.account === t.account &&
      x.container.search?.vectorEmbeddingPolicy !== undefined,
  );
  return vectors ? [SEARCH_CAPABILITIES.vector] : [];
}

/**
 * PUT a container and wait. Refused right after its account got a capability: Learn says one "may take 15 minutes to
 * fully activate", so the error says to run the deploy again rather than to look for another cause.
 */
async function putContainer(
  s: ArmSession,
  url: string,
  body: unknown,
  what: string,
  o: { options: SearchDeployOptions; justEnabled: readonly string[] },
): Promise<void> {
  try {
    await armWrite(
      s,
      'PUT',
      versioned(url),
      body,
      what,
      o.options,
      'SEARCH_CONTAINER_DEPLOY_FAILED',
    );
  } catch (e) {
    if (o.justEnabled.length === 0) throw e;
    throw new AtakoraError(
      'SEARCH_CONTAINER_DEPLOY_FAILED',
      `${what}: refused right after ${o.justEnabled.join(', ')} was enabled on its account (${(e as Error).message}).`,
      {
        path: ['deploy', 'search'],
        resolution:
          'Cosmos DB may take up to 15 minutes to activate a capability it has just enabled (Learn, "Vector search ' +
          'in Azure Cosmos DB for NoSQL"): run atakora deploy again in a few minutes; it finds the capability on ' +
          'and creates the container.',
      },
    );
  }
}

/** A name-based UUID (SHA-256 of the seed, version and variant bits set as RFC 9562's version 8). */
function uuidOf(seed: string): string {
  const h = createHash('sha256').update(seed).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-${((parseInt(h[16]!, 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
