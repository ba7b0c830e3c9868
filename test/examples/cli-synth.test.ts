import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { deployabilityProblems, type TfJson } from '../support/deployability.js';
import { crossStackProblems } from '../support/cross-stack-rules.js';

// Every example can be handed to the CLI as is: each exports its backend(s). The list is read
// from the folder, so an example added later is covered without editing this file.
// The built CLI's main() runs in this process for every example (what bin.js calls with its argv): one load of
// cdktf and the bindings instead of one per example, ~1.5 s of CPU each. The bin itself is started
// as a process by test/cli/cli.test.ts and test/packaging/pack.test.ts.
const root = resolve(import.meta.dirname, '../..');
// The whole apps (a folder with its backend.ts beside their site or handlers) are examples too.
const examples = readdirSync(join(root, 'examples'), { withFileTypes: true })
  .flatMap((e) =>
    e.isFile() && e.name.endsWith('.ts')
      ? [e.name]
      : e.isDirectory() && existsSync(join(root, 'examples', e.name, 'backend.ts'))
        ? [`${e.name}/backend.ts`]
        : [],
  )
  .sort();
const out = mkdtempSync(join(tmpdir(), 'atakora-examples-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));
// Examples with several backends; any other example (one added later included) must give at least one.
const STACKS: Readonly<Record<string, number>> = {
  'blue-green.ts': 2,
  'disaster-recovery.ts': 2,
  'invitation-email.ts': 2,
  'multi-region.ts': 4,
  'per-environment.ts': 2,
  'search.ts': 3,
  'security-boundaries.ts': 2,
};

describe('atakora synth on every example (and the deployability rules on what it writes)', () => {
  it('finds the examples', () => expect(examples.length).toBeGreaterThanOrEqual(14));

  for (const file of examples) {
    it(`synth examples/${file} writes one stack per exported backend, each with resources`, async () => {
      const dir = join(out, file.replace(/\.ts$/, ''));
      const { main } = (await import(
        pathToFileURL(join(root, 'dist/cli/main.js')).href
      )) as typeof import('../../src/cli/main.js');
      let stdout = '';
      let stderr = '';
      const code = await main(['synth', `examples/${file}`, '--out', dir], {
        out: (s) => {
          stdout += s;
        },
        err: (s) => {
          stderr += s;
        },
        stdout: {},
      });
      expect(code, stderr).toBe(0);
      const written = stdout.trim().split('\n');
      if (file in STACKS) expect(written).toHaveLength(STACKS[file]!);
      else expect(written.length).toBeGreaterThanOrEqual(1);
      expect(new Set(written).size).toBe(written.length);
      const all: Record<string, TfJson> = {};
      for (const path of written) {
        const json = JSON.parse(readFileSync(path, 'utf8')) as TfJson;
        expect(Object.keys(json.resource ?? {}).length, path).toBeGreaterThan(0);
        // The deployability rules hold on what the CLI deploys, as on the example's own cdktf program.
        expect(deployabilityProblems(json), path).toEqual([]);
        all[path] = json;
      }
      expect(crossStackProblems(all as Parameters<typeof crossStackProblems>[0]), file).toEqual([]);
      expect(readdirSync(join(dir, 'stacks')).length).toBe(written.length);
    });
  }
});
