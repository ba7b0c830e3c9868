import { describe, expect, it } from 'vitest';
import { defineBackend } from '../../src/backend/define-backend.js';
import { CrudApi } from '../../src/components/crud/index.js';
import type { ResourcePlan } from '../../src/model/plan.js';
import { diffPlans } from '../../src/plan/diff/diff.js';
import {
  renderDiffMarkdown,
  renderDiffText,
  renderPlanMarkdown,
  renderPlanMermaid,
  renderPlanText,
} from '../../src/plan/render/index.js';

const apis = {
  userApi: CrudApi.define('UserApi', {
    entityName: 'User',
    schema: { id: 'string', name: 'string' },
  }),
  productApi: CrudApi.define('ProductApi', {
    entityName: 'Product',
    schema: { id: 'string' },
    consistency: 'Strong',
  }),
  orderApi: CrudApi.define('OrderApi', { entityName: 'Order', schema: { id: 'string' } }),
};
const basic = (limits = {}) =>
  defineBackend(apis, { environment: 'prod', location: 'eastus', limits }).plan();

/** A plan edited by hand: names and messages with characters that break tables and diagrams. */
function hostile(): ResourcePlan {
  const p = JSON.parse(JSON.stringify(basic())) as {
    resources: { name: string; consumers: string[] }[];
    components: { id: string; outputs: Record<string, unknown> }[];
    issues: unknown[];
  };
  p.resources[0]!.name = 'evil|name"quoted"<b>';
  p.components[0]!.id = 'Odd"Id|x';
  p.components[0]!.outputs['apiEndpoint'] = 'https://x.example/a|b';
  p.issues.push({ severity: 'warning', code: 'SOME_WARNING', message: 'pipes | in | message' });
  return p as unknown as ResourcePlan;
}

describe('renderPlanText', () => {
  it('lists every resource name and consumer, and the cost summary, without colour by default', () => {
    const plan = basic();
    const text = renderPlanText(plan);
    for (const r of plan.resources) {
      expect(text).toContain(r.name);
      expect(text).toContain(r.key);
    }
    expect(text).toContain('OrderApi, ProductApi, UserApi');
    expect(text).toContain(`$${plan.summary.estimatedMonthlyUsd.shared.toFixed(2)} shared`);
    expect(text).toContain(`$${plan.summary.estimatedMonthlyUsd.unshared.toFixed(2)} unshared`);
    expect(text).toMatch(/\d+% reduction/);
    expect(text).not.toContain('\u001b[');
  });

  it("shows a limit violation in the seeds' shape", () => {
    const plan = basic({ maxCosmosAccounts: 1 });
    expect(plan.limitViolations).toHaveLength(1);
    const text = renderPlanText(plan);
    expect(text).toContain('Maximum Cosmos DB accounts exceeded');
    expect(text).toMatch(
      /Limit: 1\n\s+Requested: 2\n\s+Solution: Either:\n\s+1\. Increase maxCosmosAccounts in backend config\n\s+2\. /,
    );
    expect(renderPlanText(basic())).not.toContain('Limit:');
  });

  it('colours only when asked', () => {
    expect(renderPlanText(basic({ maxCosmosAccounts: 1 }), { color: true })).toContain(
      '\u001b[31m',
    );
  });

  it('shows warnings and errors with their codes', () => {
    const text = renderPlanText(hostile());
    expect(text).toContain('Warnings (1):');
    expect(text).toContain('SOME_WARNING: pipes | in | message');
  });
});

describe('renderDiffText', () => {
  it('shows data-loss errors, replacements with their reasons, and changed paths', () => {
    const pk = defineBackend(
      {
        ...apis,
        userApi: CrudApi.define('UserApi', {
          entityName: 'User',
          schema: { id: 'string', name: 'string' },
          partitionKey: '/tenantId',
        }),
      },
      { environment: 'prod', location: 'eastus' },
    ).plan();
    const text = renderDiffText(diffPlans(basic(), pk));
    expect(text).toMatch(/^Errors \(1\):/);
    expect(text).toContain('STATEFUL_REPLACEMENT');
    expect(text).toContain('-/+ azurerm_cosmosdb_sql_container.');
    expect(text).toContain('databases[user-db].containers[user].partitionKey: "/id" → "/tenantId"');
    expect(text).toContain('Terraform: 0 to create, 1 to update, 1 to replace, 0 to destroy.');
    expect(renderDiffText(diffPlans(basic(), basic()))).toContain('No changes.');
  });
});

describe('renderPlanMarkdown', () => {
  const tableRows = (md: string, heading: string) => {
    const section = md.split(`### ${heading}`)[1]!.split('\n### ')[0]!;
    return section
      .split('\n')
      .filter((l) => l.startsWith('| ') && !l.startsWith('| ---'))
      .slice(1); // header row out
  };

  it('has one resources row per resource and one components row per component', () => {
    const plan = basic();
    const md = renderPlanMarkdown(plan);
    expect(md.startsWith('## ')).toBe(true);
    expect(tableRows(md, 'Resources')).toHaveLength(plan.resources.length);
    expect(tableRows(md, 'Components')).toHaveLength(plan.components.length);
    for (const r of plan.resources) expect(md).toContain(`| \`${r.key}\` | \`${r.name}\` |`);
    expect(md).toContain(`$${plan.resources[0]!.estimatedMonthlyUsd.toFixed(2)}`);
    expect(md).toContain('https://'); // endpoints
    expect(md).not.toContain('### Issues');
  });

  it('escapes pipes so every row keeps its column count', () => {
    const md = renderPlanMarkdown(hostile());
    // In a code span `<b>` is literal text; only the pipe needs escaping there.
    expect(md).toContain('`evil\\|name"quoted"<b>`');
    expect(md).toContain('Odd"Id\\|x');
    expect(md).toContain('https://x.example/a\\|b');
    const resourceRows = tableRows(md, 'Resources');
    for (const row of resourceRows) expect(row.replace(/\\\|/g, '').split('|')).toHaveLength(7);
    const componentRows = tableRows(md, 'Components');
    for (const row of componentRows) expect(row.replace(/\\\|/g, '').split('|')).toHaveLength(5);
    expect(md).toContain('- ⚠️ **SOME_WARNING**');
  });

  it('lists limit violations as errors with their solutions', () => {
    const md = renderPlanMarkdown(basic({ maxCosmosAccounts: 1 }));
    expect(md).toContain('- ❌ **maxCosmosAccounts**');
    expect(md).toContain('Limit: 1, Requested: 2');
    expect(md).toContain('  1. Increase maxCosmosAccounts in backend config');
  });

  it('renders a diff with data loss first', () => {
    const other = defineBackend(apis, { environment: 'dev', location: 'eastus' }).plan();
    const md = renderDiffMarkdown(diffPlans(basic(), other));
    expect(md).toContain('[!CAUTION]');
    expect(md).toContain('❌ **STATEFUL_REPLACEMENT**');
    expect(md.indexOf('### Issues')).toBeLessThan(md.indexOf('### Resources'));
    expect(tableRows(md, 'Resources')).toHaveLength(basic().resources.length);
    expect(renderDiffMarkdown(diffPlans(basic(), basic()))).toContain('No changes.');
  });
});

describe('renderPlanMermaid', () => {
  const NODE = /^  ([A-Za-z0-9_]+)(\["(?:[^"]*)"\]|\[\("(?:[^"]*)"\)\])$/;
  const EDGE = /^  ([A-Za-z0-9_]+) --> ([A-Za-z0-9_]+)$/;

  it('is a flowchart LR with one edge per (component, resource) pair and valid ids', () => {
    const plan = basic();
    const mmd = renderPlanMermaid(plan);
    const lines = mmd.trimEnd().split('\n');
    expect(lines[0]).toBe('flowchart LR');
    const nodes = lines.filter((l) => NODE.test(l)).map((l) => NODE.exec(l)![1]!);
    const edges = lines.filter((l) => EDGE.test(l));
    expect(nodes.length + edges.length).toBe(lines.length - 1); // nothing else, so nothing invalid
    expect(new Set(nodes).size).toBe(plan.components.length + plan.resources.length);
    const pairs = plan.resources.reduce((n, r) => n + r.consumers.length, 0);
    expect(edges).toHaveLength(pairs);
    expect(new Set(edges).size).toBe(edges.length);
    for (const e of edges) {
      const [, from, to] = EDGE.exec(e)!;
      expect(nodes).toContain(from);
      expect(nodes).toContain(to);
    }
  });

  it('quotes labels and sanitises ids whatever the names hold', () => {
    const mmd = renderPlanMermaid(hostile());
    expect(mmd).toContain('#quot;quoted#quot;');
    expect(mmd).toContain('Odd#quot;Id|x');
    for (const line of mmd.trimEnd().split('\n').slice(1))
      expect(NODE.test(line) || EDGE.test(line)).toBe(true);
  });

  it('keeps ids distinct when keys sanitise alike', () => {
    const p = JSON.parse(JSON.stringify(basic())) as { resources: { key: string }[] };
    p.resources[1]!.key = p.resources[0]!.key.replace(':', '_');
    const ids = renderPlanMermaid(p as unknown as ResourcePlan)
      .split('\n')
      .filter((l) => NODE.test(l))
      .map((l) => NODE.exec(l)![1]);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
