/**
 * Properties of the review page over random plans (test/support/plan-arbitraries.ts): every component, shared
 * resource and Terraform resource has its diagram node and its line in the text alternative, whatever its name;
 * no plan string escapes into markup; with any base the delta is the difference of the two estimates.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { renderPlanHtml } from '../../src/plan/render/index.js';
import { arbitraryPlan } from '../support/plan-arbitraries.js';

const unescape = (s: string) =>
  s
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
const attrs = (html: string, re: RegExp) => [...html.matchAll(re)].map((m) => unescape(m[1]!));

describe('renderPlanHtml over random plans', () => {
  it('lists every component, resource and Terraform resource in the diagram and in the text, escaped', () => {
    fc.assert(
      fc.property(arbitraryPlan(), (plan) => {
        const html = renderPlanHtml(plan);
        const svg = html.slice(html.indexOf('<svg'), html.indexOf('</svg>'));
        const componentNodes = attrs(svg, /data-node="component" data-key="([^"]*)"/g);
        for (const c of plan.components) expect(componentNodes).toContain(c.key);
        // Consumers that are no component get a node of their own.
        for (const r of plan.resources)
          for (const id of r.consumers)
            expect(plan.components.some((c) => c.id === id) || componentNodes.includes(id)).toBe(
              true,
            );
        expect(attrs(svg, /data-node="resource" data-key="([^"]*)"/g)).toEqual(
          plan.resources.map((r) => r.key).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)),
        );
        expect(attrs(svg, /data-node="deploy" data-key="([^"]*)"/g).sort()).toEqual(
          plan.resources
            .flatMap((r) => r.deploys.map((d) => `${d.terraformType}.${d.name}`))
            .sort(),
        );
        const alt = html.slice(html.indexOf('<section id="components"'));
        expect(attrs(alt, /data-component="([^"]*)"/g)).toEqual(plan.components.map((c) => c.key));
        expect(attrs(alt, /data-resource="([^"]*)"/g)).toEqual(plan.resources.map((r) => r.key));
        // Markup is only the renderer's: one svg, one style, no script whatever the names.
        expect(html.match(/<svg/g)).toHaveLength(1);
        expect(html.match(/<\/svg>/g)).toHaveLength(1);
        expect(html.match(/<style>/g)).toHaveLength(1);
        expect(html).not.toMatch(/<script/i);
      }),
      { numRuns: 150 },
    );
  });

  it('with a base, the cost delta is after − before exactly', () => {
    fc.assert(
      fc.property(
        arbitraryPlan({ maxComponents: 4 }),
        arbitraryPlan({ maxComponents: 4 }),
        (base, plan) => {
          const html = renderPlanHtml(plan, { base });
          const delta = Number(/data-delta-usd="([^"]+)"/.exec(html)![1]);
          expect(delta).toBe(
            plan.summary.estimatedMonthlyUsd.shared - base.summary.estimatedMonthlyUsd.shared,
          );
        },
      ),
      { numRuns: 60 },
    );
  });
});
