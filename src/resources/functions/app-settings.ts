import { at } from '../../model/at.js';
import { requirementPath } from '../../kit/pure/resources/requirement-path.js';
import type { PlanIssue } from '../../model/plan.js';
import type { FunctionsRequirementConfig } from './requirement.js';
import type { TypedRequirement } from '../../kit/pure/resources/resource-type.js';
import { compare } from '../../kit/pure/resources/merge-strategies.js';
import { settingName, settingPrefix } from '../../kit/pure/names/terraform-names.js';
import { frozenStringRecord } from '../../kit/pure/plain-data.js';
import {
  componentIdentitySetting,
  IDENTITY_CLIENT_ID,
} from '../../kit/pure/names/component-identity.js';
import {
  isQueueConnectionSetting,
  markWithoutQueueConnections,
  ownsQueueConnection,
  QUEUE_CONNECTION_IDENTITY,
} from './queue-connections.js';
import { isAppliedSetting, mayNameAppliedSetting } from './applied-settings.js';
import { CHANGE_FEED_CLIENT_ID, ownsChangeFeedConnection } from './change-feed-connection.js';
import { isPlatformSetting, isSecretReference } from './declared-settings.js';

type FunctionsRequirement = TypedRequirement<FunctionsRequirementConfig>;

/**
 * A Function App's settings from its consumers' requirements (sorted by component id), as an object in
 * code-unit order of the names: each component's `environmentVariables` under its own prefix
 * (`UserApi` + `COSMOS_ENDPOINT` → `USER_API_COSMOS_ENDPOINT`), and `sharedSettings` as given.
 *
 * Two components that would write one name are an error, never a silent overwrite (`APP_SETTING_COLLISION`):
 * `Api`'s `X_MODE` and `ApiX`'s `MODE` are both `API_X_MODE`, and one would read the other's value; so is a
 * setting apply would replace (a consumer's identity setting, a queue owner's connection, the app's own:
 * applied-settings.ts). Ids that share a prefix, `UserApi` and `user-api`, are refused before
 * (backend/component-ids.ts). Shared settings may repeat across components with the same value; a different
 * value is a `MERGE_CONFLICT`.
 *
 * @example
 * ```ts
 * const issues: PlanIssue[] = [];
 * mergeAppSettings(reqs, issues); // { USER_API_COSMOS_ENDPOINT: 'https://…', USER_API_DATABASE_NAME: 'user-db' }
 * ```
 */
export function mergeAppSettings(
  reqs: readonly FunctionsRequirement[],
  issues: PlanIssue[],
): { [name: string]: string } {
  return prefixOrdered(reqs) ?? byName(reqs, issues);
}

/** One requirement's own settings and the prefix that namespaces them (with its `_`). */
interface Prefixed {
  readonly prefix: string;
  readonly r: FunctionsRequirement;
  readonly env: Readonly<Record<string, string>> | undefined;
}

/**
 * The common case without a sort of every name (30,000 at 10,000 CrudApis): no shared settings, no setting
 * named like the component's identity setting, and prefixes none of which starts another. Then every name
 * under a smaller prefix sorts before every name under a larger one (they differ inside the smaller prefix),
 * so the requirements in prefix order, each with its own names in order, give the names in order, and no two
 * names can be equal, nor equal another consumer's identity setting. Undefined otherwise: the general path
 * sorts the names and reports the collisions.
 */
function prefixOrdered(
  reqs: readonly FunctionsRequirement[],
): { [name: string]: string } | undefined {
  // Indexed loops, one key array per component (no entry array per setting): most of this runs before the JIT
  // optimises it in a fresh process's first plan, where a for…of allocates an iterator result per item.
  const own: Prefixed[] = [];
  for (let i = 0; i < reqs.length; i++) {
    const r = at(reqs, i);
    const c = r.requirement.config;
    if (c.sharedSettings !== undefined && hasKey(c.sharedSettings)) return undefined;
    if (c.declaredSettings !== undefined && hasKey(c.declaredSettings)) return undefined;
    // Every consumer, settings or not: its identity's client id is a setting under its prefix too (set by apply).
    own.push({ prefix: `${settingPrefix(r.componentId)}_`, r, env: c.environmentVariables });
  }
  own.sort(byPrefix);
  let previous: Prefixed | undefined;
  for (let i = 0; i < own.length; i++) {
    const p = at(own, i);
    if (previous && p.prefix.startsWith(previous.prefix)) return undefined;
    if (mayNameAppliedSetting(p.prefix)) return undefined;
    previous = p;
  }
  const out: { [name: string]: string } = {};
  // A custom component's values are typed, not checked: only a record of strings is frozen here, unwalked.
  let strings = true;
  // Whether a name is a queue connection's, found as the names are written (functions/queue-connections.ts).
  let queues = false;
  for (let i = 0; i < own.length; i++) {
    const { r, env } = at(own, i);
    if (env === undefined) continue;
    const keys = Object.keys(env);
    if (!keysInOrder(keys)) keys.sort(compare);
    for (let k = 0; k < keys.length; k++) {
      const key = at(keys, k);
      const value = env[key]!;
      // One apply may set under this component's prefix (under another prefix it would start this one: handled above).
      if (RESERVED_LOCAL.has(key)) return undefined;
      if (typeof value !== 'string') strings = false;
      const name = settingName(r.componentId, key);
      out[name] = value;
      if (!queues && isQueueConnectionSetting(name)) queues = true;
    }
  }
  if (!queues) markWithoutQueueConnections(out);
  return strings ? frozenStringRecord(out) : out;
}

const byPrefix = (a: Prefixed, b: Prefixed) => compare(a.prefix, b.prefix);

/** Names apply may set under a component's prefix: its identity's client id, its queue connection's identity. */
const RESERVED_LOCAL: ReadonlySet<string> = new Set([
  IDENTITY_CLIENT_ID,
  ...QUEUE_CONNECTION_IDENTITY,
  CHANGE_FEED_CLIENT_ID,
]);

function hasKey(record: object): boolean {
  for (const _ in record) return true;
  return false;
}

function keysInOrder(keys: readonly string[]): boolean {
  for (let i = 1; i < keys.length; i++) if (!(at(keys, i - 1) < at(keys, i))) return false;
  return true;
}

/**
 * Who wrote a name first, and how: a component's own setting, a shared one, or one apply sets under the
 * component's prefix (`identity`: its identity's client id, its queue connection's credential and client id).
 */
interface Writer {
  readonly componentId: string;
  readonly shared: boolean;
  readonly identity?: true;
  /** A user's environment variable under its own name (`declaredSettings`), or a secret's Key Vault reference. */
  kind?: 'declared' | 'secret';
  value: string;
  /** Whether a collision on this name was reported (once per name). */
  reported: boolean;
}

const describe = (kind: Writer['kind'], id: string): string =>
  `${kind === 'secret' ? 'a secret' : kind === 'declared' ? 'an environment variable' : 'a setting'} of ${id}`;

/** Every name through one map, collisions and conflicts reported, then sorted. */
function byName(
  reqs: readonly FunctionsRequirement[],
  issues: PlanIssue[],
): { [name: string]: string } {
  const merge = new SettingsMerge(issues);
  // Written first, never output: apply sets each consumer's identity setting beside these
  // (kit/cdktf/component-identity.ts).
  for (const req of reqs) merge.reserveApplied(req);
  for (const r of reqs) {
    const { environmentVariables: env, sharedSettings: shared } = r.requirement.config;
    if (env)
      for (const [k, v] of Object.entries(env))
        merge.write({ name: settingName(r.componentId, k), value: v, r, shared: false, local: k });
    if (shared)
      for (const [k, v] of Object.entries(shared))
        merge.write({ name: k, value: v, r, shared: true, local: k });
    const declared = r.requirement.config.declaredSettings;
    if (declared)
      for (const [k, v] of Object.entries(declared))
        merge.write({ name: k, value: v, r, shared: true, local: k, declared: true });
  }
  merge.finish();
  return merge.sorted();
}

/** One setting a requirement writes: its app setting name and value, and its name in the requirement. */
interface Written {
  readonly name: string;
  readonly value: string;
  readonly r: FunctionsRequirement;
  readonly shared: boolean;
  readonly local: string;
  readonly declared?: boolean;
}

/** How a written setting is named in messages and paths. */
interface WrittenAs {
  /** The requirement's field the setting came from. */
  readonly field: string;
  /** What the setting is, in a message ("shared setting", "environment variable X", or its local name). */
  readonly what: string;
  /** What a resolution asks to rename. */
  readonly rename: string;
  readonly kind: Writer['kind'];
}

/** The writers of every app setting name of one Function App, and the issues their collisions raise. */
class SettingsMerge {
  private readonly writers = new Map<string, Writer>();
  /**
   * Shared settings that disagree, reported by `finish` once every write is in: a name that also collides is that
   * collision alone, whichever of its writes came first.
   */
  private readonly conflicts: { readonly name: string; readonly issue: PlanIssue }[] = [];

  constructor(private readonly issues: PlanIssue[]) {}

  /** The names apply sets under a consumer's prefix: its identity, its queue and change feed connections. */
  reserveApplied(req: FunctionsRequirement): void {
    const id = req.componentId;
    this.reserve(componentIdentitySetting(id), id);
    // A queue connection's owner: apply sets its connection's credential and client id (provision.ts).
    if (ownsQueueConnection(req.requirement.config.environmentVariables))
      for (const k of QUEUE_CONNECTION_IDENTITY) this.reserve(settingName(id, k), id);
    // A change feed trigger's owner: apply sets its connection's client id (provision.ts).
    if (ownsChangeFeedConnection(req.requirement.config.environmentVariables))
      this.reserve(settingName(id, CHANGE_FEED_CLIENT_ID), id);
  }

  write(w: Written): void {
    const { name, value, r, shared, local } = w;
    const declared = w.declared === true;
    const as: WrittenAs = {
      field: declared ? 'declaredSettings' : shared ? 'sharedSettings' : 'environmentVariables',
      what: declared ? `environment variable ${local}` : shared ? 'shared setting' : local,
      rename: shared && !declared ? 'the shared setting' : local,
      kind: declared ? 'declared' : shared && isSecretReference(value) ? 'secret' : undefined,
    };
    if (this.platformCollision(w, as)) return;
    const known = this.writers.get(name);
    if (known === undefined) {
      this.writers.set(name, {
        componentId: r.componentId,
        shared,
        value,
        reported: false,
        ...(as.kind ? { kind: as.kind } : {}),
      });
      return;
    }
    if (known.identity) {
      this.appliedCollision(w, as, known);
      return;
    }
    if (known.shared && shared && (known.kind === 'declared' || as.kind === 'declared')) {
      this.declaredConflict(w, as, known);
      return;
    }
    if (known.shared && shared) {
      if (known.value !== value)
        this.conflicts.push({
          name,
          issue: {
            severity: 'error',
            code: 'MERGE_CONFLICT',
            components: [known.componentId, r.componentId],
            message:
              `App setting ${name} is ${known.value} for ${known.componentId} and ${value} for ${r.componentId}; ` +
              `shared settings must agree.`,
          },
        });
      return;
    }
    if (known.componentId === r.componentId && !known.shared && !shared) {
      // Two requirements of one component: the later one wins, as in an object spread.
      known.value = value;
      return;
    }
    this.componentsCollision(w, as, known);
  }

  /** Report the disagreeing shared settings of the names no collision was reported for. */
  finish(): void {
    for (const { name, issue } of this.conflicts)
      if (this.writers.get(name)?.reported !== true) this.issues.push(issue);
  }

  /** Every name but the reserved ones, in code-unit order. */
  sorted(): { [name: string]: string } {
    const out: { [name: string]: string } = {};
    // Code-unit order, compare()'s; each name with its writer, read once.
    for (const [name, w] of [...this.writers].sort(([a], [b]) => compare(a, b))) {
      if (!w.identity) out[name] = w.value;
    }
    return out;
  }

  private reserve(name: string, componentId: string): void {
    this.writers.set(name, {
      componentId,
      shared: false,
      identity: true,
      value: '',
      reported: false,
    });
  }

  /** A name the platform or apply owns outright: the setting is reported and not written. */
  private platformCollision({ name, r, local, declared }: Written, as: WrittenAs): boolean {
    if (declared && isPlatformSetting(name)) {
      this.collision(
        r,
        as.field,
        local,
        `Environment variable ${name} of ${r.componentId} is a name the Functions host, App Service or the ` +
          `backend sets or reads as its own configuration.`,
        'Rename the variable: FUNCTIONS_*, WEBSITE_*, AzureWebJobs*, APPLICATIONINSIGHTS_*, SCM_* and ATAKORA_* ' +
          "are the platform's.",
      );
      return true;
    }
    if (isAppliedSetting(name)) {
      this.collision(
        r,
        as.field,
        local,
        `App setting ${name} is one apply sets for the Function App itself: ${r.componentId}'s ` +
          `${as.what} would be replaced by it.`,
        `Rename ${as.rename}: the host storage connection, run-from-package, the ` +
          `host id and ATAKORA_* settings are the backend's.`,
      );
      return true;
    }
    return false;
  }

  /** A name apply sets under a component's prefix (its identity's client id, a connection's identity). */
  private appliedCollision({ name, r, local }: Written, as: WrittenAs, known: Writer): void {
    if (known.reported) return;
    known.reported = true;
    this.collision(
      r,
      as.field,
      local,
      name.endsWith(IDENTITY_CLIENT_ID)
        ? `App setting ${name} is the client id of ${known.componentId}'s identity, which apply sets: ` +
            `${r.componentId}'s ${as.what} would be replaced by it.`
        : `App setting ${name} is part of ${known.componentId}'s ` +
            `${name.endsWith(CHANGE_FEED_CLIENT_ID) ? 'change feed' : 'queue'} connection, which apply sets: ` +
            `${r.componentId}'s ${as.what} would be replaced by it.`,
      `Rename ${as.rename}: ${[...RESERVED_LOCAL].join(', ')} under a ` +
        `component's prefix are set by apply.`,
      known.componentId,
    );
  }

  /** A declared environment variable met again: a secret's reference, or another value. */
  private declaredConflict({ name, value, r, local }: Written, as: WrittenAs, known: Writer): void {
    const { kind } = as;
    const secret = known.kind === 'secret' || kind === 'secret';
    // One value written twice is one setting (two components, or a custom component's shared setting).
    if (!secret && known.value === value) return;
    if (known.reported) return;
    known.reported = true;
    // The Key Vault reference stays: the plain value must reach neither the plan nor the state.
    if (kind === 'secret') {
      known.value = value;
      known.kind = kind;
    }
    // Never the values: an environment variable may hold what should have been a secret.
    this.collision(
      r,
      as.field,
      local,
      secret
        ? `${name} is both a secret and an environment variable (${describe(known.kind, known.componentId)}, ` +
            `${describe(kind, r.componentId)}): the plain value would sit in the plan, the Terraform files ` +
            `and the state, and replace the Key Vault reference.`
        : `Environment variable ${name} has different values in ${known.componentId} and ${r.componentId}, ` +
            `which share one Function App: one of them would read the other's value.`,
      secret
        ? `Remove ${name} from environmentVariables and keep it in secrets (set its value with atakora ` +
            `secret set ${name}).`
        : `Give the variable one value in both components, or rename it in one of them.`,
      known.componentId,
      secret ? 'SECRET_ALSO_ENVIRONMENT_VARIABLE' : 'APP_SETTING_COLLISION',
    );
  }

  /** Two components (or a component and a shared setting) writing one name. */
  private componentsCollision(
    { name, r, shared, local }: Written,
    as: WrittenAs,
    known: Writer,
  ): void {
    if (known.reported) return;
    known.reported = true;
    const how = (id: string, isShared: boolean) =>
      isShared
        ? `${id}'s shared setting`
        : `${id}'s ${id === r.componentId ? local : 'setting'} (prefix ${settingPrefix(id)})`;
    this.collision(
      r,
      as.field,
      local,
      `App setting ${name} would be written by ${how(known.componentId, known.shared)} and by ` +
        `${how(r.componentId, shared)} in one Function App: one component would read the other's value.`,
      `Rename ${as.rename}, or give one of the components another id.`,
      known.componentId,
    );
  }

  /** Requirement r's setting `local` collides with one apply writes, or with another component's (`other`). */
  private collision(
    r: FunctionsRequirement,
    field: string,
    local: string,
    message: string,
    resolution: string,
    other = r.componentId,
    code: 'APP_SETTING_COLLISION' | 'SECRET_ALSO_ENVIRONMENT_VARIABLE' = 'APP_SETTING_COLLISION',
  ): void {
    this.issues.push({
      severity: 'error',
      code,
      components: other === r.componentId ? [r.componentId] : [other, r.componentId].sort(compare),
      path: requirementPath(r, field, local),
      message,
      resolution,
    });
  }
}
