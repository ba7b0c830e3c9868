import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { codeOf as code, tsFiles as files } from './support/source.js';
import { cruiseFixture } from '../support/cruise-fixture.js';

// The CLI's house (docs/architecture.md, "The CLI's rooms"): command folders over three shared rooms — azure/
// (every call to Azure), shared/ (non-Azure helpers) and entry/ (loading the backend) — no command importing
// another, every file of a readable size. `.dependency-cruiser.cjs` holds the imports in `npm run lint`; this
// test holds the rest and checks that those rules fire.
const ROOT = resolve(import.meta.dirname, '../..');
const CLI = join(ROOT, 'src/cli');
const SHARED_ROOMS = ['azure', 'shared', 'entry'];

const cli = files(CLI).map((f) => ({
  file: relative(ROOT, f).split(sep).join('/'),
  text: readFileSync(f, 'utf8'),
}));
const roomOf = (file: string) => file.split('/')[2] ?? '';
const outsideAzure = cli.filter((s) => roomOf(s.file) !== 'azure');

describe("the CLI's house", () => {
  it('no file under src/cli is over 400 lines', () => {
    const long = cli
      .map((s) => ({ file: s.file, lines: s.text.split('\n').length - 1 }))
      .filter((s) => s.lines > 400);
    expect(long).toEqual([]);
  });

  it('atakora dev is split by concern: no dev file over 400 lines, the session in rooms of one role', () => {
    const dev = cli.filter((s) => s.file.startsWith('src/cli/dev/')).map((s) => s.file);
    for (const role of [
      'session/session',
      'host/hosts',
      'storage/storage',
      'cosmos/state',
      'session/watch',
      'seed/seed',
    ])
      expect(dev).toContain(`src/cli/dev/${role}.ts`);
  });

  it("atakora dev's files live in rooms by part of the local cloud (docs/architecture.md), none loose", () => {
    const rooms = [
      'cosmos',
      'host',
      'loopback',
      'realtime',
      'seed',
      'session',
      'sign-in',
      'sites',
      'storage',
      'traces',
    ];
    const dev = cli
      .filter((s) => s.file.startsWith('src/cli/dev/'))
      .map((s) => s.file.split('/').slice(3));
    expect(dev.length).toBeGreaterThan(30);
    expect(
      dev.filter((p) => p.length !== 2 || !rooms.includes(p[0]!)).map((p) => p.join('/')),
    ).toEqual([]);
  });

  it('calls to Azure live in src/cli/azure only: fetch, api-versions, Azure hosts, endpoint overrides', () => {
    const host =
      /management\.azure\.com|graph\.microsoft\.com|vault\.azure\.net|core\.windows\.net|azurewebsites\.net|documents\.azure\.com|loganalytics\./;
    const found = outsideAzure.flatMap((s) => {
      const c = code(s.text);
      return [
        ...(/\bfetch\s*\(/.test(c) ? [`${s.file}: fetch(`] : []),
        ...(/api-version/.test(c) ? [`${s.file}: api-version`] : []),
        ...(host.test(c) ? [`${s.file}: an Azure host`] : []),
        ...(/\[\s*['"]ATAKORA_\w*_ENDPOINT['"]\s*\]/.test(c)
          ? [`${s.file}: ATAKORA_*_ENDPOINT`]
          : []),
      ];
    });
    expect(found).toEqual([]);
  });

  it('the endpoint overrides are named in one place (azure/endpoints.ts) and read through it', () => {
    const reads = cli
      .filter((s) => /env\s*(\[\s*['"]|\.)ATAKORA_\w*_ENDPOINT/.test(code(s.text)))
      .map((s) => s.file);
    expect(reads).toEqual([]);
    const endpoints = cli.find((s) => s.file === 'src/cli/azure/endpoints.ts')!.text;
    for (const name of ['ARM', 'GRAPH', 'KEYVAULT', 'BLOB', 'COSMOS', 'SCM', 'LOGS'])
      expect(endpoints).toContain(`'ATAKORA_${name}_ENDPOINT'`);
  });

  it('src/resources/functions makes and addresses no Azure call (its URLs are the CLI azure room’s)', () => {
    const dir = join(ROOT, 'src/resources/functions');
    const found = files(dir).filter((f) =>
      /api-version|management\.azure\.com|\bfetch\s*\(/.test(code(readFileSync(f, 'utf8'))),
    );
    expect(found.map((f) => relative(ROOT, f))).toEqual([]);
  });

  it('no command folder imports another command folder (the file graph, type imports included)', () => {
    const crossings: string[] = [];
    for (const s of cli) {
      const from = roomOf(s.file);
      if (!s.file.slice('src/cli/'.length).includes('/') || SHARED_ROOMS.includes(from)) continue;
      for (const { fileName } of ts.preProcessFile(s.text, true, true).importedFiles) {
        if (!fileName.startsWith('.')) continue;
        const target = relative(CLI, resolve(dirname(join(ROOT, s.file)), fileName)).split(sep);
        if (target.length < 2 || target[0] === '..') continue;
        // verify proves the access matrix against dev's stack: its one door (dev-stack.ts) may open dev's session.
        if (s.file === 'src/cli/verify/dev-stack.ts' && target[0] === 'dev') continue;
        if (target[0] !== from && !SHARED_ROOMS.includes(target[0]!))
          crossings.push(`${s.file} → ${target.join('/')}`);
      }
    }
    expect(crossings).toEqual([]);
  });

  it('the lint rules fire: a command importing another, a shared room importing a command, an SDK outside azure/', async () => {
    const violations = await violationsIn({
      'src/cli/deploy/one.ts': "import { two } from '../dev/two.js';\nexport const one = two;\n",
      'src/cli/dev/two.ts':
        "import type { CosmosClient } from '@azure/cosmos';\nexport const two = 2;\nexport type C = CosmosClient;\n",
      'src/cli/shared/helper.ts':
        "import { one } from '../deploy/one.js';\nexport const h = one;\n",
      'src/cli/azure/calls.ts': "import { h } from '../shared/helper.js';\nexport const c = h;\n",
      // Allowed: a command over the shared rooms; the Functions programming model in dev's worker host.
      'src/cli/seed/ok.ts':
        "import { c } from '../azure/calls.js';\nimport { h } from '../shared/helper.js';\nexport const ok = [c, h];\n",
      'src/cli/dev/host-ok.ts':
        "import type { HttpRequest } from '@azure/functions';\nexport type R = HttpRequest;\n",
    });
    expect(violations).toEqual([
      'cli-azure-room-below-shared: src/cli/azure/calls.ts',
      'cli-azure-sdks-in-azure-room: src/cli/dev/two.ts',
      'cli-commands-independent: src/cli/deploy/one.ts',
      'cli-shared-rooms-below-commands: src/cli/shared/helper.ts',
    ]);
  });
});

/** The violations the repository's dependency-cruiser rules find in a fixture tree of `src/` files. */
async function violationsIn(tree: Record<string, string>): Promise<string[]> {
  const fixture = mkdtempSync(join(ROOT, '.tmp-cli-house-'));
  try {
    for (const [path, text] of Object.entries(tree)) {
      mkdirSync(join(fixture, path, '..'), { recursive: true });
      writeFileSync(join(fixture, path), text);
    }
    return await cruiseFixture(fixture);
  } finally {
    rmSync(fixture, { recursive: true, force: true });
  }
}
