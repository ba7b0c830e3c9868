import type { NormalizedConfig } from '../../model/config.js';
import type { PlanIssue } from '../../model/plan.js';
import type { PlanComponent } from '../plan-input.js';
import { MEMBERSHIP_EVENT_TYPES } from '../../contract/tenant-events.js';

/**
 * A `tenant-events` function needs organizations: its events are the entries of the organizations' audit log,
 * which only tenants by membership keep (`TENANT_EVENTS_NEED_MEMBERSHIP`, one error per function, naming whether
 * the backend has no tenants at all or a registry of directories).
 *
 * @example
 * ```ts
 * tenantEventsIssues(components, config); // [{ code: 'TENANT_EVENTS_NEED_MEMBERSHIP', … }] without membership
 * ```
 */
export function tenantEventsIssues(
  components: readonly PlanComponent[],
  config: NormalizedConfig,
): PlanIssue[] {
  if (config.tenants?.membership) return [];
  const issues: PlanIssue[] = [];
  for (const c of components) {
    if (c.definition.componentType !== 'FunctionsApp') continue;
    const fns = (c.definition.config as { functions?: Record<string, unknown> } | undefined)
      ?.functions;
    for (const [name, fn] of Object.entries(fns ?? {})) {
      const f = fn as { trigger?: unknown; events?: readonly string[] } | undefined;
      if (f?.trigger !== 'tenant-events') continue;
      const members = (f.events ?? MEMBERSHIP_EVENT_TYPES).filter((e) =>
        MEMBERSHIP_EVENT_TYPES.includes(e as never),
      );
      const has = config.tenants
        ? 'has a registry of directories, whose records keep no audit log'
        : 'has no tenants';
      issues.push({
        severity: 'error',
        code: 'TENANT_EVENTS_NEED_MEMBERSHIP',
        path: ['components', c.key, 'config', 'functions', name, 'trigger'],
        components: [c.definition.componentId],
        message:
          `${c.definition.componentId}-${name} takes tenant events${members.length ? ` (${members.join(', ')} among them)` : ''}, ` +
          `but the backend ${has}: the events are the organizations' audit log entries, kept with tenants by ` +
          `membership only.`,
        resolution:
          "Give the backend tenants by membership (tenants: { by: 'membership', plans: { … } }), or remove the " +
          'tenant-events function.',
      });
    }
  }
  return issues;
}
