import type { PlannedResource, ResourcePlan } from '../../model/plan.js';
import { HUB_SYSTEM_EVENTS } from '../../model/runtime-manifest.js';

/**
 * Where a Web PubSub's hub posts its connection events (resources/webpubsub/event-handler.ts: the Function App of
 * the first publisher that has one), or why a backend with plans gets none; undefined for any other resource and
 * for a backend without a tenant registry. One Markdown-free line every format shows, so a reviewer reads from the
 * plan whether the connection bounds hold in Azure.
 *
 * @example
 * ```ts
 * for (const r of plan.resources) console.log(realtimeEventsLine(plan, r) ?? '');
 * // 'realtime connection events (connected, disconnected) → https://func-….azurewebsites.net/api/realtime/events, …'
 * ```
 */
export function realtimeEventsLine(
  plan: Pick<ResourcePlan, 'components' | 'resources'>,
  resource: Pick<PlannedResource, 'type' | 'config'>,
): string | undefined {
  if (resource.type !== 'webpubsub') return undefined;
  const c = resource.config as {
    publishers?: readonly string[];
    connectionEvents?: boolean;
    connectionEventsOff?: string;
  };
  if (c.connectionEventsOff)
    return `realtime connection bounds not enforced: ${c.connectionEventsOff} (docs/realtime.md)`;
  if (!c.connectionEvents) return undefined;
  for (const id of c.publishers ?? []) {
    const key = plan.components.find((x) => x.id === id)?.resources['functions'];
    const app = plan.resources.find((r) => r.key === key);
    if (app)
      return (
        `realtime connection events (${HUB_SYSTEM_EVENTS.join(', ')}) → ` +
        `https://${app.name}.azurewebsites.net/api/realtime/events, authenticated by the service's identity`
      );
  }
  return undefined;
}
