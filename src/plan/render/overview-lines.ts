import type { ResourcePlan } from '../../model/plan.js';
import { planOverview } from '../overview.js';
import { realtimeEventsLine } from './realtime-events-line.js';
import { declaredSecretName, isSecretName } from '../../kit/pure/names/secret-names.js';

/**
 * The overview of a plan as plain lines (text) or Markdown lines: the Terraform resource count (by type when
 * asked), endpoints, Entra registrations and the "before you deploy" block. Shared by the text and Markdown
 * renderers so both say the same.
 *
 * @example
 * ```ts
 * overviewLines(plan, { byType: true, markdown: false }).join('\n');
 * ```
 */
export function overviewLines(
  plan: ResourcePlan,
  options: { readonly byType?: boolean; readonly markdown: boolean },
): string[] {
  const o = planOverview(plan);
  const md = options.markdown;
  const code = (s: string) => (md ? `\`${s.replace(/`/g, "'")}\`` : s);
  const item = (s: string) => (md ? `- ${s}` : `  ${s}`);
  const heading = (s: string) => (md ? `### ${s}` : `${s}:`);
  const out: string[] = [];
  const types = Object.keys(o.terraformResources.byType).length;
  out.push(
    heading('What apply creates'),
    ...(md ? [''] : []),
    item(
      `${o.terraformResources.total} Terraform resources of ${types} types (${plan.summary.resources} shared ` +
        `Azure resources${options.byType ? '' : '; --by-type lists them'})`,
    ),
  );
  if (options.byType)
    for (const [t, n] of Object.entries(o.terraformResources.byType))
      out.push(md ? `  - ${code(t)}: ${n}` : `    ${t.padEnd(52)} ${n}`);
  for (const e of o.endpoints)
    out.push(item(`endpoint ${e.component}.${e.output}: ${code(e.url)}`));
  if (o.registrations.length > 0)
    out.push(item(`Microsoft Entra ID app registrations: ${o.registrations.map(code).join(', ')}`));
  // The declared storage queues (queue triggers' and the queues code sends to with queueClient), per account.
  for (const r of plan.resources) {
    const queues =
      r.type === 'storage' ? ((r.config['queues'] as readonly string[] | undefined) ?? []) : [];
    if (queues.length > 0)
      out.push(item(`storage queues in ${code(r.name)}: ${queues.map(code).join(', ')}`));
  }
  // The telemetry's cost line: ingestion at the configured sampling, an estimate at an assumed traffic.
  for (const r of plan.resources) {
    const i = r.type === 'monitoring' ? ingestionOf(r.config['ingestion']) : undefined;
    if (!i) continue;
    out.push(
      item(
        `telemetry to Application Insights: traces kept at ${String(i.samplingPercentage)}% ` +
          `(monitoring.samplingPercentage); about ${String(i.gbPerMonth)} GB ingested a month at an assumed ` +
          `${i.assumedRequestsPerMonth.toLocaleString('en-US')} requests: ~$${i.usdPerMonth.toFixed(2)}/month ` +
          `after the free 5 GB (docs/observability.md)`,
      ),
    );
  }
  // The backend's Web PubSub (realtime CrudApis): what its tier holds and what messages beyond it cost.
  for (const r of plan.resources) {
    if (r.type !== 'webpubsub') continue;
    const c = r.config as {
      sku?: string;
      units?: number;
      maxConnections?: number;
      includedMessagesPerDay?: number;
      pricePerMillionMessages?: number;
      publishers?: readonly string[];
    };
    const n = (x: number | undefined) => (x ?? 0).toLocaleString('en-US');
    out.push(
      item(
        `realtime ${code(r.name)}: ${String(c.sku)} × ${String(c.units)}, up to ${n(c.maxConnections)} ` +
          `connections and ${n(c.includedMessagesPerDay)} messages a day ` +
          (c.pricePerMillionMessages
            ? `included, then $${String(c.pricePerMillionMessages)} per million (a message: 2 KB to one connection)`
            : '(then nothing until the next day)') +
          `; for ${(c.publishers ?? []).join(', ')}`,
      ),
    );
    const events = realtimeEventsLine(plan, r);
    if (events) out.push(item(events));
  }
  const b = o.beforeYouDeploy;
  out.push(
    '',
    heading('Before you deploy'),
    ...(md ? [''] : []),
    item(`subscription: ${b.subscription}`),
    item(
      `roles at subscription scope (the stack creates its resource group; do not pre-create it): ` +
        b.roles.join(' + '),
    ),
  );
  if (b.directoryPermission) out.push(item(`directory permission to ${b.directoryPermission}`));
  out.push(
    item(
      `resource providers: ${b.resourceProviders.join(', ')}${b.registeredByStack.length ? ` (${b.registeredByStack.join(', ')} registered by the stack's provider block; the rest by azurerm's default set, or register them beforehand)` : " (registered by azurerm's default set, or register them beforehand)"}`,
    ),
  );
  if (b.deployerAddresses) out.push(item(`deployer addresses: ${b.deployerAddresses}`));
  if (b.reusedDnsZonesNeed)
    out.push(
      item(
        `private DNS zones reused: ${b.reusedDnsZones.map(code).join(', ')} (${b.reusedDnsZonesNeed})`,
      ),
    );
  const secrets = secretsToSet(plan);
  if (secrets.length)
    out.push(
      item(
        `secrets to set in this environment (names only; ${code('atakora secret set <entry> <NAME>')}, the ` +
          `value on stdin): ${secrets.join(', ')}`,
      ),
    );
  return out;
}

/**
 * The declared secrets each environment must hold before a deploy (after its first), as
 * `NAME (<vault>/<vault secret name>)`: names only, values never reach the plan. Every renderer lists them
 * (text, Markdown, the HTML review page).
 *
 * @example
 * ```ts
 * secretsToSet(plan); // ['STRIPE_KEY (kv-shop-prod-x1y2/STRIPE-KEY)']
 * ```
 */
export function secretsToSet(plan: ResourcePlan): string[] {
  return plan.resources
    .filter((r) => r.type === 'keyvault')
    .flatMap((r) =>
      ((r.config['secrets'] as string[] | undefined) ?? []).map((s) => {
        const declared = declaredSecretName(s);
        return `${isSecretName(declared) ? declared : s} (${r.name}/${s})`;
      }),
    );
}

/** The monitoring resource's ingestion estimate, read back from the plan's JSON (resources/monitoring/ingestion.ts). */
function ingestionOf(value: unknown):
  | {
      samplingPercentage: number;
      assumedRequestsPerMonth: number;
      gbPerMonth: number;
      usdPerMonth: number;
    }
  | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Record<string, unknown>;
  const n = (k: string) => (typeof v[k] === 'number' ? v[k] : undefined);
  const [samplingPercentage, assumedRequestsPerMonth, gbPerMonth, usdPerMonth] = [
    n('samplingPercentage'),
    n('assumedRequestsPerMonth'),
    n('gbPerMonth'),
    n('usdPerMonth'),
  ];
  return samplingPercentage === undefined ||
    assumedRequestsPerMonth === undefined ||
    gbPerMonth === undefined ||
    usdPerMonth === undefined
    ? undefined
    : { samplingPercentage, assumedRequestsPerMonth, gbPerMonth, usdPerMonth };
}
