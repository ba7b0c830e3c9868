/**
 * Route templates as the Azure Functions host matches them: ASP.NET Core route templates
 * (learn.microsoft.com/aspnet/core/fundamentals/routing, "Route templates" and "Route constraints"), under the
 * host's `api/` prefix (see http-route.ts). Literal segments compare case-insensitively; `{name}` matches one
 * non-empty segment; `{name?}` and `{name=default}` may be left out at the end; `{*rest}` / `{**rest}` takes the
 * rest of the path (zero or more segments); `{id:int}`, `{x:alpha}`, `{n:length(3)}`, `{n:min(1)}` … narrow a
 * parameter. A constraint this file does not know (`regex(...)`, `datetime`, a custom one) is treated as "may
 * match anything" when asking whether two routes overlap, and "may refuse anything" when asking whether one
 * route covers another: the plan errs towards reporting. Matching a concrete path (`atakora dev`) lets a value
 * through an unknown constraint, and tests `regex(...)` with JavaScript's engine.
 */
import { constraintOf, type Constraint } from './route-constraints.js';
import { at } from '../../model/at.js';

/** One segment of a template. `complex` is a segment mixing literals and parameters (`{a}.{b}`, `file.{ext}`). */
export type TemplateSegment =
  | { readonly kind: 'literal'; readonly text: string }
  | {
      readonly kind: 'param';
      readonly name: string;
      readonly optional: boolean;
      readonly constraints: readonly Constraint[];
    }
  | {
      readonly kind: 'catchAll';
      readonly name: string;
      readonly constraints: readonly Constraint[];
    }
  | { readonly kind: 'complex'; readonly raw: string };

/** A parsed template (without the host's `api/` prefix). */
export interface RouteTemplate {
  readonly route: string;
  readonly segments: readonly TemplateSegment[];
}

const PARAM = /^\{(\*{1,2})?([A-Za-z_][A-Za-z0-9_]*)((?::[^}]*?)*)(\?|=[^}]*)?\}$/;

/**
 * Parse a route template (as given to the host, `api/` already stripped).
 *
 * @example
 * ```ts
 * parseRouteTemplate('notes/{id:int}').segments; // [{ kind: 'literal', text: 'notes' }, { kind: 'param', name: 'id', … }]
 * ```
 */
export function parseRouteTemplate(route: string): RouteTemplate {
  const segments = route
    .split('/')
    .filter((s) => s !== '')
    .map((raw): TemplateSegment => {
      if (!raw.includes('{')) return { kind: 'literal', text: raw.toLowerCase() };
      const m =
        raw.startsWith('{') && raw.endsWith('}') && raw.indexOf('{', 1) < 0
          ? PARAM.exec(raw)
          : null;
      if (!m) return { kind: 'complex', raw };
      const constraints = splitConstraints(m[3] ?? '').map(constraintOf);
      if (m[1]) return { kind: 'catchAll', name: at(m, 2), constraints };
      return { kind: 'param', name: at(m, 2), optional: m[4] !== undefined, constraints };
    });
  return { route, segments };
}

/** `:int:min(1):regex(a:b)` → ['int', 'min(1)', 'regex(a:b)'] (colons inside parentheses do not split). */
function splitConstraints(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of text) {
    if (ch === '(') depth += 1;
    if (ch === ')') depth = Math.max(0, depth - 1);
    if (ch === ':' && depth === 0) {
      if (current) out.push(current);
      current = '';
    } else current += ch;
  }
  if (current) out.push(current);
  return out;
}

/**
 * Match a path (decoded segments, without `api/`) against a template: the route values, or undefined.
 *
 * @example
 * ```ts
 * matchTemplate(parseRouteTemplate('notes/{id:int}'), ['NOTES', '42']); // { id: '42' }
 * matchTemplate(parseRouteTemplate('notes/{id:int}'), ['notes', 'x']);  // undefined
 * ```
 */
export function matchTemplate(
  template: RouteTemplate,
  path: readonly string[],
): Record<string, string> | undefined {
  const values: Record<string, string> = {};
  const segs = template.segments;
  for (let i = 0; i < segs.length; i++) {
    const s = at(segs, i);
    const value = path[i];
    if (s.kind === 'catchAll') {
      const rest = path.slice(i).join('/');
      if (rest !== '' && s.constraints.some((c) => c.test(rest) === false)) return undefined;
      values[s.name] = rest;
      return values;
    }
    if (value === undefined || value === '') {
      // Only optional parameters (and a catch-all) may be left out, and only at the end.
      if (segs.slice(i).every((x) => (x.kind === 'param' && x.optional) || x.kind === 'catchAll'))
        return values;
      return undefined;
    }
    if (s.kind === 'literal') {
      if (value.toLowerCase() !== s.text) return undefined;
    } else if (s.kind === 'param') {
      if (s.constraints.some((c) => c.test(value) === false)) return undefined;
      values[s.name] = value;
    } else if (!complexMatches(s.raw, value)) return undefined;
  }
  return path.length <= segs.length ? values : undefined;
}

/**
 * A complex segment (`{name}.{ext}`, `v{n}`) as a regular expression: literals case-insensitive,
 * each parameter non-empty.
 */
function complexMatches(raw: string, value: string): boolean {
  const source = raw
    .split(/(\{[^}]*\})/)
    .filter(Boolean)
    .map((part) => (part.startsWith('{') ? '(.+?)' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}$`, 'i').test(value);
}

/**
 * A template's shapes of fixed length: required segments, then 0..k trailing optional ones; `tail`
 * = a catch-all follows.
 */
interface Variant {
  readonly segments: readonly TemplateSegment[];
  readonly tail: TemplateSegment | undefined;
}

function variants(t: RouteTemplate): Variant[] {
  const segs = t.segments;
  const last = segs[segs.length - 1];
  const body = last?.kind === 'catchAll' ? segs.slice(0, -1) : segs;
  let required = body.length;
  while (
    required > 0 &&
    at(body, required - 1).kind === 'param' &&
    (body[required - 1] as { optional: boolean }).optional
  )
    required -= 1;
  const out: Variant[] = [];
  for (let n = required; n <= body.length; n++) {
    out.push({
      segments: body.slice(0, n),
      tail: n === body.length && last?.kind === 'catchAll' ? last : undefined,
    });
  }
  return out;
}

/** Any one segment of a catch-all, as a parameter with its constraints (applied to the whole rest in fact). */
const ANY: TemplateSegment = { kind: 'param', name: 'rest', optional: false, constraints: [] };

/**
 * A concrete path (segments joined by `/`, without `api/`) that both templates match, or undefined when none
 * can. Where a segment's constraints are unknown the witness shows the parameter (`{id}`) instead of a value:
 * the two may overlap, and the plan says so.
 *
 * @example
 * ```ts
 * overlapWitness(parseRouteTemplate('{page}'), parseRouteTemplate('notes')); // 'notes'
 * overlapWitness(parseRouteTemplate('n/{id:int}'), parseRouteTemplate('n/{x:alpha}')); // undefined
 * ```
 */
export function overlapWitness(a: RouteTemplate, b: RouteTemplate): string | undefined {
  for (const va of variants(a)) {
    for (const vb of variants(b)) {
      const la = va.segments.length;
      const lb = vb.segments.length;
      if (!va.tail && !vb.tail && la !== lb) continue;
      if (va.tail && !vb.tail && lb < la) continue;
      if (vb.tail && !va.tail && la < lb) continue;
      const parts: string[] = [];
      for (let i = 0; i < Math.max(la, lb); i++) {
        const part = segmentWitness(
          va.segments[i] ?? tailSegment(va.tail),
          vb.segments[i] ?? tailSegment(vb.tail),
        );
        if (part === undefined) break;
        parts.push(part);
      }
      if (parts.length === Math.max(la, lb)) return parts.join('/');
    }
  }
  return undefined;
}

/** A catch-all's one segment: its own constraints apply to the whole rest, so within a segment it is unknown. */
function tailSegment(tail: TemplateSegment | undefined): TemplateSegment {
  return tail && tail.kind === 'catchAll' && tail.constraints.length > 0
    ? { kind: 'complex', raw: `{${tail.name}}` }
    : ANY;
}

function segmentWitness(a: TemplateSegment, b: TemplateSegment): string | undefined {
  if (a.kind === 'literal' && b.kind === 'literal') return a.text === b.text ? a.text : undefined;
  if (a.kind === 'literal') return segmentAccepts(b, a.text) === false ? undefined : a.text;
  if (b.kind === 'literal') return segmentAccepts(a, b.text) === false ? undefined : b.text;
  if (a.kind === 'complex' || b.kind === 'complex')
    return `{${a.kind === 'complex' ? a.raw.replace(/[{}]/g, '') : nameOf(a)}}`;
  const ca = constraintsOf(a);
  const cb = constraintsOf(b);
  const all = [...ca, ...cb];
  const known = all.filter((c) => c.known);
  for (const candidate of candidates(known)) {
    if (known.every((c) => c.test(candidate) === true)) {
      // A value every known constraint accepts; an unknown one may still refuse it: show the parameter then.
      return known.length === all.length ? candidate : `{${nameOf(a)}}`;
    }
  }
  return undefined;
}

const nameOf = (s: TemplateSegment): string =>
  s.kind === 'param' || s.kind === 'catchAll' ? s.name : s.kind === 'literal' ? s.text : s.raw;
const constraintsOf = (s: TemplateSegment): readonly Constraint[] =>
  s.kind === 'param' || s.kind === 'catchAll' ? s.constraints : [];

/** Whether a segment accepts a concrete value: undefined when a constraint is unknown (or the segment complex). */
function segmentAccepts(s: TemplateSegment, value: string): boolean | undefined {
  if (s.kind === 'literal') return s.text === value.toLowerCase();
  if (s.kind === 'complex') return complexMatches(s.raw, value) ? undefined : false;
  let unknown = false;
  for (const c of s.constraints) {
    const r = c.known ? c.test(value) : undefined;
    if (r === false) return false;
    if (r === undefined) unknown = true;
  }
  return unknown ? undefined : true;
}

/** Values worth trying against a set of constraints: common shapes, and each constraint's own edge values. */
function candidates(constraints: readonly Constraint[]): string[] {
  const out = new Set([
    'x',
    'a',
    'abc',
    'id',
    '0',
    '1',
    '42',
    '-1',
    'true',
    'false',
    '00000000-0000-0000-0000-000000000000',
    'abcdefab-abcd-abcd-abcd-abcdefabcdef',
    'a1',
    '1.5',
  ]);
  for (const c of constraints) for (const v of c.samples) out.add(v);
  return [...out];
}

/**
 * Whether `a` matches every path `b` matches (so, tried first, `a` leaves `b` nothing). False when unsure.
 *
 * @example
 * ```ts
 * templateCovers(parseRouteTemplate('notes/{id}'), parseRouteTemplate('notes/archive')); // true
 * templateCovers(parseRouteTemplate('notes/{id:int}'), parseRouteTemplate('notes/{id}')); // false
 * ```
 */
export function templateCovers(a: RouteTemplate, b: RouteTemplate): boolean {
  const vas = variants(a);
  return variants(b).every((vb) => vas.some((va) => variantCovers(va, vb)));
}

function variantCovers(va: Variant, vb: Variant): boolean {
  const la = va.segments.length;
  const lb = vb.segments.length;
  if (va.tail) {
    if (la > lb || !tailCoversAll(va.tail)) return false;
  } else if (vb.tail || la !== lb) return false;
  for (let i = 0; i < la; i++)
    if (!segmentCovers(at(va.segments, i), at(vb.segments, i))) return false;
  return true;
}

const tailCoversAll = (tail: TemplateSegment): boolean => constraintsOf(tail).length === 0;

function segmentCovers(a: TemplateSegment, b: TemplateSegment): boolean {
  if (a.kind === 'complex' || b.kind === 'complex') return false;
  if (b.kind === 'literal') return segmentAccepts(a, b.text) === true;
  if (a.kind === 'literal') return false;
  // Every constraint of `a` is one of `b`'s: `b` accepts no more than `a` does.
  const bKeys = new Set(constraintsOf(b).map((c) => c.key));
  return constraintsOf(a).every((c) => bKeys.has(c.key));
}
