// The real side of the SCIM protocol model (src/access/model/scim-resources.ts): each spec sent as Microsoft Entra's
// provisioning service or Okta sends it, with the organization's token (or another organization's), its answer
// compared with the model's, then every user and group of both organizations read back and compared attribute by
// attribute with the model's — a write kept exactly, a refused one changing nothing.
import {
  addMembers,
  createGroup,
  createUser,
  deleteGroup,
  deleteUser,
  type ModelGroup,
  type ModelUser,
  patchGroupExternalId,
  patchUser,
  replaceGroup,
  replaceUser,
  type ScimResourcesState,
} from '../../src/access/model/scim-resources.js';
import type { Expected } from '../../src/access/model/model-state.js';
import { SCIM_SCHEMAS } from '../../src/contract/scim/scim.js';
import type { ScimApp } from '../runtime/support/scim-app.js';
import type { Reply } from '../runtime/support/http.js';

export const ORGS = ['acme', 'globex'] as const;
export type Org = (typeof ORGS)[number];
export const NAMES = ['kim@acme.example', 'lee@acme.example', 'pat@acme.example'] as const;
const VALUES = ['v-1', 'v-2'] as const;

/** One request: its organization's token (or the other's: `cross`), the resource it names by handle. */
export type Spec =
  | { kind: 'createUser'; org: number; h: number; name: number; upper: boolean; ext: boolean }
  | { kind: 'putUser'; org: number; h: number; name: number; upper: boolean; cross: boolean }
  | { kind: 'patchUser'; org: number; h: number; attr: number; value: number; cross: boolean }
  | { kind: 'deleteUser'; org: number; h: number; cross: boolean }
  | { kind: 'createGroup'; org: number; h: number; size: number }
  | { kind: 'putGroup'; org: number; h: number; size: number; ext: boolean; cross: boolean }
  | { kind: 'addMembers'; org: number; h: number; size: number; cross: boolean }
  | { kind: 'groupExternalId'; org: number; h: number; value: number; cross: boolean }
  | { kind: 'deleteGroup'; org: number; h: number; cross: boolean };

/** The member counts the group specs use: around the bound of 1,000. */
export const SIZES = [0, 2, 999, 1000, 1001] as const;
const ATTRS = ['userName', 'externalId', 'displayName', 'title'] as const;

const patchOp = (...Operations: unknown[]) => ({ schemas: [SCIM_SCHEMAS.patchOp], Operations });
const nameOf = (i: number, upper: boolean) => {
  const n = NAMES[i % NAMES.length] ?? NAMES[0];
  return upper ? n.toUpperCase() : n;
};

/** The run: tokens per organization, real ids per handle, each organization's model state, the script so far. */
export interface Run {
  readonly app: ScimApp;
  readonly tokens: Record<Org, string>;
  readonly ids: Map<string, string>;
  readonly states: Map<Org, ScimResourcesState>;
  readonly script: string[];
  members: number;
}

const memberList = (run: Run, n: number) =>
  Array.from({ length: n }, () => ({ value: `m-${String((run.members += 1))}` }));

/** A user as Entra's POST sends it (Learn, "Develop a SCIM endpoint": Create User). */
const entraUser = (u: ModelUser) => ({
  schemas: [SCIM_SCHEMAS.user, SCIM_SCHEMAS.enterpriseUser],
  userName: u.userName,
  ...(u.externalId !== undefined ? { externalId: u.externalId } : {}),
  active: true,
  emails: [{ primary: true, type: 'work', value: u.userName }],
  meta: { resourceType: 'User' },
  name: { formatted: 'Kim Doe', familyName: 'Doe', givenName: 'Kim' },
  roles: [],
});

/** A user as Okta's PUT sends it (Okta, "SCIM 2.0 protocol reference": Update a specific User (PUT)). */
const oktaUser = (id: string, u: ModelUser) => ({
  schemas: [SCIM_SCHEMAS.user],
  id,
  userName: u.userName,
  name: { givenName: 'Another', middleName: '', familyName: 'User' },
  emails: [{ primary: true, value: u.userName, type: 'work', display: u.userName }],
  locale: 'en-US',
  groups: [],
  password: '1mz050nq',
  active: true,
});

/** The PATCH of one user attribute, in the shape Entra sends it (a path, or a no-path replace for displayName). */
function userPatch(attr: (typeof ATTRS)[number], value: string | undefined) {
  if (value === undefined) return patchOp({ op: 'Remove', path: attr });
  if (attr === 'displayName') return patchOp({ op: 'replace', value: { displayName: value } });
  return patchOp({ op: attr === 'title' ? 'Add' : 'Replace', path: attr, value });
}

type Model = { expected: Expected; state: ScimResourcesState };

/** The model's answer to `spec` and the request that sends it. */
export function step(
  run: Run,
  spec: Spec,
): { model: Model; send: () => Promise<Reply>; made?: string } | undefined {
  const org = ORGS[spec.org % 2] ?? 'acme';
  const target = 'cross' in spec && spec.cross ? (ORGS[(spec.org + 1) % 2] ?? 'globex') : org;
  const s = run.states.get(org) as ScimResourcesState;
  const isUser = spec.kind.endsWith('User');
  const creates = spec.kind === 'createUser' || spec.kind === 'createGroup';
  // A create names the first handle its organization does not hold yet (none left: the spec is skipped).
  const free = [0, 1, 2, 3]
    .map((i) => `${isUser ? 'u' : 'g'}${String((spec.h + i) % 4)}`)
    .find((x) => !(isUser ? s.users : s.groups).has(x));
  if (creates && free === undefined) return undefined;
  const handle = creates ? (free as string) : `${isUser ? 'u' : 'g'}${String(spec.h % 4)}`;
  // Another organization's resource is none to this token: the model sees a handle it never had.
  const h = target === org ? handle : `~${handle}`;
  const id = run.ids.get(`${target}|${handle}`) ?? '00000000-0000-4000-8000-000000000000';
  const token = run.tokens[org];
  const at = (kind: 'Users' | 'Groups') => ({
    name: kind === 'Users' ? 'scim-user' : 'scim-group',
    path: `scim/v2/${kind}/${id}`,
  });
  const call = (kind: 'Users' | 'Groups', method: string, body?: unknown) => () =>
    run.app.scim(at(kind).name, method, at(kind).path, token, {
      params: { id },
      ...(body === undefined ? {} : { body }),
    });
  run.script.push(`${org} ${JSON.stringify(spec)}`);
  switch (spec.kind) {
    case 'createUser': {
      const u = {
        userName: nameOf(spec.name, spec.upper),
        ...(spec.ext ? { externalId: 'x' } : {}),
      };
      return {
        model: createUser(s, handle, u),
        made: `${org}|${handle}`,
        send: () =>
          run.app.scim('scim-users', 'POST', 'scim/v2/Users', token, { body: entraUser(u) }),
      };
    }
    case 'putUser': {
      const u = { userName: nameOf(spec.name, spec.upper) };
      return { model: replaceUser(s, h, u), send: call('Users', 'PUT', oktaUser(id, u)) };
    }
    case 'patchUser': {
      const attr = ATTRS[spec.attr % ATTRS.length] ?? 'title';
      const value =
        spec.value === 0
          ? undefined
          : attr === 'userName'
            ? nameOf(spec.value, false)
            : VALUES[spec.value % 2];
      return {
        model: patchUser(s, h, attr, value),
        send: call('Users', 'PATCH', userPatch(attr, value)),
      };
    }
    case 'deleteUser':
      return { model: deleteUser(s, h), send: call('Users', 'DELETE') };
    case 'createGroup': {
      const g: ModelGroup = {
        displayName: `Group ${handle}`,
        members: SIZES[spec.size % SIZES.length] ?? 0,
      };
      const body = {
        schemas: [SCIM_SCHEMAS.group],
        displayName: g.displayName,
        members: memberList(run, g.members),
      };
      return {
        model: createGroup(s, handle, g),
        made: `${org}|${handle}`,
        send: () => run.app.scim('scim-groups', 'POST', 'scim/v2/Groups', token, { body }),
      };
    }
    case 'putGroup': {
      const g: ModelGroup = {
        displayName: `Group ${handle}`,
        members: SIZES[spec.size % SIZES.length] ?? 0,
        ...(spec.ext ? { externalId: 'obj-1' } : {}),
      };
      const body = { schemas: [SCIM_SCHEMAS.group], id, ...g, members: memberList(run, g.members) };
      return { model: replaceGroup(s, h, g), send: call('Groups', 'PUT', body) };
    }
    case 'addMembers': {
      const n = SIZES[spec.size % SIZES.length] ?? 0;
      const body = patchOp({ op: 'Add', path: 'members', value: memberList(run, n) });
      return { model: addMembers(s, h, n), send: call('Groups', 'PATCH', body) };
    }
    case 'groupExternalId': {
      const v = spec.value === 0 ? undefined : VALUES[spec.value % 2];
      const body = patchOp(
        v === undefined
          ? { op: 'Remove', path: 'externalId' }
          : { op: 'Replace', path: 'externalId', value: v },
      );
      return { model: patchGroupExternalId(s, h, v), send: call('Groups', 'PATCH', body) };
    }
    case 'deleteGroup':
      return { model: deleteGroup(s, h), send: call('Groups', 'DELETE') };
  }
}

const pick = (o: Record<string, unknown>, keys: readonly string[]) =>
  Object.fromEntries(keys.flatMap((k) => (o[k] === undefined ? [] : [[k, o[k]]])));

/** Every modelled user and group of `org` read back: the differences from the model, none when all agree. */
export async function differences(run: Run, org: Org): Promise<string[]> {
  const s = run.states.get(org) as ScimResourcesState;
  const out: string[] = [];
  const token = run.tokens[org];
  const list = await run.app.scim('scim-users', 'GET', 'scim/v2/Users', token);
  if (list.body?.totalResults !== s.users.size)
    out.push(
      `${org} lists ${String(list.body?.totalResults)} users, the model ${String(s.users.size)}`,
    );
  for (const [handle, u] of s.users) {
    const id = run.ids.get(`${org}|${handle}`) ?? '';
    const r = await run.app.scim('scim-user', 'GET', `scim/v2/Users/${id}`, token, {
      params: { id },
    });
    const got = pick(r.body ?? {}, ATTRS);
    if (JSON.stringify(got) !== JSON.stringify(pick({ ...u }, ATTRS)))
      out.push(`${org} ${handle}: ${JSON.stringify(got)} where the model has ${JSON.stringify(u)}`);
  }
  for (const [handle, g] of s.groups) {
    const id = run.ids.get(`${org}|${handle}`) ?? '';
    const r = await run.app.scim('scim-group', 'GET', `scim/v2/Groups/${id}`, token, {
      params: { id },
    });
    const got = {
      ...pick(r.body ?? {}, ['displayName', 'externalId']),
      members: (r.body?.members ?? []).length,
    };
    if (
      JSON.stringify(got) !==
      JSON.stringify({ ...pick({ ...g }, ['displayName', 'externalId']), members: g.members })
    )
      out.push(`${org} ${handle}: ${JSON.stringify(got)} where the model has ${JSON.stringify(g)}`);
  }
  return out;
}
