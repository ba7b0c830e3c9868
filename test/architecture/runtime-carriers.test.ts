import { readFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { codeOf, sourceOf, tsFiles } from './support/source.js';

// docs/architecture.md, "One request pipeline": the request context is the only carrier of what a stage resolved —
// no map keyed by the request or its answer beside it — a job's caller is data, never a principal encoded again
// for the runtime to decode, and no runtime file grows past 400 lines. Held here on the code itself.
const RUNTIME = resolve(import.meta.dirname, '../../src/runtime');

// A request or an answer, as the runtime's code names one.
const REQUEST_OR_ANSWER =
  /\b(HttpRequest|HttpResponseInit|HttpResponse|Request|Response|IncomingMessage)\b/;

/**
 * The maps of a source keyed by a request or an answer: `new WeakMap<K, V>()`, `new Map<K, V>()` and `WeakMap<K, V>`
 * / `Map<K, V>` types whose key names one, and every `WeakMap` with no key type (nothing says what keys it).
 */
function sideChannels(source: string | ts.SourceFile, name = 'file.ts'): string[] {
  const sf =
    typeof source === 'string'
      ? ts.createSourceFile(name, source, ts.ScriptTarget.Latest, true)
      : source;
  const found: string[] = [];
  const judge = (node: ts.Node, map: string, args: ts.NodeArray<ts.TypeNode> | undefined) => {
    const key = args?.[0]?.getText(sf);
    if (key === undefined ? map === 'WeakMap' : REQUEST_OR_ANSWER.test(key))
      found.push(
        `${name}:${String(sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1)} ${map}<${key ?? '?'}>`,
      );
  };
  const visit = (node: ts.Node) => {
    if (ts.isNewExpression(node) && ts.isIdentifier(node.expression)) {
      const map = node.expression.text;
      if (map === 'WeakMap' || map === 'Map') judge(node, map, node.typeArguments);
    } else if (ts.isTypeReferenceNode(node) && ts.isIdentifier(node.typeName)) {
      const map = node.typeName.text;
      if ((map === 'WeakMap' || map === 'Map') && node.typeArguments)
        judge(node, map, node.typeArguments);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return found;
}

/** Whether code encodes something to base64 and names a principal's parts while at it. */
function encodesPrincipal(code: string): boolean {
  const encodes = /toString\(\s*['"]base64['"]\s*\)|\bbtoa\(/.test(code);
  const principal = /CLIENT_PRINCIPAL_HEADER|x-ms-client-principal|auth_typ|\bclaims\b/.test(code);
  return encodes && principal;
}

describe("the runtime's carriers", () => {
  const all = tsFiles(RUNTIME);

  it('no map is keyed by a request or an answer (the request context carries what stages resolve)', () => {
    expect(all.flatMap((f) => sideChannels(sourceOf(f), relative(RUNTIME, f)))).toEqual([]);
  });

  it('the check finds such a map: a WeakMap of requests, a Map typed by answers, an untyped WeakMap', () => {
    const source = [
      "import type { HttpRequest, HttpResponseInit } from '@azure/functions';",
      'const notes = new WeakMap<HttpRequest, string>();',
      'let byAnswer: Map<HttpResponseInit, number> | undefined;',
      'const seen = new WeakMap();',
      'const bySchema = new WeakMap<object, string>();',
    ].join('\n');
    expect(sideChannels(source)).toEqual([
      'file.ts:2 WeakMap<HttpRequest>',
      'file.ts:3 Map<HttpResponseInit>',
      'file.ts:4 WeakMap<?>',
    ]);
  });

  it('no runtime module encodes a principal (a job carries its caller as data: Caller.ofJob)', () => {
    const encoding = all.filter((f) => encodesPrincipal(codeOf(readFileSync(f, 'utf8'))));
    // One exception, by name: on the paths App Service authentication lets through (excludedPaths), the runtime's
    // door stands in for the platform and sets the principal App Service would have set from a token it validated
    // itself (docs/security.md, "The runtime's door") — a request's caller, never a job's.
    const PLATFORM_STAND_IN = ['caller/entra-bearer.ts'];
    expect(
      encoding.map((f) => relative(RUNTIME, f)).filter((f) => !PLATFORM_STAND_IN.includes(f)),
    ).toEqual([]);
  });

  it('the check finds a principal encoded again, and not one described in a comment', () => {
    const reencoded = [
      'const header = Buffer.from(JSON.stringify({ auth_typ: "aad", claims })).toString("base64");',
      'headers[CLIENT_PRINCIPAL_HEADER] = header;',
    ].join('\n');
    expect(encodesPrincipal(codeOf(reencoded))).toBe(true);
    const described =
      '// App Service sends { auth_typ, claims } as base64\nconst text = body.toString("base64");';
    expect(encodesPrincipal(codeOf(described))).toBe(false);
  });

  it('no runtime file is over 400 lines', () => {
    const long = all
      .map((f) => ({
        file: relative(RUNTIME, f),
        lines: readFileSync(f, 'utf8').split('\n').length,
      }))
      .filter((f) => f.lines > 400);
    expect(long).toEqual([]);
  });
});
