import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  badParameter,
  forbiddenByRbac,
  KEY_VAULT_CRYPTO_USER_DATA_ACTIONS,
  KEY_VAULT_MAX_PAGE,
  keyBundle,
  keyNotFound,
  versionsPage,
} from './keyvault-keys-standin-answers.js';
import {
  newKeyVersion,
  signDigest,
  type StandInKeyVersion,
} from './keyvault-keys-standin-crypto.js';
import {
  rotatedExpiry,
  rotationDue,
  type StandInRotationPolicy,
} from './keyvault-keys-standin-policy.js';

export { KEY_VAULT_CRYPTO_USER_DATA_ACTIONS } from './keyvault-keys-standin-answers.js';
export type { StandInRotationPolicy } from './keyvault-keys-standin-policy.js';

/** Options of {@link startKeyVaultKeysStandIn}. */
export interface KeyVaultKeysStandInOptions {
  /** EC P-256 keys that exist from the start (one version each), by name. */
  readonly keys?: readonly string[];
  /**
   * Bearer tokens it takes, each with its identity's data actions on the vault: `true` is Key Vault Crypto User's
   * ({@link KEY_VAULT_CRYPTO_USER_DATA_ACTIONS}), `false` none, a list those actions only. A call whose action the
   * identity lacks is 403 `ForbiddenByRbac` naming it. Another token is 401. Default: any token, with the role.
   */
  readonly identities?: Readonly<Record<string, boolean | readonly string[]>>;
  /** Versions per page of Get Key Versions (Key Vault returns "up to 25"; a test makes it smaller). Default 25. */
  readonly pageSize?: number;
  readonly now?: () => number;
}

/** A version's attributes an operator sets (`az keyvault key set-attributes --enabled --expires --not-before`). */
export interface KeyVersionAttributes {
  readonly enabled?: boolean;
  /** `exp`, in ms since the epoch (stored in seconds as Key Vault does); `null` clears it. */
  readonly expires?: number | null;
  /** `nbf`, in ms since the epoch; `null` clears it. */
  readonly notBefore?: number | null;
}

/** One request it answered after the challenge: method, path, the bearer token. */
export interface KeyVaultCall {
  readonly method: string;
  readonly path: string;
  readonly token: string | undefined;
}

/** A running stand-in: one vault at `base`, its keys, and the changes an operator makes. */
export interface KeyVaultKeysStandIn {
  /** `http://127.0.0.1:<port>`: the vault's URL. */
  readonly base: string;
  /** Every answered request (challenges apart). */
  readonly calls: KeyVaultCall[];
  /** Requests answered with the 401 challenge (sent without a token). */
  readonly challenges: KeyVaultCall[];
  /** The versionless id of a key: `<base>/keys/<name>`. */
  keyId(name: string): string;
  /**
   * Create a key, or a new version of one (`az keyvault key rotate`): returns the new version. A new version of a
   * key with a rotation policy's `expiryTime` expires that long after it is made (the first version does not).
   */
  rotate(name: string): string;
  /** Set a key's rotation policy (`az keyvault key rotation-policy update`, as far as versions are concerned). */
  setRotationPolicy(name: string, policy: StandInRotationPolicy): void;
  /**
   * What Key Vault's scheduler does at the stand-in's now: every key whose current version is `timeAfterCreate`
   * old gets a new version, as {@link rotate}. Returns the new versions by key name.
   */
  runRotationPolicies(): Record<string, string>;
  /** The versions of a key, oldest first. */
  versions(name: string): readonly StandInKeyVersion[];
  /** Enable or disable a version (default: the current one), as `az keyvault key set-attributes --enabled`. */
  setEnabled(name: string, enabled: boolean, version?: string): void;
  /** Set a version's attributes (default: the current one), as `az keyvault key set-attributes`. */
  setAttributes(name: string, attributes: KeyVersionAttributes, version?: string): void;
  /** Give or take an identity's role (its token): `true` Key Vault Crypto User, a list those data actions. */
  setRole(token: string, holds: boolean | readonly string[]): void;
  close(): Promise<void>;
}

/**
 * A loopback stand-in for Key Vault's keys data plane, for the calls the runtime makes through `@azure/keyvault-keys`
 * (vault-signing-key.ts, key-versions.ts): Get Key (current or a version), Get Key Versions and Sign — answered as
 * Key Vault does, the unkind answers too:
 * - a request without a token gets Key Vault's challenge, `401` with `WWW-Authenticate: Bearer
 *   authorization="<authority>", resource="https://vault.azure.net"` ("Authentication, requests and responses": "The
 *   client first sends an unauthenticated request … the server responds with 401 and a WWW-Authenticate header",
 *   https://learn.microsoft.com/azure/key-vault/general/authentication-requests-and-responses), which the SDK's
 *   challenge policy answers with the token;
 * - an identity whose role lacks the call's data action (Get Key and Get Key Versions need
 *   `Microsoft.KeyVault/vaults/keys/read`, Sign `…/keys/sign/action`): `403` `Forbidden`, inner `ForbiddenByRbac`
 *   ("Caller is not authorized to perform action on resource", Key Vault's REST error codes,
 *   https://learn.microsoft.com/azure/key-vault/general/rest-error-codes);
 * - Get Key Versions pages (`maxresults`, `nextLink` with a `$skiptoken`, keyvault-keys-standin-answers.ts) list
 *   every version, disabled and expired ones too, with their `attributes` (`enabled`, `exp`, `nbf`, `created`);
 * - no such key or version: `404` `KeyNotFound` ("A key with (name/id) … was not found in this key vault");
 * - signing with a disabled version: `403` `Forbidden`, inner `KeyDisabled` ("Operation sign is not allowed on a
 *   disabled key", as Key Vault refuses sign, decrypt and unwrap with a disabled key:
 *   Azure/azure-sdk-for-python#45342); reading a disabled key still answers it, `attributes.enabled: false`;
 * - Sign (`POST …/keys/<name>/<version>/sign`, https://learn.microsoft.com/rest/api/keyvault/keys/sign/sign) takes
 *   `{ alg, value }`, `value` the base64url digest, and answers `{ kid, value }`, the signature `r || s` for ES256;
 *   another `alg` or a digest not 32 bytes is `400 BadParameter`.
 *
 * @example
 * ```ts
 * const kv = await startKeyVaultKeysStandIn({ keys: ['atakora-agent-signing'] });
 * const settings = { ATAKORA_AGENT_SIGNING_KEY_ID: kv.keyId('atakora-agent-signing') }; // the app's, to start it with
 * await kv.close();
 * ```
 */
export async function startKeyVaultKeysStandIn(
  options: KeyVaultKeysStandInOptions = {},
): Promise<KeyVaultKeysStandIn> {
  const now = options.now ?? Date.now;
  const pageSize = options.pageSize ?? KEY_VAULT_MAX_PAGE;
  const keys = new Map<string, StandInKeyVersion[]>();
  const roles = new Map(Object.entries(options.identities ?? {}));
  const holds = (token: string, action: string) => {
    const role = roles.get(token);
    return role === true
      ? KEY_VAULT_CRYPTO_USER_DATA_ACTIONS.includes(action)
      : Array.isArray(role) && role.includes(action);
  };
  const versionOf = (name: string, version: string | undefined) => {
    const all = keys.get(name) ?? [];
    return version ? all.find((x) => x.version === version) : all.at(-1);
  };
  const anyToken = options.identities === undefined;
  const calls: KeyVaultCall[] = [];
  const challenges: KeyVaultCall[] = [];
  let base = '';
  const policies = new Map<string, StandInRotationPolicy>();
  const rotate = (name: string) => {
    const version = newKeyVersion(now());
    const exp = keys.has(name) ? rotatedExpiry(policies.get(name), now()) : undefined;
    if (exp !== undefined) version.expires = exp;
    keys.set(name, [...(keys.get(name) ?? []), version]);
    return version.version;
  };
  for (const name of options.keys ?? []) rotate(name);

  const server: Server = createServer((req, res) => {
    void answer(req, res).catch((e: unknown) => {
      send(res, 500, { error: { code: 'InternalServerError', message: String(e) } });
    });
  });
  const answer = async (req: IncomingMessage, res: ServerResponse) => {
    const body = await read(req);
    const url = new URL(req.url ?? '/', 'http://x');
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const call = { method: req.method ?? '', path: url.pathname, token };
    if (!token) {
      challenges.push(call);
      res
        .writeHead(401, {
          'www-authenticate':
            'Bearer authorization="https://login.microsoftonline.com/00000000-0000-0000-0000-000000000001", resource="https://vault.azure.net"',
        })
        .end();
      return;
    }
    calls.push(call);
    if (!anyToken && !roles.has(token))
      return send(res, 401, {
        error: { code: 'Unauthorized', message: 'AKV10032: Invalid issuer.' },
      });
    const action = `Microsoft.KeyVault/vaults/keys/${req.method === 'POST' ? 'sign/action' : 'read'}`;
    if (!anyToken && !holds(token, action)) return send(res, 403, forbiddenByRbac(action));
    const [kind, name, version, op] = url.pathname.split('/').filter(Boolean);
    const versions = name ? keys.get(name) : undefined;
    if (kind !== 'keys' || !name) return send(res, 400, badParameter('Unknown path.'));
    if (req.method === 'GET' && version === 'versions' && !op) {
      if (!versions) return send(res, 404, keyNotFound(name));
      const page = versionsPage(base, name, versions, url.searchParams, pageSize);
      return send(res, page.status, page.body);
    }
    const key = version ? versions?.find((v) => v.version === version) : versions?.at(-1);
    if (!key) return send(res, 404, keyNotFound(name));
    const kid = `${base}/keys/${name}/${key.version}`;
    if (req.method === 'GET' && !op) return send(res, 200, keyBundle(kid, key));
    if (req.method === 'POST' && op === 'sign' && version) {
      if (!key.enabled)
        return send(res, 403, {
          error: {
            code: 'Forbidden',
            message: 'Operation sign is not allowed on a disabled key.',
            innererror: { code: 'KeyDisabled' },
          },
        });
      const { alg, value } = JSON.parse(body || '{}') as { alg?: string; value?: string };
      const digest = Buffer.from(value ?? '', 'base64url');
      if (alg !== 'ES256' || digest.length !== 32)
        return send(
          res,
          400,
          badParameter('Invalid parameter: alg must be ES256 over a 32-byte digest.'),
        );
      return send(res, 200, {
        kid,
        value: signDigest(key.d, digest).toString('base64url'),
      });
    }
    return send(res, 405, badParameter(`${req.method ?? ''} is not supported here.`));
  };

  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${String((server.address() as AddressInfo).port)}`;
  return {
    base,
    calls,
    challenges,
    keyId: (name) => `${base}/keys/${name}`,
    rotate,
    setRotationPolicy(name, policy) {
      policies.set(name, policy);
    },
    runRotationPolicies() {
      const due = [...keys].filter(([name, versions]) =>
        rotationDue(policies.get(name), versions.at(-1)?.created ?? 0, now()),
      );
      return Object.fromEntries(due.map(([name]) => [name, rotate(name)]));
    },
    versions: (name) => keys.get(name) ?? [],
    setEnabled(name, enabled, version) {
      const v = versionOf(name, version);
      if (v) v.enabled = enabled;
    },
    setAttributes(name, attributes, version) {
      const v = versionOf(name, version);
      if (!v) return;
      const seconds = (ms: number | null) => (ms === null ? undefined : Math.floor(ms / 1000));
      if (attributes.enabled !== undefined) v.enabled = attributes.enabled;
      if (attributes.expires !== undefined) v.expires = seconds(attributes.expires);
      if (attributes.notBefore !== undefined) v.notBefore = seconds(attributes.notBefore);
      v.updated = Math.floor(now() / 1000);
    },
    setRole(token, role) {
      roles.set(token, role);
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}

function send(res: ServerResponse, status: number, data: unknown): ServerResponse {
  return res
    .writeHead(status, { 'content-type': 'application/json; charset=utf-8' })
    .end(JSON.stringify(data));
}

async function read(req: IncomingMessage): Promise<string> {
  const parts: Buffer[] = [];
  for await (const chunk of req) parts.push(chunk as Buffer);
  return Buffer.concat(parts).toString('utf8');
}
