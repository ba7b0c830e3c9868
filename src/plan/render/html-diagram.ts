import { at, atKey } from '../../model/at.js';
import type { PlannedResource, ResourcePlan } from '../../model/plan.js';
import { compare } from '../../kit/pure/resources/merge-strategies.js';
import { usd } from '../checks/budget.js';
import { esc } from './html-escape.js';
import type { HtmlOut } from './html-out.js';
import type { PageText } from './html-page-text.js';

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

/**
 * The plan's architecture as an SVG drawn here (no script, no external font): components on the left, the
 * shared resources they use in the middle, the Terraform resources behind each on the right. Every node is a
 * `<g data-node="component|resource|deploy">` carrying its key or address and a `<title>` with its full label;
 * `marks` colour what a base plan would add, change or replace. Pure; every plan string is escaped. Written into
 * `out`, the page's writer (html-out.ts: pieces joined a chunk at a time), with each plan string escaped once
 * (`text`).
 *
 * @example
 * ```ts
 * const out = new HtmlOut();
 * writeArchitectureSvg(out, plan, { resources: new Map(), deploys: new Map() }, pageText());
 * const svg = out.text();
 * ```
 */
export function writeArchitectureSvg(
  out: HtmlOut,
  plan: ResourcePlan,
  marks: DiagramMarks,
  text: PageText,
): void {
  const resources = [...plan.resources].sort((a, b) => compare(a.key, b.key));
  const components = componentNodes(plan, text);

  // Widths from the labels' lengths (each label is the length of its parts): no label is built to be measured.
  const widthOf = (length: number) => Math.ceil(length * CHAR) + 2 * PAD;
  let cw = 120;
  for (const c of components)
    cw = Math.max(cw, widthOf(c.id.length), widthOf(c.key.length + 3 + c.type.length));
  const costs = resources.map((r) => usd(r.estimatedMonthlyUsd));
  let rw = 140;
  resources.forEach((r, i) => {
    rw = Math.max(rw, widthOf(r.name.length), widthOf(r.key.length + 3 + at(costs, i).length + 3));
  });
  let dw = 160;
  for (const r of resources) {
    const addresses = text.resource(r).addresses;
    for (let i = 0; i < addresses.length; i++) dw = Math.max(dw, widthOf(at(addresses, i).length));
  }
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
  const componentY = new Map<string, number>();
  components.forEach((c, i) => componentY.set(c.key, TOP + i * TALL_PITCH));
  const height = Math.max(resourcesBottom, TOP + components.length * TALL_PITCH) + 8;
  const width = x2 + dw + 2;
  const totalDeploys = resources.reduce((n, r) => n + r.deploys.length, 0);

  out.add(
    `<svg xmlns="http://www.w3.org/2000/svg" class="architecture" viewBox="0 0 ${width} ${height}" ` +
      `width="${width}" height="${height}" style="max-width:${width}px" role="img" ` +
      `aria-labelledby="diagram-title diagram-desc" data-components="${components.length}" ` +
      `data-resources="${resources.length}" data-deploys="${totalDeploys}">\n` +
      `<title id="diagram-title">Architecture of ${esc(plan.backendId)} (${esc(plan.environment)})</title>\n` +
      `<desc id="diagram-desc">${components.length} component${components.length === 1 ? '' : 's'} use ` +
      `${resources.length} shared resource${resources.length === 1 ? '' : 's'}, behind which apply creates ` +
      `${totalDeploys} Terraform resources. The list after the diagram says the same in text.</desc>\n` +
      `<text class="column-head" x="${x0}" y="16">Components</text>\n` +
      `<text class="column-head" x="${x1}" y="16">Shared resources</text>\n` +
      `<text class="column-head" x="${x2}" y="16">Terraform resources</text>\n`,
  );
  // Each edge a curve from its component (at x0 + cw) to its resource (at x1), `M xa ya C mid ya mid yb x1 yb`, in two
  // halves: the component's written once per component, the resource's once per resource (3,000 edges at 1,000
  // CrudApis, a few resources).
  const xa = x0 + cw;
  const mid = (xa + x1) / 2;
  const toHalf = new Map<string, string>();
  band.forEach((b, key) => {
    const yb = b.top + b.height / 2;
    toHalf.set(key, `${yb} ${x1} ${yb}"/>\n`);
  });
  const edges = edgesOf(plan, resources);
  for (let i = 0; i < edges.from.length; i++) {
    const cy = componentY.get(at(edges.from, i));
    if (cy === undefined) continue;
    const ya = cy + TALL / 2;
    const head = `<path class="edge" d="M${xa} ${ya}C${mid} ${ya} ${mid} `;
    for (const to of at(edges.to, i)) {
      const tail = toHalf.get(to);
      if (tail !== undefined) out.add(head + tail);
    }
  }
  for (const r of resources) {
    const b = atKey(band, r.key);
    // A curve from the resource (at x1 + rw) to each of its deploys (at x2): what does not change with y is written once.
    const from = b.top + b.height / 2;
    const mid = (x1 + rw + x2) / 2;
    const head = `<path class="edge edge-tf" d="M${x1 + rw} ${from}C${mid} ${from} ${mid} `;
    for (let i = 0; i < r.deploys.length; i++) {
      const y = b.top + i * LINE_PITCH + LINE / 2;
      out.add(`${head}${y} ${x2} ${y}"/>\n`);
    }
  }
  for (const c of components) {
    const cy = atKey(componentY, c.key);
    out.add(
      `<g class="node node-component" data-node="component" data-key="${c.escKey}"><title>component ` +
        `${c.escId} (key ${c.escKey}, ${c.escType})</title>${rect(x0, cy, cw, TALL)}` +
        `<text x="${x0 + PAD}" y="${cy + 16}" class="label">${c.escId}</text><text x="${x0 + PAD}" ` +
        `y="${cy + 31}" class="sub">${c.escKey} · ${c.escType}</text></g>\n`,
    );
  }
  // A deploy's node, but for its address and height: rect(x2, dy, dw, LINE) and its label, written once.
  const deployMarks = marksByType(marks.deploys);
  const deployRect = `<rect x="${x2}" y="`;
  const deployLabel = `" width="${dw}" height="${LINE}" rx="5"/><text x="${x2 + PAD}" y="`;
  resources.forEach((r, ri) => {
    const t = text.resource(r);
    const b = atKey(band, r.key);
    const mark = marks.resources.get(r.key);
    const ry = b.top + (b.height - TALL) / 2;
    const cost = esc(at(costs, ri));
    out.add(
      `<g class="node node-resource${mark ? ` mark-${mark}` : ''}" data-node="resource" data-key="${t.key}"` +
        `${mark ? ` data-mark="${mark}"` : ''}><title>${t.type} resource ${t.name} (${t.key}), ${cost} a month, ` +
        `used by ${t.consumers === '' ? 'no component' : t.consumers}${mark ? `; ${markText(mark)}` : ''}</title>` +
        `${rect(x1, ry, rw, TALL)}<text x="${x1 + PAD}" y="${ry + 16}" class="label">${t.name}</text><text ` +
        `x="${x1 + PAD}" y="${ry + 31}" class="sub">${t.key} · ${cost}/mo</text></g>\n`,
    );
    for (let i = 0; i < r.deploys.length; i++) {
      const address = at(t.escapedAddresses, i);
      const d = at(r.deploys, i);
      const dm = d.terraformType.includes('.')
        ? marks.deploys.get(at(t.addresses, i))
        : deployMarks.get(d.terraformType)?.get(d.name);
      const dy = b.top + i * LINE_PITCH;
      // The label is the whole address; a tooltip only says what the diff does to it.
      out.add(
        dm === undefined
          ? `<g class="node node-deploy" data-node="deploy" data-key="${address}">${deployRect}${dy}` +
              `${deployLabel}${dy + 13}" class="label">${address}</text></g>\n`
          : `<g class="node node-deploy mark-${dm}" data-node="deploy" data-key="${address}" data-mark="${dm}">` +
              `<title>${address}: ${markText(dm)}</title>${deployRect}${dy}${deployLabel}${dy + 13}" ` +
              `class="label">${address}</text></g>\n`,
      );
    }
  });
  out.add('</svg>');
}

/**
 * The diagram's edges, component key → resource keys, each edge once, in the order of their text `from\0to`: a
 * component's resources, and each resource's consumers (by id, drawn at the component of that id), as runs of one
 * `from` (`to[i]` the resource keys of `from[i]`). Without a NUL in any key or id (always, for a plan the planner
 * made) that order is by `from`, then by `to`, found per component (a short list, sorted only when it is not)
 * instead of by making, sorting and splitting a string per edge (6,000 at 1,000 CrudApis); with one, the strings
 * are made, sorted and split as before, where a NUL cuts a key short.
 */
function edgesOf(
  plan: ResourcePlan,
  resources: readonly PlannedResource[],
): { readonly from: readonly string[]; readonly to: readonly (readonly string[])[] } {
  const keyOfId = new Map<string, string>();
  for (const c of plan.components) keyOfId.set(c.id, c.key);
  const nul = (s: string) => s.includes('\u0000');
  const anyNul =
    plan.components.some((c) => nul(c.key) || nul(c.id) || Object.values(c.resources).some(nul)) ||
    resources.some((r) => nul(r.key) || r.consumers.some(nul));
  const from: string[] = [];
  const to: string[][] = [];
  if (anyNul) {
    const edges = new Set<string>();
    for (const c of plan.components)
      for (const r of Object.values(c.resources)) edges.add(`${c.key}\u0000${r}`);
    for (const r of resources)
      for (const id of r.consumers) edges.add(`${keyOfId.get(id) ?? id}\u0000${r.key}`);
    for (const e of [...edges].sort(compare)) {
      const [f = '', t = ''] = e.split('\u0000');
      if (from.length > 0 && from[from.length - 1] === f) to[to.length - 1]?.push(t);
      else {
        from.push(f);
        to.push([t]);
      }
    }
    return { from, to };
  }
  // Each component's resource keys, distinct: a list (a component uses a few), each key met twice (as its
  // resource and as the resource's consumer).
  const tos = new Map<string, string[]>();
  const add = (f: string, t: string) => {
    const list = tos.get(f);
    if (!list) tos.set(f, [t]);
    else if (!list.includes(t)) list.push(t);
  };
  for (const c of plan.components) for (const r of Object.values(c.resources)) add(c.key, r);
  for (const r of resources) for (const id of r.consumers) add(keyOfId.get(id) ?? id, r.key);
  for (const f of [...tos.keys()].sort(compare)) {
    const list = atKey(tos, f);
    if (!sorted(list)) list.sort(compare);
    from.push(f);
    to.push(list);
  }
  return { from, to };
}

/** Whether a list of distinct keys is in {@link compare} order already. */
function sorted(list: readonly string[]): boolean {
  for (let i = 1; i < list.length; i++) if (compare(at(list, i - 1), at(list, i)) > 0) return false;
  return true;
}

/** A diagram node: a planned component, or a consumer a resource names that is no component, escaped. */
interface ComponentNode {
  readonly key: string;
  readonly id: string;
  readonly type: string;
  readonly escKey: string;
  readonly escId: string;
  readonly escType: string;
}

/** Planned components, plus any consumer a resource names that is not one (a custom provider's own). */
function componentNodes(plan: ResourcePlan, text: PageText): ComponentNode[] {
  const nodes: ComponentNode[] = plan.components.map((c) => {
    const t = text.component(c);
    return { key: c.key, id: c.id, type: c.type, escKey: t.key, escId: t.id, escType: t.type };
  });
  const known = new Set<string>();
  for (const c of plan.components) known.add(c.id).add(c.key);
  const extra = new Set<string>();
  for (const r of plan.resources) for (const id of r.consumers) if (!known.has(id)) extra.add(id);
  for (const id of extra) {
    const e = esc(id);
    nodes.push({ key: id, id, type: 'consumer', escKey: e, escId: e, escType: 'consumer' });
  }
  return nodes.sort((a, b) => compare(a.key, b.key));
}

/**
 * The deploys' marks as Terraform type → name → mark: a deploy whose type holds no "." (every azurerm and azuread
 * type) has the mark of `type.name`, the address split at its first "."; looked up by the deploy's own strings, no
 * address hashed per Terraform resource (5,000 at 1,000 CrudApis).
 */
function marksByType(
  marks: ReadonlyMap<string, ChangeMark>,
): ReadonlyMap<string, ReadonlyMap<string, ChangeMark>> {
  const out = new Map<string, Map<string, ChangeMark>>();
  for (const [address, mark] of marks) {
    const dot = address.indexOf('.');
    if (dot < 0) continue; // no deploy's address
    const type = address.slice(0, dot);
    let names = out.get(type);
    if (!names) out.set(type, (names = new Map<string, ChangeMark>()));
    names.set(address.slice(dot + 1), mark);
  }
  return out;
}

function rect(x: number, y: number, w: number, h: number): string {
  return `<rect x="${x}" y="${y}" width="${w}" height="${h}" rx="5"/>`;
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
