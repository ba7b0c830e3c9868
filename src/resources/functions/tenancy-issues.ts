import type { PlanIssue } from '../../model/plan.js';
import type { HostedFunction } from '../../model/requirements.js';
import {
  type AccessRule,
  type CrudOperation,
  DEFAULT_ACCESS,
  type RuntimeEntity,
  type RuntimeFileStore,
} from '../../model/runtime-manifest.js';

/** What the tenancy checks read of the backend config (auth on/off, a trusted gateway header, the directories). */
interface TenancyConfig {
  readonly auth: {
    readonly enabled: boolean;
    readonly allowedTenants?: readonly string[] | 'any' | 'registry';
  };
  readonly tenancy: { readonly trustGatewayHeader: boolean };
}

const WRITES: readonly CrudOperation[] = ['create', 'update', 'delete'];

/** Who each rule lets do an operation, in words, for a shared entity (`multi`: a multi-tenant backend). */
function whoMay(rules: readonly AccessRule[], op: CrudOperation, multi: boolean): string[] {
  const who: string[] = [];
  for (const r of rules) {
    if (r.operations !== undefined && !r.operations.includes(op)) continue;
    if (r.allow === 'authenticated')
      who.push(
        multi ? 'every signed-in caller of every allowed directory' : 'every signed-in caller',
      );
    else if (r.allow === 'owner')
      who.push(op === 'create' ? 'every signed-in caller (as owner)' : "the item's creator");
    else
      who.push(
        `holders of app role ` +
          `${r.role}${multi ? (r.tenants === 'any' ? ' in any allowed directory' : ' in your own directory') : ''}`,
      );
  }
  return [...new Set(who)];
}

/** What the rules of a shared entity actually allow, read and write: the CRUD_TENANCY_SHARED text. */
function sharedMessage(e: RuntimeEntity, multi: boolean): string {
  const rules = e.access ?? DEFAULT_ACCESS;
  const enabled = (op: CrudOperation) => e.operations.includes(op);
  const readers = [
    ...new Set([
      ...(enabled('read') ? whoMay(rules, 'read', multi) : []),
      ...(enabled('list') ? whoMay(rules, 'list', multi) : []),
    ]),
  ];
  const writes = WRITES.filter(enabled).map((op) => [op, whoMay(rules, op, multi)] as const);
  const writers = writes
    .filter(([, who]) => who.length > 0)
    .map(([op, who]) => `${op}: ${who.join(' or ')}`);
  const read = readers.length
    ? `${readers.join(' or ')} can read every ${e.entityName}`
    : `no one can read ${e.entityName} items`;
  const write = writers.length ? `changes — ${writers.join('; ')}` : 'no one can change them';
  return `${e.componentId}: tenancy 'shared' — one data set for every tenant: ${read}; ${write}.`;
}

/**
 * What the plan says about the CRUD runtime's tenant isolation: each CrudApi declared `tenancy: 'shared'`
 * (every caller sees and changes every item: the opt-out must be visible), and isolated CrudApis that no
 * caller can reach because, with `auth: 'none'` and no trusted gateway, the runtime has no tenant to
 * confine them to (it never trusts a principal header that nothing vouches for).
 *
 * @example
 * ```ts
 * const issues = tenancyIssues(entities, config); // [{ severity: 'warning', code: 'CRUD_TENANCY_SHARED', … }]
 * ```
 */
export function tenancyIssues(
  entities: readonly RuntimeEntity[],
  config: TenancyConfig | undefined,
): PlanIssue[] {
  const issues: PlanIssue[] = [];
  const multi = config?.auth.allowedTenants !== undefined;
  for (const e of entities) {
    if (e.tenancy === 'shared') {
      issues.push({
        severity: 'warning',
        code: 'CRUD_TENANCY_SHARED',
        components: [e.componentId],
        path: ['components', e.componentId, 'config', 'tenancy'],
        message: sharedMessage(e, multi),
      });
      const open = (e.access ?? []).filter((r) => r.allow === 'role' && r.tenants === 'any');
      if (multi && open.length > 0) {
        issues.push({
          severity: 'warning',
          code: 'CRUD_ROLE_ANY_TENANT',
          components: [e.componentId],
          path: ['components', e.componentId, 'config', 'access'],
          message:
            `${e.componentId}: ${open.map((r) => (r.allow === 'role' ? r.role : '')).join(', ')} with tenants: ` +
            `'any' on shared ${e.entityName} items: a user of any allowed directory whose own administrator ` +
            `assigns them that app role can change the data every tenant sees.`,
        });
      }
    }
  }
  const isolated = entities.filter((e) => e.tenancy !== 'shared').map((e) => e.componentId);
  if (config && !config.auth.enabled && !config.tenancy.trustGatewayHeader && isolated.length > 0) {
    issues.push({
      severity: 'warning',
      code: 'CRUD_TENANT_UNAVAILABLE',
      components: isolated,
      path: ['config', 'auth'],
      message:
        `${isolated.join(', ')} ${isolated.length === 1 ? 'is' : 'are'} confined to the caller's tenant, but ` +
        `with auth: 'none' no caller has one: every request is refused with 403 tenant-required.`,
    });
  }
  return issues;
}

/**
 * A warning per FileStore declared `tenancy: 'shared'`: one set of files for every caller (of every allowed
 * directory, in a multi-tenant backend), saying who may read, upload and delete across tenants under its rules.
 * Uploader ids are shown to the uploader only when the backend admits several directories (as shared CrudApi
 * items hide theirs).
 *
 * @example
 * ```ts
 * fileTenancyIssues(stores, config); // [{ severity: 'warning', code: 'FILES_TENANCY_SHARED', … }]
 * ```
 */
export function fileTenancyIssues(
  stores: readonly RuntimeFileStore[],
  config: TenancyConfig | undefined,
): PlanIssue[] {
  const multi = config?.auth.allowedTenants !== undefined;
  return stores
    .filter((f) => f.tenancy === 'shared')
    .map((f) => {
      const rules = f.access ?? DEFAULT_ACCESS;
      const who = (op: CrudOperation) => whoMay(rules, op, multi).join(' or ') || 'no one';
      return {
        severity: 'warning' as const,
        code: 'FILES_TENANCY_SHARED',
        components: [f.componentId],
        path: ['components', f.componentId, 'config', 'tenancy'],
        message:
          `${f.componentId}: tenancy 'shared' — one set of files for every tenant: read: ${who('read')}; ` +
          `list: ${who('list')}; upload: ${who('create')}; delete: ${who('delete')}` +
          (multi ? "; uploaders' ids are shown to themselves only." : '.'),
      };
    });
}

/**
 * A warning per HTTP function open to everyone (`access: [{ allow: 'anonymous' }]`): the runtime admits every
 * caller, signed in or not, of any directory, and App Service authentication exempts its path.
 *
 * @example
 * ```ts
 * anonymousFunctionIssues(hosted); // [{ severity: 'warning', code: 'FUNCTION_ANONYMOUS', … }]
 * ```
 */
export function anonymousFunctionIssues(hosted: readonly HostedFunction[]): PlanIssue[] {
  return hosted
    .filter((f) => f.trigger === 'http' && f.access?.some((r) => r.allow === 'anonymous'))
    .map((f) => ({
      severity: 'warning' as const,
      code: 'FUNCTION_ANONYMOUS',
      components: [f.componentId],
      path: [
        'components',
        f.componentId,
        'config',
        'functions',
        f.name.slice(f.componentId.length + 1),
        'access',
      ],
      message:
        `${f.name} (api/${f.route ?? f.name}) is anonymous: anyone on the internet, signed in or not, of any ` +
        `directory, can call it; its code must check what it serves.`,
    }));
}
