/**
 * Organization API keys in the membership runs (members.model.test.ts, owners.model.test.ts): a person creates a key
 * of a role in an organization, or revokes one — each on the reference model (src/access/model/api-keys.ts) and on the
 * real runtime, answers compared. A key's use is a data request ({@link RequestCommand} with `key`): the CRUD model
 * answers it as a member of the key's role whose id is the key's.
 */
import fc from 'fast-check';
import {
  type ApiKeyBounds,
  apiKeyCreation,
  apiKeyRevocation,
} from '../../src/access/model/api-keys.js';
import type { RequestSpec } from './arbitraries.js';
import { ORGANIZATIONS, PRINCIPALS } from './backend.js';
import { difference, type ModelSide, nowOf } from './commands.js';
import { API_KEYS, type RealApp } from './real-app.js';

/** The roles a key may ask for: the membership's roles (Owner refused: a key is never an Owner) and one unknown. */
export const KEY_ROLES = ['Admin', 'Member', 'Owner', 'Auditor'] as const;

/** The model's bounds: the backend's `tenants.apiKeys` and the roles of its organizations but Owner. */
const BOUNDS: ApiKeyBounds = { ...API_KEYS, roles: ['Admin', 'Member'] };

/** One generated key command (principals, organizations and keys by index). */
export type KeySpec =
  | {
      readonly kind: 'create-key';
      readonly p: number;
      readonly org: number;
      readonly role: (typeof KEY_ROLES)[number];
      /** `expiresInDays` (absent: the backend's longest life). */
      readonly days?: number | undefined;
    }
  | { readonly kind: 'revoke-key'; readonly p: number; readonly org: number; readonly key: number };

export class KeyCommand implements fc.AsyncCommand<ModelSide, RealApp> {
  private described: string | undefined;

  constructor(readonly spec: KeySpec) {}

  check(): boolean {
    return true;
  }

  async run(model: ModelSide, real: RealApp): Promise<void> {
    const s = this.spec;
    const by = PRINCIPALS[s.p % PRINCIPALS.length]!;
    const org = ORGANIZATIONS[s.org % ORGANIZATIONS.length]!;
    const headers = { 'x-atakora-tenant': org };
    const secrets = (model.keySecrets ??= []);
    if (s.kind === 'create-key') {
      const body = {
        name: 'k',
        role: s.role,
        ...(s.days === undefined ? {} : { expiresInDays: s.days }),
      };
      const want = apiKeyCreation(model.state, by, org, s.role, s.days, nowOf(model), BOUNDS);
      const actual = await real.call('membership-api-keys', 'POST', 'tenant/api-keys', by, {
        body,
        headers,
      });
      this.step(
        model,
        `${by.name} creates a ${s.role} key in ${org} for ${String(s.days)} days`,
        () => difference(want.expected, actual),
      );
      if (want.key) {
        const created = actual.body as { id: string; key: string };
        model.state = {
          ...model.state,
          apiKeys: [...(model.state.apiKeys ?? []), { ...want.key, id: created.id }],
        };
        secrets.push(created.key);
      }
      return;
    }
    const keys = model.state.apiKeys ?? [];
    const at = keys.length === 0 ? 0 : s.key % keys.length;
    const id = keys[at]?.id ?? 'none';
    const want = apiKeyRevocation(model.state, by, org, keys.length === 0 ? -1 : at);
    const actual = await real.call('membership-api-key', 'DELETE', `tenant/api-keys/${id}`, by, {
      headers,
      params: { id },
    });
    model.state = want.state;
    this.step(model, `${by.name} revokes key #${String(at)} in ${org}`, () =>
      difference(want.expected, actual),
    );
  }

  private step(model: ModelSide, described: string, diff: () => string | undefined): void {
    this.described = described;
    model.script.push(described);
    const why = diff();
    if (why)
      throw new Error(`${described}: ${why}\nthe run's requests:\n  ${model.script.join('\n  ')}`);
  }

  toString(): string {
    return this.described ?? JSON.stringify(this.spec);
  }
}

/**
 * Key commands of a run: creates (mostly by whom and where the usual setup lets them succeed, of the roles keys may
 * hold, sometimes Owner or a role nobody declared; a life of one to five days, the backend allowing four) and revokes.
 */
export function keySpecArbitrary(
  member: fc.Arbitrary<number>,
  organization: fc.Arbitrary<number>,
): fc.Arbitrary<KeySpec> {
  return fc.oneof(
    {
      weight: 3,
      arbitrary: fc.record(
        {
          kind: fc.constant('create-key' as const),
          p: member,
          org: organization,
          role: fc.constantFrom<(typeof KEY_ROLES)[number]>(
            'Admin',
            'Member',
            'Member',
            'Owner',
            'Auditor',
          ),
          days: fc.option(fc.integer({ min: 0, max: API_KEYS.maxDays + 1 }), { nil: undefined }),
        },
        { requiredKeys: ['kind', 'p', 'org', 'role'] },
      ),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        kind: fc.constant('revoke-key' as const),
        p: member,
        org: organization,
        key: fc.nat(5),
      }),
    },
  );
}

/**
 * Data requests presenting a key: mostly naming no organization (the key's own is implied), sometimes org-one,
 * org-two or the one nobody creates.
 */
export function keyedRequests(requests: fc.Arbitrary<RequestSpec>): fc.Arbitrary<RequestSpec> {
  return fc
    .tuple(
      requests.filter((r) => r.kind !== 'legacy'),
      fc.nat(5),
      fc.oneof(
        { weight: 4, arbitrary: fc.constant(-1) },
        { weight: 1, arbitrary: fc.nat(ORGANIZATIONS.length - 1) },
      ),
    )
    .map(([r, key, org]): RequestSpec => ({ ...r, key, org }));
}
