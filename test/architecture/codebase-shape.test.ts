import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

// The shape a reviewer holds the codebase to, counted from the files: rooms of a readable size, lines a reader
// takes in at once, one home for each rule, no tracker notes. (Type escapes: type-escapes.test.ts; the engine
// seam in tests: engine-seam.test.ts; the layers: .dependency-cruiser.cjs.)
const root = resolve(import.meta.dirname, '../..');
const SRC = join(root, 'src');

// The CLI's bundle of a .ts entry (`.<entry>.<pid>-<time>.atakora.mjs`, beside it) is no one's code: a test running
// beside this one writes and removes it, so listing it raced that removal (ENOENT on reading it).
const TEMPORARY_BUNDLE = /\.atakora\.mjs$/;

function files(dir: string, ext = '.ts'): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? files(join(dir, e.name), ext)
      : e.name.endsWith(ext) && !TEMPORARY_BUNDLE.test(e.name)
        ? [join(dir, e.name)]
        : [],
  );
}
const sources = files(SRC).map((f) => ({ file: relative(root, f), text: readFileSync(f, 'utf8') }));

describe('the shape of src/', () => {
  it.each(['cli', 'runtime'])(
    'src/%s holds at most 15 files directly; the rest live in rooms by concern',
    (dir) => {
      const direct = readdirSync(join(SRC, dir), { withFileTypes: true }).filter((e) => e.isFile());
      expect(direct.length, direct.map((e) => e.name).join(', ')).toBeLessThanOrEqual(15);
    },
  );

  it('at most 0.5% of its lines are longer than 120 characters (long strings and URLs the formatter cannot break)', () => {
    const lines = sources.flatMap((s) => s.text.split('\n'));
    const long = sources.flatMap((s) =>
      s.text
        .split('\n')
        .map((l, i) => ({ at: `${s.file}:${String(i + 1)}`, l }))
        .filter((x) => x.l.length > 120),
    );
    expect(
      long.length / lines.length,
      `${String(long.length)} of ${String(lines.length)} lines`,
    ).toBeLessThanOrEqual(0.005);
  });

  it('the partition-key pattern is written once', () => {
    const at = sources.filter((s) => s.text.includes(String.raw`^\/[A-Za-z_]`)).map((s) => s.file);
    expect(at).toHaveLength(1);
  });

  it('no issue numbers or tracker notes in src/, test/, bench/ or scripts/', () => {
    const more = ['test', 'bench', 'scripts']
      .flatMap((d) => [...files(join(root, d)), ...files(join(root, d), '.mjs')])
      .map((f) => ({ file: relative(root, f), text: readFileSync(f, 'utf8') }));
    // Upstream references stay, named by their repository (`hashicorp/terraform-provider-azurerm#28979`): they say
    // where a workaround comes from. In src/ even `issue #28979` is refused, so a reader never wonders whose.
    const tracker = /\b[Ii]ssues? \d+|\bTODO\b|\bFIXME\b/;
    const inSource = /\bissues? #?\d+/i;
    const found = [...sources, ...more].flatMap((s) =>
      s.text
        .split('\n')
        .map((l, i) => ({ at: `${s.file}:${String(i + 1)}`, l }))
        .filter((x) => tracker.test(x.l) || (s.file.startsWith('src') && inSource.test(x.l))),
    );
    expect(found.map((x) => x.at)).toEqual([]);
  });
});
