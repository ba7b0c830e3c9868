/**
 * Byte comparison of two cdktf output directories (`App({ outdir })` after `app.synth()`): the same files
 * (manifest.json, each stack's cdk.tf.json, each asset under its hashed folder) with the same bytes.
 */
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';

/** Relative path → sha256 of every file under `dir`, sorted by path. */
export function outputDigest(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true }).sort((a, b) =>
      a.name < b.name ? -1 : 1,
    )) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else
        out.set(
          relative(dir, p).split('\\').join('/'),
          createHash('sha256').update(readFileSync(p)).digest('hex'),
        );
    }
  };
  walk(dir);
  return out;
}

/**
 * Undefined when both directories hold the same files with the same bytes; otherwise what differs: files
 * on one side only, and for the first differing text file the first differing line of each.
 */
export function outputDifference(a: string, b: string): string | undefined {
  const da = outputDigest(a);
  const db = outputDigest(b);
  const problems: string[] = [];
  // Two empty (or stack-less) directories are "the same" and prove nothing.
  for (const [dir, digest] of [
    [a, da],
    [b, db],
  ] as const) {
    if (![...digest.keys()].some((f) => f.endsWith('/cdk.tf.json')))
      problems.push(`no stacks/*/cdk.tf.json in ${dir}`);
  }
  for (const f of da.keys()) if (!db.has(f)) problems.push(`only in ${a}: ${f}`);
  for (const f of db.keys()) if (!da.has(f)) problems.push(`only in ${b}: ${f}`);
  const differing = [...da.keys()].filter((f) => db.has(f) && db.get(f) !== da.get(f));
  for (const f of differing) problems.push(`differs: ${f}`);
  const text = differing.find((f) => f.endsWith('.json'));
  if (text) {
    const la = readFileSync(join(a, text), 'utf8').split('\n');
    const lb = readFileSync(join(b, text), 'utf8').split('\n');
    const i = la.findIndex((line, k) => line !== lb[k]);
    const at = i < 0 ? Math.min(la.length, lb.length) : i;
    problems.push(
      `first difference in ${text}, line ${at + 1}:\n  - ${la[at] ?? '(end of file)'}\n  + ${lb[at] ?? '(end of file)'}`,
    );
  }
  return problems.length ? problems.join('\n') : undefined;
}
