/**
 * The plan review page (renderPlanHtml): a node per component, shared resource and Terraform resource in the
 * diagram, the diff sections against a base with data loss flagged, the cost delta equal to the difference of
 * the estimates, every plan string escaped, nothing that would load from the network.
 */
import { describe, expect, it } from 'vitest';
import { defineBackend } from '../../src/backend/define-backend.js';
import { CrudApi } from '../../src/components/crud/index.js';
import { FunctionsApp } from '../../src/components/functions/index.js';
import type { ResourcePlan } from '../../src/model/plan.js';
import { costDelta } from '../../src/plan/checks/budget.js';
import { diffPlans } from '../../src/plan/diff/diff.js';
import { renderPlanHtml } from '../../src/plan/render/index.js';

const user = (pk = '/id') =>
  CrudApi.define('UserApi', {
    entityName: 'User',
    schema: { id: 'string', name: 'string' },
    partitionKey: pk,
  });
const product = CrudApi.define('ProductApi', {
  entityName: 'Product',
  schema: { id: 'string', price: 'number' },
});
const order = CrudApi.define('OrderApi', {
  entityName: 'Order',
  schema: { id: 'string', total: 'number' },
});
const worker = FunctionsApp.define('Worker', {
  runtime: 'python',
  functions: { work: { trigger: 'queue', queueName: 'orders' } },
});
const config = { environment: 'prod', location: 'eastus', backendId: 'shop' } as const;

const before = defineBackend({ userApi: user(), productApi: product }, config).plan();
/** Adds an OrderApi, monitoring and a Python worker; the user container's partition key changes (data loss). */
const after = defineBackend(
  { userApi: user('/tenantId'), productApi: product, orderApi: order, worker },
  { ...config, monitoring: true },
).plan();

/** Attribute values of the diagram's nodes of one kind, unescaped. */
function nodes(html: string, kind: 'component' | 'resource' | 'deploy'): string[] {
  return [
    ...html.matchAll(new RegExp(`<g class="[^"]*" data-node="${kind}" data-key="([^"]*)"`, 'g')),
  ].map((m) => unescape(m[1]!));
}
const unescape = (s: string) =>
  s
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
const svgOf = (html: string) => html.slice(html.indexOf('<svg'), html.indexOf('</svg>'));

describe('renderPlanHtml', () => {
  it('is one self-contained document: doctype, lang, title, viewport, a no-network policy, no script, no external reference', () => {
    const html = renderPlanHtml(after);
    expect(html.startsWith('<!doctype html>\n<html lang="en">')).toBe(true);
    expect(html).toContain('<title>Atakora plan: shop (prod, eastus)</title>');
    expect(html).toContain('name="viewport"');
    expect(html).toContain("default-src 'none'");
    expect(html).not.toMatch(/<script|<link|<img|<iframe|@import|url\(/i);
    expect(html).not.toMatch(/\b(src|href)="(?!#)/); // only in-page anchors
    for (const landmark of [
      '<header>',
      '<nav aria-label="Sections">',
      '<main id="main">',
      '<footer>',
    ])
      expect(html).toContain(landmark);
    expect(renderPlanHtml(after)).toBe(html); // pure and deterministic
  });

  it('draws a node per component, per shared resource and per Terraform resource, labelled with their names', () => {
    const html = renderPlanHtml(after);
    const svg = svgOf(html);
    expect(nodes(html, 'component').sort()).toEqual(after.components.map((c) => c.key).sort());
    expect(nodes(html, 'resource').sort()).toEqual(after.resources.map((r) => r.key).sort());
    expect(nodes(html, 'deploy').sort()).toEqual(
      after.resources.flatMap((r) => r.deploys.map((d) => `${d.terraformType}.${d.name}`)).sort(),
    );
    for (const c of after.components) expect(svg).toContain(`>${c.id}</text>`);
    for (const r of after.resources) expect(svg).toContain(`>${r.name}</text>`);
    // Accessible: a role, a title and a description, and the text alternative names everything too.
    expect(svg).toMatch(/role="img" aria-labelledby="diagram-title diagram-desc"/);
    expect(svg).toContain('<title id="diagram-title">Architecture of shop (prod)</title>');
    const alt = html.slice(html.indexOf('id="components"'));
    for (const c of after.components) expect(alt).toContain(`data-component="${c.key}"`);
    for (const r of after.resources) expect(alt).toContain(`data-resource="${r.key}"`);
  });

  it('an edge from each component to each resource it uses or consumes', () => {
    const svg = svgOf(renderPlanHtml(after));
    // A component's resource map names one resource per type; a resource's consumers may name more (monitoring).
    const uses = after.components.reduce(
      (n, c) =>
        n +
        new Set([
          ...Object.values(c.resources),
          ...after.resources.filter((r) => r.consumers.includes(c.id)).map((r) => r.key),
        ]).size,
      0,
    );
    const deploys = after.resources.reduce((n, r) => n + r.deploys.length, 0);
    expect(svg.match(/<path class="edge"/g)).toHaveLength(uses);
    expect(svg.match(/<path class="edge edge-tf"/g)).toHaveLength(deploys);
  });

  it('lists the cost of every resource, shared and unshared, and the totals of the summary', () => {
    const html = renderPlanHtml(after);
    const cost = html.slice(
      html.indexOf('<section id="cost"'),
      html.indexOf('</section>', html.indexOf('<section id="cost"')),
    );
    for (const r of after.resources) {
      expect(cost).toContain(`data-key="${r.key}"`);
      expect(cost).toContain(`$${r.estimatedMonthlyUsd.toFixed(2)}`);
    }
    expect(cost).toContain(`data-usd="${after.summary.estimatedMonthlyUsd.shared}"`);
    expect(cost).toContain(`$${after.summary.estimatedMonthlyUsd.unshared.toFixed(2)}`);
  });

  it('shows the "before you deploy" block the other formats show', () => {
    const html = renderPlanHtml(after);
    expect(html).toContain('<h2 id="deploy-heading">Before you deploy</h2>');
    expect(html).toContain('roles at subscription scope');
    expect(html).toContain('resource providers: ');
    expect(html).toMatch(/\d+ Terraform resources of \d+ types/);
  });

  it('without a base: no changes section, the estimate in the headline', () => {
    const html = renderPlanHtml(after);
    expect(html).not.toContain('id="changes"');
    expect(html).toContain(
      `Estimated $${after.summary.estimatedMonthlyUsd.shared.toFixed(2)} a month`,
    );
  });

  it('with a base: what is added, changed and replaced, data loss flagged on the replaced container, the cost delta', () => {
    const diff = diffPlans(before, after);
    const html = renderPlanHtml(after, { base: before });
    const changes = html.slice(
      html.indexOf('<section id="changes"'),
      html.indexOf('</section>', html.indexOf('<section id="changes"')),
    );
    for (const r of diff.resources.adds)
      expect(changes).toContain(`data-action="add" data-key="${r.key}"`);
    for (const r of diff.resources.changes)
      expect(changes).toMatch(new RegExp(`data-action="change" data-key="${r.key}"`));
    for (const d of diff.deploys.adds)
      expect(changes).toContain(`data-action="create" data-address="${d.address}"`);
    const lost = diff.deploys.replacements.filter((d) => d.stateful);
    expect(lost.map((d) => d.terraformType)).toEqual(['azurerm_cosmosdb_sql_container']);
    expect(changes).toContain(
      `<tr class="replace data-loss" data-action="replace" data-address="${lost[0]!.address}">`,
    );
    // The data-loss warning heads the page, before the diagram.
    const header = html.slice(0, html.indexOf('</header>'));
    expect(header).toContain('id="data-loss"');
    expect(header).toContain('STATEFUL_REPLACEMENT');
    expect(header).toContain('this change destroys data');
    // The cosmos account changes in place, yet loses the container's data: its row says so.
    expect(changes).toContain(
      '<tr class="change data-loss" data-action="change" data-key="cosmos:shared">',
    );
    // The diagram marks the same nodes.
    const svg = svgOf(html);
    expect(svg).toContain(
      `data-node="deploy" data-key="${lost[0]!.address}" data-mark="data-loss"`,
    );
    for (const r of diff.resources.adds)
      expect(svg).toContain(`data-node="resource" data-key="${r.key}" data-mark="added"`);
    // The delta is exactly the difference of the estimates.
    const delta = Number(/data-delta-usd="([^"]+)"/.exec(changes)![1]);
    expect(delta).toBe(
      after.summary.estimatedMonthlyUsd.shared - before.summary.estimatedMonthlyUsd.shared,
    );
    expect(delta).toBe(costDelta(before, after).deltaUsd);
    expect(changes).toContain(`+$${delta.toFixed(2)} a month`);
    expect(html).toContain(`Monthly cost +$${delta.toFixed(2)}`);
  });

  it('a replaced stateful resource and a removed one are data loss; a cheaper plan shows a negative delta', () => {
    // The base had a Cosmos account under another name (a rename is a replacement) and a Key Vault now gone.
    const base = JSON.parse(JSON.stringify(after)) as {
      resources: { key: string; name: string; type: string; estimatedMonthlyUsd: number }[];
      summary: { estimatedMonthlyUsd: { shared: number } };
    };
    const cosmos = base.resources.find((r) => r.type === 'cosmos')!;
    cosmos.name = 'cosmos-shop-prod-old';
    base.resources.push({
      ...cosmos,
      key: 'keyvault:shared',
      type: 'keyvault',
      name: 'kv-shop-prod',
      estimatedMonthlyUsd: 3,
    } as never);
    base.summary.estimatedMonthlyUsd.shared += 3;
    const html = renderPlanHtml(after, { base: base as unknown as ResourcePlan });
    expect(html).toContain(
      '<tr class="replace data-loss" data-action="replace" data-key="cosmos:shared">',
    );
    expect(html).toContain('cosmos-shop-prod-old → ');
    expect(html).toContain(
      '<tr class="remove data-loss" data-action="remove" data-key="keyvault:shared">',
    );
    expect(html).toContain('data-node="resource" data-key="cosmos:shared" data-mark="data-loss"');
    expect(html).toContain('-$3.00 a month');
  });

  it('shows the budget verdict when given one', () => {
    const shared = after.summary.estimatedMonthlyUsd.shared;
    expect(renderPlanHtml(after, { budget: { maxMonthlyUsd: shared - 1 } })).toContain(
      '<div id="budget" class="callout danger" data-over="true">',
    );
    expect(renderPlanHtml(after, { budget: { maxMonthlyUsd: shared } })).toContain(
      'data-over="false"',
    );
    expect(renderPlanHtml(after, { budget: {} })).not.toContain('id="budget"');
  });

  it('escapes every string of the plan: hostile component ids, keys, names, types and messages stay text', () => {
    const evil = '<script>alert("x")</script>';
    const p = JSON.parse(JSON.stringify(after)) as {
      components: { key: string; id: string; type: string }[];
      resources: { name: string; consumers: string[]; deploys: { name: string }[] }[];
      issues: unknown[];
      backendId: string;
    };
    p.backendId = `shop"><img src=x onerror=alert(1)>`;
    p.components[0]!.id = evil;
    p.components[0]!.key = `k'"&<>`;
    p.components[0]!.type = '</text></svg><script>1</script>';
    p.resources[0]!.name = `"onmouseover="alert(1)`;
    p.resources[0]!.consumers.push('<b>ghost</b>');
    p.resources[0]!.deploys[0]!.name = '</title><script>2</script>';
    p.issues.push({
      severity: 'warning',
      code: 'SOME_WARNING',
      message: `<iframe src="https://evil.example">`,
      resolution: '<style>*{display:none}</style>',
    });
    const html = renderPlanHtml(p as unknown as ResourcePlan, { base: after });
    expect(html).not.toMatch(/<script|<img|<iframe|<b>ghost|<style>\*|onmouseover="alert/i);
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(html).toContain('data-key="k&#39;&quot;&amp;&lt;&gt;"');
    expect(html).toContain('&quot;onmouseover=&quot;alert(1)');
    expect(html).toContain('&lt;iframe src=&quot;https://evil.example&quot;&gt;');
    // Still one node per component, the ghost consumer included, each with its unescaped key.
    expect(nodes(html, 'component')).toContain(`k'"&<>`);
    expect(nodes(html, 'component')).toContain('<b>ghost</b>');
    expect(html.match(/<\/svg>/g)).toHaveLength(1);
    expect(html.match(/<style>/g)).toHaveLength(1);
  });
});
