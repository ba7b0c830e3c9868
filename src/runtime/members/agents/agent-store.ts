import type { Container } from '@azure/cosmos';
import type { CodeRecord } from '../../mcp/oauth/authorization-code.js';
import type { AgentGrant } from '../../mcp/oauth/grant-life.js';
import type { RefreshState } from '../../mcp/oauth/refresh-rotation.js';
import {
  callCosmos,
  type CosmosCallPolicy,
  DEFAULT_COSMOS_POLICY,
  readItemOrNone,
} from '../../data/cosmos-policy.js';

/** A grant as stored: the grant, the client's host, the person's directory, its refresh state and last use. */
export interface StoredGrant extends AgentGrant {
  readonly clientHost: string;
  /** The `tid` of the person's sign-in when they consented: the directory their agent acts from. */
  readonly directory?: string;
  readonly refresh: RefreshState;
  readonly lastUsedOn?: string;
}

/** A stored value and the ETag it was read at (writes are conditional on it). */
export interface Tagged<T> {
  readonly value: T;
  readonly etag: string;
}

/**
 * The authorization server's state in the `members` container (partition `/tenant`): each grant in its
 * organization's partition (erased with it), and each code in a partition of its own (`~oauth-codes`, by its
 * SHA-256, an `owner` naming its organization so an erase finds it), expiring by TTL. Every change is conditional on
 * the ETag read, so a code is redeemed once and two refreshes never both rotate from one state.
 */
export interface AgentStore {
  createCode(record: CodeRecord): Promise<void>;
  readCode(hash: string): Promise<Tagged<CodeRecord> | undefined>;
  /** Mark the code used for `grant`: false when it changed since it was read (redeemed by another request). */
  useCode(code: Tagged<CodeRecord>, grant: string): Promise<boolean>;
  createGrant(grant: StoredGrant): Promise<void>;
  readGrant(organization: string, id: string): Promise<Tagged<StoredGrant> | undefined>;
  /** Replace at the ETag read: false when it changed meanwhile (or is gone). */
  replaceGrant(grant: StoredGrant, etag: string): Promise<boolean>;
  /** The organization's grants, revoked ones included, oldest first. */
  grantsIn(organization: string): Promise<readonly StoredGrant[]>;
  /** The person's grants in every organization, oldest first. */
  grantsOf(person: string): Promise<readonly StoredGrant[]>;
}

/** The partition of the authorization codes. */
export const CODES_PARTITION = '~oauth-codes';
/** How long a code's item lives (s): past its 60 s life, so a replay is still known as one, then gone. */
const CODE_TTL_S = 600;
const codeId = (hash: string) => `oauth-code|${hash}`;
const grantItemId = (organization: string, id: string) => `${organization}|agent-grant|${id}`;

const str = (r: Record<string, unknown>, k: string): string | undefined =>
  typeof r[k] === 'string' ? r[k] : undefined;
const etagOf = (r: Record<string, unknown> | undefined): string => str(r ?? {}, '_etag') ?? '';
const statusOf = (e: unknown): unknown => (e as { code?: unknown }).code;

function codeOf(r: Record<string, unknown>): CodeRecord | undefined {
  const [hash, clientId, redirectUri, codeChallenge, person, organization, resource] = [
    'hash',
    'clientId',
    'redirectUri',
    'codeChallenge',
    'person',
    'organization',
    'resource',
  ].map((k) => str(r, k));
  const expires = r['expires'];
  if (r['kind'] !== 'oauth-code' || typeof expires !== 'number') return undefined;
  if (!hash || !clientId || !redirectUri || !codeChallenge || !person || !organization || !resource)
    return undefined;
  const usedFor = str(r, 'usedFor');
  const directory = str(r, 'directory');
  return {
    hash,
    clientId,
    redirectUri,
    codeChallenge,
    person,
    organization,
    resource,
    expires,
    ...(usedFor !== undefined ? { usedFor } : {}),
    ...(directory !== undefined ? { directory } : {}),
  };
}

function refreshOf(v: unknown): RefreshState | undefined {
  const r = v as Partial<RefreshState> | undefined;
  if (!r || !Array.isArray(r.current) || typeof r.expires !== 'number') return undefined;
  const prev = r.previous;
  return {
    current: r.current.filter((h): h is string => typeof h === 'string'),
    expires: r.expires,
    ...(prev && typeof prev.hash === 'string' && typeof prev.until === 'number'
      ? { previous: { hash: prev.hash, until: prev.until } }
      : {}),
  };
}

/** A stored row as a grant, or undefined when it is not one. */
export function grantOf(r: Record<string, unknown>): StoredGrant | undefined {
  const [id, person, organization, clientId, clientName, clientHost, created] = [
    'grantId',
    'person',
    'organization',
    'clientId',
    'clientName',
    'clientHost',
    'created',
  ].map((k) => str(r, k));
  const refresh = refreshOf(r['refresh']);
  if (r['kind'] !== 'agent-grant' || !id || !person || !organization || !clientId) return undefined;
  if (clientName === undefined || clientHost === undefined || !created || !refresh)
    return undefined;
  const [revoked, directory, lastUsedOn] = ['revoked', 'directory', 'lastUsedOn'].map((k) =>
    str(r, k),
  );
  return {
    id,
    person,
    organization,
    clientId,
    clientName,
    clientHost,
    created,
    refresh,
    ...(revoked !== undefined ? { revoked } : {}),
    ...(directory !== undefined ? { directory } : {}),
    ...(lastUsedOn !== undefined ? { lastUsedOn } : {}),
  };
}

const grantRow = (g: StoredGrant): Record<string, unknown> => {
  const { id, ...rest } = g;
  return {
    ...rest,
    id: grantItemId(g.organization, id),
    grantId: id,
    tenant: g.organization,
    kind: 'agent-grant',
  };
};

const byCreated = (a: StoredGrant, b: StoredGrant) =>
  a.created.localeCompare(b.created) || a.id.localeCompare(b.id);

/** A conditional write: false when the item changed since it was read (412) or is gone (404). */
async function conditional(run: () => Promise<unknown>): Promise<boolean> {
  try {
    await run();
    return true;
  } catch (e) {
    if (statusOf(e) === 412 || statusOf(e) === 404) return false;
    throw e;
  }
}

const codeRow = (r: CodeRecord): Record<string, unknown> => ({
  ...r,
  id: codeId(r.hash),
  tenant: CODES_PARTITION,
  owner: r.organization,
  kind: 'oauth-code',
  ttl: CODE_TTL_S,
});

/** The codes' part of {@link cosmosAgentStore}. */
function codeStore(
  container: Container,
  policy: CosmosCallPolicy,
): Pick<AgentStore, 'createCode' | 'readCode' | 'useCode'> {
  return {
    async createCode(record) {
      await callCosmos(policy, (abortSignal) =>
        container.items.create(codeRow(record), { abortSignal }),
      );
    },
    async readCode(hash) {
      const row = await readItemOrNone(container, policy, codeId(hash), CODES_PARTITION);
      const value = row ? codeOf(row) : undefined;
      return value ? { value, etag: etagOf(row) } : undefined;
    },
    useCode(code, grant) {
      const accessCondition = { type: 'IfMatch', condition: code.etag };
      return conditional(() =>
        callCosmos(policy, (abortSignal) =>
          container
            .item(codeId(code.value.hash), CODES_PARTITION)
            .replace({ ...codeRow(code.value), usedFor: grant }, { abortSignal, accessCondition }),
        ),
      );
    },
  };
}

/**
 * The {@link AgentStore} over the `members` container, every call with the runtime's deadline.
 *
 * @example
 * ```ts
 * const agents = cosmosAgentStore(client.database('atakora').container('members'));
 * ```
 */
export function cosmosAgentStore(
  container: Container,
  policy: CosmosCallPolicy = DEFAULT_COSMOS_POLICY,
): AgentStore {
  const call = <T>(run: (signal: AbortSignal) => Promise<T>) => callCosmos(policy, run);
  const query = async (sql: string, parameters: { name: string; value: string }[], pk?: string) => {
    const { resources } = await call((abortSignal) =>
      container.items
        .query<Record<string, unknown>>(
          { query: sql, parameters },
          { abortSignal, ...(pk !== undefined ? { partitionKey: pk } : {}) },
        )
        .fetchAll(),
    );
    return resources
      .map(grantOf)
      .filter((g): g is StoredGrant => g !== undefined)
      .sort(byCreated);
  };
  return {
    ...codeStore(container, policy),
    async createGrant(grant) {
      await call((abortSignal) => container.items.create(grantRow(grant), { abortSignal }));
    },
    async readGrant(organization, id) {
      const row = await readItemOrNone(
        container,
        policy,
        grantItemId(organization, id),
        organization,
      );
      const value = row ? grantOf(row) : undefined;
      return value && value.organization === organization
        ? { value, etag: etagOf(row) }
        : undefined;
    },
    replaceGrant(grant, etag) {
      const accessCondition = { type: 'IfMatch', condition: etag };
      return conditional(() =>
        call((abortSignal) =>
          container
            .item(grantItemId(grant.organization, grant.id), grant.organization)
            .replace(grantRow(grant), { abortSignal, accessCondition }),
        ),
      );
    },
    grantsIn(organization) {
      return query(
        "SELECT * FROM c WHERE c.tenant = @t AND c.kind = 'agent-grant'",
        [{ name: '@t', value: organization }],
        organization,
      );
    },
    grantsOf(person) {
      return query("SELECT * FROM c WHERE c.kind = 'agent-grant' AND c.person = @p", [
        { name: '@p', value: person },
      ]);
    },
  };
}
