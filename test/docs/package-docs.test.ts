/**
 * "docs that match the code", as a user of the npm package reads them:
 * - README.md and docs/overview.md start with installing the package and its peers in the user's project,
 *   before anything that only works in a clone of this repository (`npm run example`).
 * - They state every peer and optional peer dependency package.json declares, and `@azure/functions` (whose
 *   types handlers import).
 * - The package ships README.md and docs/*.md but not examples/, src/ or images: a relative link in them leads
 *   only to a page the package ships; anything else is linked by URL, and every URL into this repository names
 *   a path that exists.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
const read = (f: string) => readFileSync(join(root, f), 'utf8');
const pkg = JSON.parse(read('package.json')) as {
  files: string[];
  peerDependencies: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
};
const docs = [
  'README.md',
  ...readdirSync(join(root, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
];
const optional = new Set(
  Object.entries(pkg.peerDependenciesMeta ?? {})
    .filter(([, m]) => m.optional)
    .map(([n]) => n),
);
const required = Object.keys(pkg.peerDependencies).filter((n) => !optional.has(n));
const REPO_URL =
  /https:\/\/(?:github\.com\/atakora\/atakora-backend\/(?:blob|tree)\/main|raw\.githubusercontent\.com\/atakora\/atakora-backend\/main)\/([^)\s#?`'"]+)/g;

/** The repository path of a URL's tail, without the sentence's punctuation after it. */
const repoPathOf = (tail: string) => tail.replace(/[.,;:]+$/, '').replace(/\/$/, '');

/** Each fenced shell block of a page, in order, with the line of its fence. */
function shellBlocks(doc: string): { line: number; code: string }[] {
  const lines = read(doc).split('\n');
  const out: { line: number; code: string }[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!/^```(bash|sh)\s*$/.test(lines[i]!)) continue;
    const end = lines.findIndex((l, j) => j > i && l.startsWith('```'));
    out.push({ line: i + 1, code: lines.slice(i + 1, end).join('\n') });
    i = end;
  }
  return out;
}

/** A package name as an argument of `npm install` (with or without `@range`). */
const installs = (command: string, name: string) =>
  new RegExp(`(^|\\s)${name.replace(/[/@.]/g, '\\$&')}(@\\S+)?(\\s|$)`).test(command);

describe.each(['README.md', 'docs/overview.md'])('%s, read by a user of the package', (doc) => {
  it('starts with installing the package and its required peers, before `npm run example`', () => {
    const blocks = shellBlocks(doc);
    const first = blocks.findIndex((b) =>
      b.code.split('\n').some((l) => /^npm install @atakora\/component\b/.test(l)),
    );
    const example = blocks.findIndex((b) => /npm run example/.test(b.code));
    expect(
      first,
      'a shell block that runs `npm install @atakora/component …`',
    ).toBeGreaterThanOrEqual(0);
    expect(
      blocks.slice(0, first).map((b) => `${doc}:${b.line}`),
      'shell blocks before the install',
    ).toEqual([]);
    if (example >= 0) expect(example).toBeGreaterThan(first);
    const command = blocks[first]!.code.split('\n').find((l) =>
      l.startsWith('npm install @atakora/component'),
    )!;
    expect(
      required.filter((n) => !installs(command, n)),
      'required peers the install command leaves out',
    ).toEqual([]);
  });

  it('names every peer and optional peer dependency of package.json, and @azure/functions for handler types', () => {
    const text = read(doc);
    expect(
      [...Object.keys(pkg.peerDependencies), '@azure/functions'].filter(
        (n) => !text.includes(`\`${n}\``) && !installs(text, n),
      ),
    ).toEqual([]);
  });
});

describe('links in the shipped pages', () => {
  it('the package ships README.md and docs/*.md (what the rules below assume)', () => {
    expect(pkg.files).toEqual(expect.arrayContaining(['README.md', 'docs/*.md']));
    expect(pkg.files.some((f) => /^(examples|src)\b/.test(f))).toBe(false);
  });

  it('a relative link leads to a page the package ships (examples/, src/ and images by URL)', () => {
    const shipped = (p: string) => p === 'README.md' || /^docs\/[^/]+\.md$/.test(p);
    const offenders: string[] = [];
    for (const d of docs) {
      for (const m of read(d).matchAll(/\]\((?!https?:|#|mailto:)([^)\s]+)\)/g)) {
        const target = m[1]!.split('#')[0]!;
        // A declaration in api-reference.md (`[Symbol.hasInstance](value: unknown)`) is no link.
        if (target === '' || target.includes(':')) continue;
        const path = normalize(join(dirname(d), target));
        if (!shipped(path) || !existsSync(join(root, path))) offenders.push(`${d}: ${m[1]}`);
      }
    }
    expect(offenders).toEqual([]);
  });

  it('every URL into this repository names a path that exists', () => {
    const missing: string[] = [];
    for (const d of docs) {
      for (const m of read(d).matchAll(REPO_URL))
        if (!existsSync(join(root, repoPathOf(m[1]!)))) missing.push(`${d}: ${m[0]}`);
    }
    expect(missing).toEqual([]);
  });

  it('the checks above can fail: they see a relative examples/ link and a URL to a missing file', () => {
    expect(
      [...'[x](../examples/basic.ts)'.matchAll(/\]\((?!https?:|#|mailto:)([^)\s]+)\)/g)].map(
        (m) => m[1],
      ),
    ).toEqual(['../examples/basic.ts']);
    const url = 'see https://github.com/atakora/atakora-backend/blob/main/examples/nope.ts.';
    expect([...url.matchAll(REPO_URL)].map((m) => repoPathOf(m[1]!))).toEqual(['examples/nope.ts']);
    expect(existsSync(join(root, 'examples/nope.ts'))).toBe(false);
    expect(installs('npm install @atakora/component cdktf@^0.21.0 constructs', 'cdktf')).toBe(true);
    expect(installs('npm install @atakora/component cdktf-cli', 'cdktf')).toBe(false);
  });
});
