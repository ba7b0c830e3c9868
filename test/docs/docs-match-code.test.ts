import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

// The docs name real things: every repository path (src/…, examples/…, scripts/…, test/…), every file named by
// itself in backticks (`planner.ts`), every `atakora` CLI flag, and every name a doc imports from the package
// exists in the code as written. A rename that forgets the docs fails here, not in a reader's hands. (The names a
// doc imports are checked in support/api-reference-checks.ts, which reads the entry points' exports from its program.)
const root = resolve(import.meta.dirname, '../..');
const docs = [
  'README.md',
  ...readdirSync(join(root, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
];
const text = new Map(docs.map((d) => [d, readFileSync(join(root, d), 'utf8')]));

/**
 * Every file of the repository outside node_modules, dist, .git and the other tests' scratch folders
 * (`.tmp-*`, created and removed under the root while this file runs beside them), relative to its root.
 */
const files: readonly string[] = readdirSync(root, { withFileTypes: true })
  .filter((e) => !/^(node_modules|dist|\.git|cdktf\.out|\.tmp-.*)$/.test(e.name))
  .flatMap((e) =>
    e.isDirectory()
      ? readdirSync(join(root, e.name), { recursive: true, encoding: 'utf8' }).map(
          (f) => `${e.name}/${f}`,
        )
      : [e.name],
  )
  .filter((f) => !f.includes('/node_modules/'));
const basenames = new Set(files.map((f) => basename(f)));

/** `a/{b,c}/d.ts` → `a/b/d.ts`, `a/c/d.ts`. */
function expandBraces(p: string): string[] {
  const m = /\{([^{}]*)\}/.exec(p);
  return m
    ? m[1]!
        .split(',')
        .flatMap((alt) => expandBraces(p.slice(0, m.index) + alt + p.slice(m.index + m[0].length)))
    : [p];
}
/** A path with `*`, `**` or a `<placeholder>` segment as a regular expression over repository paths. */
function globRegExp(p: string): RegExp {
  const body = p
    .replace(/[.+^$()|[\]\\]/g, '\\$&')
    .replace(/<[^>/]+>/g, '[^/]+')
    .replace(/\*\*\//g, '(?:.*/)?')
    .replace(/\*/g, '[^/]*');
  return new RegExp(`^${body}(?:/.*)?$`);
}
const exists = (p: string) => {
  const clean = p.replace(/\/$/, '');
  if (/[*<]/.test(clean)) return files.some((f) => globRegExp(clean).test(f));
  return (
    existsSync(join(root, clean)) ||
    (clean.endsWith('.js') && existsSync(join(root, clean.replace(/\.js$/, '.ts'))))
  );
};

/** Repository paths a doc names (outside URLs: a path right after `/` or a word character is part of something else). */
function repoPaths(doc: string): string[] {
  const out: string[] = [];
  for (const m of doc.matchAll(
    /(?<![\w./@-])((?:src|examples|scripts|type-tests|bench|test)\/[\w./*{},<>-]*[\w*}>/])/g,
  )) {
    // A function's own files in a user's project (`src/functions/orders.ts` in a handler example) are not ours.
    if (m[1]!.startsWith('src/functions/')) continue;
    out.push(m[1]!.replace(/<br\/?>.*$/, ''));
  }
  return out;
}

describe('the docs name what exists', () => {
  it('every src/, examples/, scripts/ and test/ path in README.md and docs/*.md exists (globs match a file)', () => {
    const missing: string[] = [];
    for (const [d, t] of text) {
      for (const p of repoPaths(t)) if (!expandBraces(p).every(exists)) missing.push(`${d}: ${p}`);
    }
    expect(missing).toEqual([]);
  });

  it('every file named alone in backticks (`planner.ts`, `diagnostics-provision.ts`) is a file of the repository', () => {
    const missing: string[] = [];
    for (const [d, t] of text) {
      for (const m of t.matchAll(/`([a-z][\w-]*\.(?:ts|mjs|cjs))`/g))
        if (!basenames.has(m[1]!)) missing.push(`${d}: ${m[1]}`);
      // A path inside the package's folders written without its root (`providers/*/merge.ts`, `cosmos/type.ts`).
      for (const m of t.matchAll(/`((?:[\w*{},<>-]+\/)+[\w*{},<>-]+\.ts)`/g)) {
        if (/^(src|examples|scripts|test|type-tests|bench)\//.test(m[1]!) || m[1]!.startsWith('.'))
          continue;
        if (!expandBraces(m[1]!).every((p) => files.some((f) => globRegExp(`**/${p}`).test(f))))
          missing.push(`${d}: ${m[1]}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('every --flag of an `atakora` command line in the docs is a flag the CLI parses', () => {
    // Every file under src/cli, its rooms included (dev/, deploy/, sites/ …).
    const cli = readdirSync(join(root, 'src/cli'), { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.ts'))
      .map((f) => readFileSync(join(root, 'src/cli', f), 'utf8'))
      .join('\n');
    const known = new Set(
      [
        ...cli.matchAll(/--([a-z][a-z-]*)/g),
        ...cli.matchAll(/'([a-z][a-z-]*)': \{ type:/g),
        ...cli.matchAll(/\b([a-z]+): \{ type: '(?:string|boolean)'/g),
      ].map((m) => m[1]!),
    );
    const unknown: string[] = [];
    for (const [d, t] of text) {
      for (const line of t.split('\n')) {
        const at = line.search(/\batakora (plan|synth|diff|dev|deploy|destroy|openapi)\b/);
        if (at < 0) continue;
        // The command runs to the end of its code span or shell command.
        for (const m of line
          .slice(at)
          .split(/[`;|]|&&/)[0]!
          .matchAll(/(?<![\w-])--([a-zA-Z][\w-]*)/g))
          if (!known.has(m[1]!)) unknown.push(`${d}: --${m[1]}`);
      }
    }
    expect(unknown).toEqual([]);
  });
});
