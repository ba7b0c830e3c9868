import type { ResourcePlan } from '../../model/plan.js';
import { compare } from '../../kit/pure/resources/merge-strategies.js';

/**
 * A plan as a Mermaid `flowchart LR`: each component points at every shared resource it uses. Node ids are
 * sanitised to `[A-Za-z0-9_]` (and prefixed, so no id is a Mermaid keyword such as `end`); labels are quoted
 * with `"` written as `#quot;`, so any name renders.
 *
 * @example
 * ```ts
 * const md = '```mermaid\n' + renderPlanMermaid(backend.plan()) + '```\n';
 * ```
 */
export function renderPlanMermaid(plan: ResourcePlan): string {
  const ids = new Map<string, string>();
  const used = new Set<string>();
  // Two keys can sanitise alike (`a:b`, `a_b`): a numeric suffix keeps nodes distinct, in sorted order.
  const idOf = (kind: 'c' | 'r', key: string): string => {
    const k = `${kind}|${key}`;
    const known = ids.get(k);
    if (known) return known;
    const base = `${kind}_${key.replace(/[^A-Za-z0-9_]/g, '_')}`;
    let id = base;
    for (let n = 2; used.has(id); n += 1) id = `${base}_${n}`;
    used.add(id);
    ids.set(k, id);
    return id;
  };

  const components = [...plan.components].sort((a, b) => compare(a.key, b.key));
  const resources = [...plan.resources].sort((a, b) => compare(a.key, b.key));
  const componentById = new Map(components.map((c) => [c.id, c.key]));
  const lines = ['flowchart LR'];
  for (const c of components)
    lines.push(`  ${idOf('c', c.key)}["${label(`${c.id} (${c.type})`)}"]`);
  for (const r of resources)
    lines.push(`  ${idOf('r', r.key)}[("${label(`${r.name}\n${r.key}`)}")]`);

  // Edges from both sides of the plan: a component's resource map names one resource per type, while a
  // resource's consumers also list components that use a second group of the same type.
  const edges = new Set<string>();
  for (const c of components)
    for (const key of Object.values(c.resources)) edges.add(`${c.key}\u0000${key}`);
  for (const r of resources) {
    for (const id of r.consumers) edges.add(`${componentById.get(id) ?? id}\u0000${r.key}`);
  }
  const declared = new Set(components.map((c) => c.key));
  for (const e of [...edges].sort(compare)) {
    const [from, to] = e.split('\u0000') as [string, string];
    // A consumer that is not a planned component (a custom provider's own) still gets a labelled node.
    if (!declared.has(from)) lines.push(`  ${idOf('c', from)}["${label(from)}"]`);
    declared.add(from);
    lines.push(`  ${idOf('c', from)} --> ${idOf('r', to)}`);
  }
  return `${lines.join('\n')}\n`;
}

/** Mermaid label text: entity codes for characters that would end the label or be read as HTML. */
function label(s: string): string {
  return s
    .replace(/#/g, '#35;')
    .replace(/"/g, '#quot;')
    .replace(/</g, '#lt;')
    .replace(/>/g, '#gt;')
    .replace(/\r?\n/g, '<br/>');
}
