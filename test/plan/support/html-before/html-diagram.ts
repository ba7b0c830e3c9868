import type { PlannedResource, ResourcePlan } from '../../../../src/model/plan.js';
import { compare } from '../../../../src/kit/pure/resources/merge-strategies.js';
import { usd } from '../../../../src/plan/checks/budget.js';
import { esc } from './html-escape.js';
import { at } from '../../../../src/model/at.js';

/** How a diagram node changes against a base plan; `data-loss` is a replacement of something holding data. */
export type ChangeMark = 'added' | 'changed' | 'replaced' | 'data-loss';

/** Marks per planned resource key and per Terraform address (`type.name`). */
export interface DiagramMarks {
  readonly resources: ReadonlyMap<string, ChangeMark>;
  readonly deploys: ReadonlyMap<string, ChangeMark>;
}

// Node text is monospace so widths follow from lengths and no label is ever cut: a name is shown whole.
const CHAR = 7.3;
const PAD = 12;
const TALL = 38;
const TALL_PITCH = 46;
const LINE = 18;
const LINE_PITCH = 22;
const GROUP_GAP = 12;
const GUTTER = 64;
const TOP = 30;

interface ComponentNode {
  readonly key: string;
  readonly id: string;
  readonly type: string;
}

/**
 * The plan's architecture as an SVG drawn here (no script, no external font): components on the left, the
 * shared resources they use in the middle, the Terraform resources behind each on the right. Every node is a
 * `<g data-node="component|resource|deploy">` carrying its key or address and a `<title>` with its full label;
 * `marks` colour what a base plan would add, change or replace. Pure; every plan string is escaped.
 *
 * @example
 * ```ts
 * const svg = architectureSvg(plan, { resources: new Map(), deploys: new Map() });
 * ```
 */
export function architectureSvg(plan: ResourcePlan, marks: DiagramMarks): string {
  const resources = [...plan.resources].sort((a, b) => compare(a.key, b.key));
  const components = componentNodes(plan);
  const keyOfId = new Map(plan.components.map((c) => [c.id, c.key]));
  const edges = new Set<string>();
  for (const c of plan.components)
    for (const r of Object.values(c.resources)) edges.add(`${c.key}\u0000${r}`);
  for (const r of resources)
    for (const id of r.consumers) edges.add(`${keyOfId.get(id) ?? id}\u0000${r.key}`);

  const widthOf = (labels: readonly string[], min: number) =>
    Math.max(min, ...labels.map((l) => Math.ceil(l.length * CHAR) + 2 * PAD));
  const cw = widthOf(
    components.flatMap((c) => [c.id, `${c.key} · ${c.type}`]),
    120,
  );
  const rw = widthOf(
    resources.flatMap((r) => [r.name, `${r.key} · ${usd(r.estimatedMonthlyUsd)}/mo`]),
    140,
  );
  const dw = widthOf(
    resources.flatMap((r) => r.deploys.map((d) => `${d.terraformType}.${d.name}`)),
    160,
  );
  const x0 = 0;
  const x1 = cw + GUTTER;
  const x2 = x1 + rw + GUTTER;

  // Each resource owns a band as tall as its Terraform resources (or its own node); it sits in the band's middle.
  const band = new Map<string, { top: number; height: number }>();
  let y = TOP;
  for (const r of resources) {
    const height = Math.max(TALL, r.deploys.length * LINE_PITCH - (LINE_PITCH - LINE));
    band.set(r.key, { top: y, height });
    y += height + GROUP_GAP;
  }
  const resourcesBottom = y;
  const componentY = new Map(components.map((c, i) => [c.key, TOP + i * TALL_PITCH]));
  const height = Math.max(resourcesBottom, TOP + components.length * TALL_PITCH) + 8;
  const width = x2 + dw + 2;

  const out: string[] = [];
  for (const e of [...edges].sort(compare)) {
    const [from, to] = e.split('\u0000') as [string, string];
    const cy = componentY.get(from);
    const b = band.get(to);
    if (cy === undefined || !b) continue;
    out.push(curve(x0 + cw, cy + TALL / 2, x1, b.top + b.height / 2, 'edge'));
  }
  for (const r of resources) {
    const b = band.get(r.key)!;
    r.deploys.forEach((_, i) =>
      out.push(
        curve(x1 + rw, b.top + b.height / 2, x2, b.top + i * LINE_PITCH + LINE / 2, 'edge edge-tf'),
      ),
    );
  }
  components.forEach((c) => {
    out.push(
      node({
        kind: 'component',
        x: x0,
        y: componentY.get(c.key)!,
        w: cw,
        h: TALL,
        key: c.key,
        title: `component ${c.id} (key ${c.key}, ${c.type})`,
        lines: [c.id, `${c.key} · ${c.type}`],
      }),
    );
  });
  for (const r of resources) {
    const b = band.get(r.key)!;
    const mark = marks.resources.get(r.key);
    out.push(
      node({
        kind: 'resource',
        x: x1,
        y: b.top + (b.height - TALL) / 2,
        w: rw,
        h: TALL,
        key: r.key,
        mark,
        title: `${r.type} resource ${r.name} (${r.key}), ${usd(r.estimatedMonthlyUsd)} a month, used by ${r.consumers.join(', ') || 'no component'}${mark ? `; ${markText(mark)}` : ''}`,
        lines: [r.name, `${r.key} · ${usd(r.estimatedMonthlyUsd)}/mo`],
      }),
    );
    r.deploys.forEach((d, i) => {
      const address = `${d.terraformType}.${d.name}`;
      const dm = marks.deploys.get(address);
      // The label is the whole address; a tooltip only says what the diff does to it.
      out.push(
        node({
          kind: 'deploy',
          x: x2,
          y: b.top + i * LINE_PITCH,
          w: dw,
          h: LINE,
          key: address,
          mark: dm,
          ...(dm ? { title: `${address}: ${markText(dm)}` } : {}),
          lines: [address],
        }),
      );
    });
  }
  const heads = [
    [x0, 'Components'],
    [x1, 'Shared resources'],
    [x2, 'Terraform resources'],
  ] as const;
  const totalDeploys = resources.reduce((n, r) => n + r.deploys.length, 0);
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" class="architecture" viewBox="0 0 ${width} ${height}" ` +
      `width="${width}" height="${height}" style="max-width:${width}px" role="img" ` +
      `aria-labelledby="diagram-title diagram-desc" data-components="${components.length}" ` +
      `data-resources="${resources.length}" data-deploys="${totalDeploys}">`,
    `<title id="diagram-title">Architecture of ${esc(plan.backendId)} (${esc(plan.environment)})</title>`,
    `<desc id="diagram-desc">${components.length} component${components.length === 1 ? '' : 's'} use ` +
      `${resources.length} shared resource${resources.length === 1 ? '' : 's'}, behind which apply creates ` +
      `${totalDeploys} Terraform resources. The list after the diagram says the same in text.</desc>`,
    ...heads.map(([x, t]) => `<text class="column-head" x="${x}" y="16">${t}</text>`),
    ...out,
    '</svg>',
  ].join('\n');
}

/** Planned components, plus any consumer a resource names that is not one (a custom provider's own). */
function componentNodes(plan: ResourcePlan): ComponentNode[] {
  const nodes: ComponentNode[] = plan.components.map((c) => ({
    key: c.key,
    id: c.id,
    type: c.type,
  }));
  const known = new Set(plan.components.flatMap((c) => [c.id, c.key]));
  const extra = new Set(
    plan.resources.flatMap((r: PlannedResource) => r.consumers.filter((id) => !known.has(id))),
  );
  for (const id of extra) nodes.push({ key: id, id, type: 'consumer' });
  return nodes.sort((a, b) => compare(a.key, b.key));
}

function node(n: {
  kind: string;
  x: number;
  y: number;
  w: number;
  h: number;
  key: string;
  title?: string;
  lines: readonly string[];
  mark?: ChangeMark | undefined;
}): string {
  // Written out rather than through attrText: the diagram of 1,000 components has ~6,000 nodes.
  const cls = n.mark ? ` mark-${n.mark}` : '';
  const mark = n.mark ? ` data-mark="${n.mark}"` : '';
  const text =
    n.lines.length === 1
      ? `<text x="${n.x + PAD}" y="${n.y + 13}" class="label">${esc(at(n.lines, 0))}</text>`
      : `<text x="${n.x + PAD}" y="${n.y + 16}" class="label">${esc(at(n.lines, 0))}</text><text ` +
        `x="${n.x + PAD}" y="${n.y + 31}" class="sub">${esc(n.lines[1] ?? '')}</text>`;
  const title = n.title === undefined ? '' : `<title>${esc(n.title)}</title>`;
  return (
    `<g class="node node-${n.kind}${cls}" data-node="${n.kind}" data-key="${esc(n.key)}"${mark}>${title}<rect ` +
    `x="${n.x}" y="${n.y}" width="${n.w}" height="${n.h}" rx="5"/>${text}</g>`
  );
}

function curve(xa: number, ya: number, xb: number, yb: number, cls: string): string {
  const mid = (xa + xb) / 2;
  return `<path class="${cls}" d="M${xa} ${ya}C${mid} ${ya} ${mid} ${yb} ${xb} ${yb}"/>`;
}

/**
 * A change mark in words, as the diagram's tooltips and the page's badges say it.
 *
 * @example
 * ```ts
 * markText('data-loss'); // 'replaced: data loss'
 * ```
 */
export function markText(mark: ChangeMark): string {
  return mark === 'data-loss' ? 'replaced: data loss' : mark;
}
