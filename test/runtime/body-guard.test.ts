import { HttpRequest } from '@azure/functions';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isJsonMediaType, readJsonObject } from '../../src/runtime/http/body.js';
import {
  findForbiddenKey,
  findNonFiniteNumber,
  scanJsonShape,
  walkJsonShape,
} from '../../src/runtime/values/json-shape.js';
import { SYSTEM_FIELDS } from '../../src/runtime/values/system-fields.js';

// The body guard skips its walks when the text cannot hold what they look for: of a parsed body (an exponent, a long
// digit run, a "__proto__" key) and of the text itself (the shape scan, for a text with fewer characters than values
// allowed and fewer brackets than levels). These properties hold it to what the full walks answer, on texts made to
// hit every shortcut: exponents, long digit runs, escaped and spelt-out "__proto__" keys, system fields, whitespace,
// brackets in and out of strings against small limits.

const request = (text: string, headers: Record<string, string> = {}) =>
  new HttpRequest({
    method: 'POST',
    url: 'http://127.0.0.1/api/notes',
    headers: {
      'content-type': 'application/json',
      'content-length': String(Buffer.byteLength(text)),
      ...headers,
    },
    body: { string: text },
  });

/** What the guard answers by the full walks, for a text that parses to an object. */
function reference(text: string) {
  const parsed = JSON.parse(text) as Record<string, unknown>;
  if (findNonFiniteNumber(parsed)) return 'validation';
  if (findForbiddenKey(parsed)) return 'forbidden-key';
  return Object.fromEntries(Object.entries(parsed).filter(([k]) => !SYSTEM_FIELDS.includes(k)));
}

const typeOf = (body: unknown) =>
  String((JSON.parse(String(body)) as { type: string }).type).replace('urn:atakora:problem:', '');

const key = fc.oneof(
  fc.constantFrom('title', '__proto__', '_etag', '_ts', 'e', 'E1', 'n'),
  fc.string({ maxLength: 6 }),
);
const leaf = fc.oneof(
  fc.constantFrom(
    '1e999',
    '-1E+400',
    '2e3',
    '1.5e-7',
    '0',
    `1${'0'.repeat(310)}`,
    `9${'9'.repeat(307)}`,
  ),
  fc.integer().map(String),
  fc.string({ maxLength: 8 }).map((s) => JSON.stringify(s)),
  fc.constantFrom('"2e"', '"\\u005f_proto__"', 'true', 'null'),
);
/** JSON object texts, written by hand so that keys can be escaped and numbers overflow. */
const objectText: fc.Arbitrary<string> = fc.letrec<{ obj: string; value: string }>((tie) => ({
  obj: fc
    .array(
      fc.tuple(
        fc.oneof(
          key.map((k) => JSON.stringify(k)),
          fc.constant('"\\u005f_proto__"'),
        ),
        tie('value'),
      ),
      { maxLength: 4 },
    )
    .map((members) => `{${members.map(([k, v]) => `${k}:${v}`).join(',')}}`),
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    tie('obj'),
    tie('obj').map((o) => ` [${o}, 1] `),
  ),
})).obj;

describe('the body guard', () => {
  it('answers as the full walks do, for any object text (fast-check)', async () => {
    await fc.assert(
      fc.asyncProperty(objectText, fc.constantFrom('', ' ', '\n\t'), async (text, pad) => {
        const body = `${pad}${text}${pad}`;
        const read = await readJsonObject(request(body));
        const expected = reference(body);
        if (typeof expected === 'string') {
          expect(read.ok).toBe(false);
          if (!read.ok) expect(typeOf(read.response.body)).toBe(expected);
        } else {
          expect(read).toEqual({ ok: true, value: expected });
          if (read.ok) expect(Object.getPrototypeOf(read.value)).toBe(Object.prototype);
        }
      }),
      { numRuns: 400 },
    );
  });

  it('judges the shape of a text as the full walk does, shortcut or not (fast-check)', () => {
    const text = fc
      .array(fc.constantFrom('{', '}', '[', ']', '"', '\\', ',', ':', ' ', 'a', '1'), {
        maxLength: 60,
      })
      .map((cs) => cs.join(''));
    const limits = fc.record({
      maxDepth: fc.integer({ min: 0, max: 8 }),
      maxValues: fc.integer({ min: 0, max: 70 }),
    });
    fc.assert(
      fc.property(text, limits, (t, l) => {
        expect(scanJsonShape(t, l)).toEqual(walkJsonShape(t, l));
      }),
      { numRuns: 2000 },
    );
  });

  it('reads the whole body when no length or a wrong one is declared', async () => {
    const text = JSON.stringify({ title: 'x'.repeat(300) });
    for (const headers of [{ 'content-length': '' }, { 'content-length': '5' }]) {
      const read = await readJsonObject(request(text, headers));
      expect(read).toEqual({ ok: true, value: { title: 'x'.repeat(300) } });
    }
  });

  it('takes the usual content types at once and still refuses the others', () => {
    expect(isJsonMediaType('application/json')).toBe(true);
    expect(isJsonMediaType('application/json; charset=utf-8')).toBe(true);
    expect(isJsonMediaType('application/json; charset=latin1')).toBe(false);
    expect(isJsonMediaType('application/jsonx')).toBe(false);
    expect(isJsonMediaType('text/plain')).toBe(false);
  });
});
