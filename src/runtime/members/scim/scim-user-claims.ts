import { createHash } from 'node:crypto';
import type { JSONObject, OperationInput } from '@azure/cosmos';
import type { Tagged } from '../member-store.js';
import { etagOf, type ScimDocs } from './scim-docs.js';
import {
  type ScimUser,
  userItem,
  userItemId,
  userNameItemId,
  userNameKey,
  userOf,
} from './scim-items.js';

/**
 * `userName` unique per organization under concurrent requests (DESIGN §2, "One life per organization…"): a user is
 * written only together with the claim of its name — an item `<tenant>|scim-username|<sha256 of the name in lower
 * case>` in the organization's partition, created in the same transactional batch as the user (Learn, "Transactional
 * batch operations in Azure Cosmos DB": all or none; a create of an id that exists is 409), so of concurrent writers
 * of one name exactly one commits. A claim whose user is gone or renamed is stale: the next taker replaces it on its
 * ETag (one of concurrent takers wins). A rename takes the new name's claim with the user's conditional replace, then
 * drops the old claim; a delete drops it after the user.
 */

const nameHash = (userName: string) =>
  createHash('sha256').update(userNameKey(userName), 'utf8').digest('hex');
const claimIdOf = (tenant: string, userName: string) => userNameItemId(tenant, nameHash(userName));
const raw = (r: Record<string, unknown>) => r;

/** A failed batch operation as the store's callers see a Cosmos DB error (`code`: its status). */
const failure = (status: number) =>
  Object.assign(new Error(`A SCIM user write answered ${String(status)}`), { code: status });

/** The operation taking `user`'s name, or `taken` when a live user (or one stored before claims) holds it. */
async function claiming(d: ScimDocs, user: ScimUser): Promise<OperationInput | 'taken'> {
  const { tenant, id: userId } = user;
  const key = userNameKey(user.userName);
  const id = claimIdOf(tenant, user.userName);
  const resourceBody = { id, tenant, kind: 'scim-username', key, user: userId };
  const [held, older] = await Promise.all([
    d.read(id, tenant, raw),
    // A user written before claims existed has none: found by its stored key.
    d.query(tenant, 'SELECT c.scimId FROM c WHERE c.kind = @kind AND c.userNameKey = @key', [
      { name: '@kind', value: 'scim-user' },
      { name: '@key', value: key },
    ]),
  ]);
  if (older.some((r) => r['scimId'] !== userId)) return 'taken';
  if (!held) return { operationType: 'Create', resourceBody };
  const holder = held.value['user'];
  if (typeof holder === 'string' && holder !== userId) {
    const live = await d.read(userItemId(tenant, holder), tenant, userOf);
    if (live && userNameKey(live.value.userName) === key) return 'taken';
  }
  return { operationType: 'Replace', id, resourceBody, ifMatch: held.etag };
}

/** Drop `userName`'s claim when `userId` holds it (a stale claim left behind is harmless: the next taker replaces it). */
export async function releaseUserName(
  d: ScimDocs,
  tenant: string,
  userName: string,
  userId: string,
): Promise<void> {
  const id = claimIdOf(tenant, userName);
  const held = await d.read(id, tenant, raw);
  if (held?.value['user'] === userId) await d.remove(id, tenant, held.etag);
}

type Result = { status: number; item?: Record<string, unknown> } | undefined;
/** Whether a batch operation failed on its own account (in a failed batch the others are 424, "failed dependency"). */
const failed = (r: Result) => (r?.status ?? 500) >= 400 && r?.status !== 424;

/** The user an operation wrote, with its ETag. */
function written(result: { status: number; item?: Record<string, unknown> } | undefined) {
  const value = result?.item ? userOf(result.item) : undefined;
  if (!value) throw failure(result?.status ?? 500);
  return { value, etag: etagOf(result?.item) };
}

/**
 * Create `user` with its name's claim: the user, `exists` (its id is taken), or `taken` (its name is).
 *
 * @example
 * ```ts
 * const made = await createClaimed(docs, user); // 'taken' for a second 'Ada@contoso.com'
 * ```
 */
export async function createClaimed(
  d: ScimDocs,
  user: ScimUser,
): Promise<Tagged<ScimUser> | 'exists' | 'taken'> {
  const claim = await claiming(d, user);
  if (claim === 'taken') return 'taken';
  const [taking, made] = await d.batch(user.tenant, [
    claim,
    { operationType: 'Create', resourceBody: userItem(user) as JSONObject },
  ]);
  if (failed(taking)) return 'taken';
  if (!failed(made)) return written(made);
  // All or none in Azure; a server that applied the claim alone has it dropped here.
  await releaseUserName(d, user.tenant, user.userName, user.id);
  if (made?.status === 409) return 'exists';
  throw failure(made?.status ?? 500);
}

/**
 * Replace a user (at the version `etag` names) whose name changes from `from`: the new name's claim taken with it,
 * the old one dropped after. The user, or `taken`, `changed` (written since), `missing`.
 *
 * @example
 * ```ts
 * await renameClaimed(docs, { ...user, userName: 'ada.l@contoso.com' }, etag, user.userName);
 * ```
 */
export async function renameClaimed(
  d: ScimDocs,
  user: ScimUser,
  etag: string,
  from: string,
): Promise<Tagged<ScimUser> | 'taken' | 'changed' | 'missing'> {
  const claim = await claiming(d, user);
  if (claim === 'taken') return 'taken';
  const id = userItemId(user.tenant, user.id);
  const [taking, replaced] = await d.batch(user.tenant, [
    claim,
    { operationType: 'Replace', id, resourceBody: userItem(user) as JSONObject, ifMatch: etag },
  ]);
  if (failed(taking)) return 'taken';
  if (failed(replaced)) {
    await releaseUserName(d, user.tenant, user.userName, user.id);
    if (replaced?.status === 412) return 'changed';
    if (replaced?.status === 404) return 'missing';
    throw failure(replaced?.status ?? 500);
  }
  await releaseUserName(d, user.tenant, from, user.id);
  return written(replaced);
}
