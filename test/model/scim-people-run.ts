// The real side the SCIM people models share (scim.model.test.ts, scim-deletion.model.test.ts): acme and globex as
// every run starts (their Owners, acme's Admin, acme's domain joining at once) on the runtime and in the model, the
// people's headers, acme's Owner linking her directory, and the end-of-run check that the `members` container's
// memberships, each member's door (`via`) and the bars are the model's.
import {
  lifeKey,
  type ModelPerson,
  type ScimModelState,
} from '../../src/access/model/scim-provisioning.js';
import type { RuntimeAuth } from '../../src/model/runtime-manifest.js';
import { expect } from 'vitest';
import type { Reply } from '../runtime/support/http.js';
import { member } from '../runtime/support/organization-calls.js';
import { DOMAINS, person, policy, type ScimApp } from '../runtime/support/scim-app.js';

export const ORGS = ['acme', 'globex'] as const;
/** The directory acme's Owner administers (and may link). */
export const HOME = 'home-dir';
/** acme's Owner, her directory's Global Administrator. */
export const ADA = 'ada';
const GLOBAL_ADMIN = '62e90394-69f5-4237-9190-012177145e10';
export const inAcme = { 'x-atakora-tenant': 'acme' };

/** The headers of `p` signed in. */
export const as = (p: ModelPerson) => person(p.oid, p.email, p.verified, p.tid, p.upn);

/** The problem type an answer names, without its prefix (none: undefined). */
export const problemOf = (r: Reply): string | undefined =>
  typeof r.body?.type === 'string' ? r.body.type.replace('urn:atakora:problem:', '') : undefined;

/**
 * The SCIM app's policy with directory sign-in on (acme's Owner may link her directory) and `membership`'s other
 * settings.
 *
 * @example
 * ```ts
 * const app = await scimApp(cosmos, directoryPolicy({ deleteAfterDays: 2 }));
 * ```
 */
export function directoryPolicy(membership: { deleteAfterDays?: number } = {}): RuntimeAuth {
  const registry = policy.registry!;
  return {
    ...policy,
    registry: {
      ...registry,
      membership: { ...registry.membership!, directorySignIn: true, ...membership },
    },
  };
}

/**
 * acme's Owner links her directory (`on`) or unlinks it, with her directory role in her token (`wids`).
 *
 * @example
 * ```ts
 * const reply = await linkRequest(app, true);
 * ```
 */
export function linkRequest(app: ScimApp, on: boolean): Promise<Reply> {
  const claims = [
    { typ: 'oid', val: ADA },
    { typ: 'tid', val: HOME },
    { typ: 'wids', val: GLOBAL_ADMIN },
  ];
  const wids = Buffer.from(JSON.stringify({ auth_typ: 'aad', claims })).toString('base64');
  return app.call('tenant-directory', on ? 'PUT' : 'DELETE', 'tenant/directory', {
    headers: {
      ...person(ADA, undefined, true, HOME),
      ...(on ? { 'x-ms-client-principal': wids } : {}),
      ...inAcme,
    },
    ...(on ? { body: { tid: HOME } } : {}),
  });
}

/**
 * acme and globex as every run starts, on `app` and in the model: their Owners (ada, gus), acme's Admin `ann`,
 * verified domains, acme's joining at once; the model's `tokens` (name → organization).
 *
 * @example
 * ```ts
 * const s = await startOrganizations(app, 'ann', new Map([['acme-1', 'acme']]));
 * ```
 */
export async function startOrganizations(
  app: ScimApp,
  ann: string,
  tokens: ScimModelState['tokens'],
): Promise<ScimModelState> {
  await app.reset();
  await app.members.items.create(member('acme', ann, ['Admin']));
  const { resource } = await app.members.item(`acme|domain|${DOMAINS.acme}`, 'acme').read();
  await app.members.items.upsert({ ...resource, join: 'auto' });
  return {
    tokens,
    users: new Map(),
    members: new Map([
      [
        'acme',
        new Map([
          [ADA, ['Owner']],
          [ann, ['Admin']],
        ]),
      ],
      ['globex', new Map([['gus', ['Owner']]])],
    ]),
    domains: new Map(ORGS.map((o) => [DOMAINS[o], o])),
    autoJoin: new Set(['acme']),
  };
}

/**
 * After a run: the memberships of acme and globex with their doors, and the bars, exactly the model's (`script`:
 * the run's steps, shown on a mismatch).
 *
 * @example
 * ```ts
 * await expectMembershipsOf(app, r.s, r.script);
 * ```
 */
export async function expectMembershipsOf(
  app: ScimApp,
  s: ScimModelState,
  script: readonly string[],
): Promise<void> {
  const { resources } = await app.members.items
    .query<{
      tenant: string;
      userId?: string;
      roles?: string[];
      kind?: string;
      via?: string;
      by?: string;
    }>('SELECT * FROM c')
    .fetchAll();
  const ours = resources.filter((x) => (ORGS as readonly string[]).includes(x.tenant));
  const real = ours
    .filter((x) => x.kind === undefined && x.userId !== undefined)
    .map((x) => `${x.tenant}|${x.userId ?? ''}|${(x.roles ?? []).join(',')}|${x.via ?? '-'}`)
    .sort();
  const expected = [...s.members]
    .flatMap(([org, m]) =>
      [...m].map(([oid, roles]) => {
        const life = s.lives?.get(lifeKey(org, oid));
        return `${org}|${oid}|${roles.join(',')}|${life?.state === 'member' ? life.via : '-'}`;
      }),
    )
    .sort();
  const shown = `\n  ${script.join('\n  ')}`;
  expect(real, `memberships and doors${shown}`).toEqual(expected);
  const bars = ours
    .filter((x) => x.kind === 'barred')
    .map((x) => `${x.tenant}|${x.userId ?? ''} ${x.by ?? ''}`)
    .sort();
  const modelBars = [...(s.lives ?? new Map())]
    .filter(([, l]) => l.state === 'barred')
    .map(([k, l]) => `${k} ${(l as { by: string }).by}`)
    .sort();
  expect(bars, `bars${shown}`).toEqual(modelBars);
}
