import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { constraintOf } from '../../src/kit/pure/route-constraints.js';
import { compareFunctionNames, hostRouteOrder } from '../../src/kit/pure/route-order.js';
import {
  matchTemplate,
  overlapWitness,
  parseRouteTemplate,
  templateCovers,
} from '../../src/kit/pure/route-template.js';
import { propertyRuns } from './support/budget.js';

const t = parseRouteTemplate;
const split = (p: string) => p.split('/').filter(Boolean);
const matches = (template: string, path: string) =>
  matchTemplate(t(template), split(path)) !== undefined;

describe('route templates as the host matches them (ASP.NET Core route templates)', () => {
  it.each([
    ['notes', 'NOTES', {}],
    ['notes/{id}', 'notes/42', { id: '42' }],
    ['notes/{id?}', 'notes', {}],
    ['notes/{id?}', 'notes/7', { id: '7' }],
    ['{*rest}', '', { rest: '' }],
    ['{*rest}', 'a/b/c', { rest: 'a/b/c' }],
    ['files/{**path}', 'files/x/y', { path: 'x/y' }],
    ['n/{id:int}', 'n/-12', { id: '-12' }],
    ['n/{x:alpha}', 'n/AbC', { x: 'AbC' }],
    ['n/{b:bool}', 'n/TRUE', { b: 'TRUE' }],
    ['n/{g:guid}', 'n/0123456789abcdef0123456789ABCDEF', { g: '0123456789abcdef0123456789ABCDEF' }],
    ['n/{c:length(3)}', 'n/abc', { c: 'abc' }],
    ['n/{v:min(5)}', 'n/5', { v: '5' }],
    ['n/{v:range(1,3):int}', 'n/2', { v: '2' }],
    ['n/{id=1}', 'n', {}],
    ['v{n}', 'V2', {}],
  ])('%s matches /api/%s', (template, path, values) => {
    const got = matchTemplate(t(template), split(path));
    expect(got).toBeDefined();
    for (const [k, v] of Object.entries(values)) expect(got![k]).toBe(v);
  });

  it.each([
    ['notes', 'notes/1'],
    ['notes/{id}', 'notes'],
    ['n/{id:int}', 'n/x'],
    ['n/{id:int}', 'n/2147483648'],
    ['n/{x:alpha}', 'n/a1'],
    ['n/{b:bool}', 'n/yes'],
    ['n/{g:guid}', 'n/abc'],
    ['n/{c:length(3)}', 'n/ab'],
    ['n/{v:max(5)}', 'n/6'],
    ['n/{v:min(5)}', 'n/x'],
    ['a/{x?}', 'b'],
  ])('%s does not match /api/%s', (template, path) => {
    expect(matches(template, path)).toBe(false);
  });

  it('an unknown constraint is unknown, never a guess', () => {
    expect(constraintOf('regex(^a$)')).toMatchObject({ known: false });
    expect(constraintOf('regex(^a$)').test('A')).toBe(true);
    expect(constraintOf('datetime').test('2020-01-01')).toBeUndefined();
    // Unknown: "may match" for overlap, "may refuse" for cover.
    expect(overlapWitness(t('n/{x:regex(^a$)}'), t('n/b'))).toBe('n/b');
    expect(templateCovers(t('n/{x:regex(.*)}'), t('n/b'))).toBe(false);
  });

  it('overlap and cover on the shadowing cases', () => {
    expect(overlapWitness(t('{page}'), t('notes'))).toBe('notes');
    expect(overlapWitness(t('notes/{id?}'), t('notes'))).toBe('notes');
    expect(overlapWitness(t('{*rest}'), t('health'))).toBe('health');
    expect(templateCovers(t('notes/{id}'), t('notes/archive'))).toBe(true);
    expect(templateCovers(t('notes/archive'), t('notes/{id}'))).toBe(false);
    expect(overlapWitness(t('n/{id:int}'), t('n/{x:alpha}'))).toBeUndefined();
    expect(overlapWitness(t('n/{id:int}'), t('n/{x:length(3)}'))).toBe('n/111');
    expect(templateCovers(t('n/{id}'), t('n/{id:int}'))).toBe(true);
    expect(templateCovers(t('n/{id:int}'), t('n/{id}'))).toBe(false);
  });

  it("the host's order is by function name, ignoring case", () => {
    expect(
      hostRouteOrder([{ name: 'NoteApi-item' }, { name: 'health' }, { name: 'Aaa-page' }]).map(
        (f) => f.name,
      ),
    ).toEqual(['Aaa-page', 'health', 'NoteApi-item']);
    expect(compareFunctionNames('NoteApi-item', 'NoteArchiveApi-collection')).toBeLessThan(0);
    expect(compareFunctionNames('abc', 'ABC')).not.toBe(0);
  });
});

// Reference: each template as a regular expression over the joined path (an independent implementation).
const LITERALS = ['notes', 'Notes', 'archive', 'health', 'x'];
const CONSTRAINTS = [
  '',
  ':int',
  ':long',
  ':alpha',
  ':bool',
  ':guid',
  ':length(3)',
  ':length(1,2)',
  ':minlength(2)',
  ':maxlength(2)',
  ':min(5)',
  ':max(10)',
  ':range(1,3)',
  ':int:min(3)',
  ':regex(^a)',
];
const PATH_SEGMENTS = [
  'notes',
  'NOTES',
  'archive',
  'health',
  'x',
  'abc',
  'ab',
  '3',
  '5',
  '12',
  '-7',
  'true',
  'False',
  '2147483648',
  '0123456789abcdef0123456789abcdef',
  'a1',
  'aaa',
  '111',
];

function referenceMatch(template: string, path: string): boolean {
  const segs = template.split('/').filter(Boolean);
  const checks: [number, string][] = [];
  let group = 0;
  let source = '';
  for (const s of segs) {
    const m = /^\{(\*?)(\w+)((?::[^:}?]+)*)(\?)?\}$/.exec(s);
    if (!m) {
      source += `/${s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`;
      continue;
    }
    group += 1;
    if (m[3]) checks.push([group, m[3]]);
    source += m[1] ? '(?:/(.*))?' : m[4] ? '(?:/([^/]+))?' : '/([^/]+)';
  }
  const r = new RegExp(`^${source}/?$`, 'i').exec(path === '' ? '' : `/${path}`);
  if (!r) return false;
  return checks.every(([g, text]) => {
    const value = r[g];
    if (value === undefined || value === '') return true;
    return text
      .split(':')
      .filter(Boolean)
      .every((c) => constraintOf(c).test(value) !== false);
  });
}

const param = fc
  .tuple(fc.constantFrom('a', 'id', 'p'), fc.constantFrom(...CONSTRAINTS))
  .map(([n, c]) => `{${n}${c}}`);
const segment = fc.oneof(fc.constantFrom(...LITERALS), param);
const template = fc
  .tuple(
    fc.array(segment, { maxLength: 3 }),
    fc.constantFrom('', 'optional', 'two-optional', 'catch-all'),
    fc.constantFrom(...CONSTRAINTS),
  )
  .map(([body, end, c]) =>
    [
      ...body,
      ...(end === 'optional'
        ? [`{o${c}?}`]
        : end === 'two-optional'
          ? ['{o?}', `{q${c}?}`]
          : end === 'catch-all'
            ? ['{*rest}']
            : []),
    ].join('/'),
  );
const ALL_PATHS = ((): string[] => {
  const out = [''];
  let layer = [''];
  for (let n = 1; n <= 3; n++) {
    layer = layer.flatMap((p) => PATH_SEGMENTS.map((s) => (p ? `${p}/${s}` : s)));
    out.push(...layer);
  }
  return out;
})();
const path = fc.constantFrom(...ALL_PATHS);
const SPLIT = ALL_PATHS.map(split);
/** The paths of ALL_PATHS a template matches (parsed once). */
const matchedBy = (template: string): boolean[] => {
  const parsed = t(template);
  return SPLIT.map((p) => matchTemplate(parsed, p) !== undefined);
};

describe('property: the matcher agrees with a reference; overlap and cover are sound on every concrete path', () => {
  it('matchTemplate ⇔ the regular-expression reference', () => {
    fc.assert(
      fc.property(template, path, (tp, p) => {
        expect(matches(tp, p)).toBe(referenceMatch(tp, p));
      }),
      { numRuns: propertyRuns(3000) },
    );
  });

  it('a path both match ⇒ overlapWitness finds one; a concrete witness is matched by both', () => {
    fc.assert(
      fc.property(template, template, (a, b) => {
        const witness = overlapWitness(t(a), t(b));
        // Concrete when every constraint is one the planner reasons about (a regex may refuse it).
        if (witness !== undefined && !witness.includes('{') && !`${a}${b}`.includes('regex')) {
          expect(matches(a, witness)).toBe(true);
          expect(matches(b, witness)).toBe(true);
        }
        if (witness === undefined) {
          const [ma, mb] = [matchedBy(a), matchedBy(b)];
          expect(ALL_PATHS.filter((_, i) => ma[i] && mb[i])).toEqual([]);
        }
      }),
      { numRuns: propertyRuns(300) },
    );
  });

  it('templateCovers(a, b) ⇒ every path b matches, a matches', () => {
    fc.assert(
      fc.property(template, template, (a, b) => {
        fc.pre(templateCovers(t(a), t(b)));
        const [ma, mb] = [matchedBy(a), matchedBy(b)];
        expect(ALL_PATHS.filter((_, i) => mb[i] && !ma[i])).toEqual([]);
      }),
      { numRuns: propertyRuns(300) },
    );
  });
});
