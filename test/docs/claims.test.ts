/**
 * Statements the docs make that a snippet run cannot catch, each checked against the code,
 * so that the next mismatch fails here.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defineBackend } from '../../src/backend/define-backend.js';
import { CrudApi } from '../../src/components/crud/index.js';
import { FunctionsApp } from '../../src/components/functions/index.js';
import { StaticSiteWithCdn } from '../../src/components/web/index.js';
import { ErrorCodes } from '../../src/model/error-codes.js';
import { nodeFunctionsWithoutHandler } from './node-handlers.js';

const root = resolve(import.meta.dirname, '../..');
const docs = [
  'README.md',
  ...readdirSync(join(root, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
  'examples/cdktf-project/README.md',
];
const read = (f: string) => readFileSync(join(root, f), 'utf8');

/** Every ```ts block of a Markdown file, with the line of its fence. */
function blocks(doc: string): { line: number; code: string }[] {
  const lines = read(doc).split('\n');
  const out: { line: number; code: string }[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!/^```(ts|typescript)\s*$/.test(lines[i]!)) continue;
    const end = lines.findIndex((l, j) => j > i && l.startsWith('```'));
    out.push({ line: i + 1, code: lines.slice(i + 1, end).join('\n') });
    i = end;
  }
  return out;
}

describe('docs show Node functions with their handler', () => {
  it('every Node FunctionsApp in the docs and the API reference names a handler per function (else apply refuses it)', () => {
    const offenders: string[] = [];
    for (const doc of docs) {
      for (const b of blocks(doc)) {
        const lines = b.code.split('\n');
        for (const f of nodeFunctionsWithoutHandler(b.code)) {
          const at = Number(/line (\d+)\)$/.exec(f)![1]);
          // The one example that shows the mistake on purpose.
          if (/✗.*FUNCTIONS_HANDLER_MISSING/.test(lines[at - 2] ?? '')) continue;
          offenders.push(`${doc}:${String(b.line + at)} ${f}`);
        }
      }
    }
    expect(offenders).toEqual([]);
  });

  it('the checker finds such a function (so the test above can fail)', () => {
    expect(
      nodeFunctionsWithoutHandler(
        "FunctionsApp.define('A', { runtime: 'node', functions: { q: { trigger: 'queue', queueName: 'q' } } });",
      ),
    ).toEqual(['q (line 1)']);
    expect(
      nodeFunctionsWithoutHandler(
        "FunctionsApp.define('A', { runtime: 'python', codePath: './a', functions: { q: { trigger: 'queue', queueName: 'q' } } });",
      ),
    ).toEqual([]);
  });

  it('error resolutions that show a function show its handler', () => {
    const shown = Object.entries(ErrorCodes as Record<string, string>).filter(
      ([, text]) =>
        /trigger: '(http|queue|timer)'/.test(text) &&
        !/runtime: '(python|dotnet|java|powershell)/.test(text),
    );
    expect(shown.filter(([, text]) => !text.includes('handler:')).map(([code]) => code)).toEqual(
      [],
    );
  });
});

describe('the cdktf command', () => {
  it('every doc or example that runs `cdktf synth` / `cdktf deploy` says to install cdktf-cli', () => {
    const files = [
      ...docs.filter((d) => d !== 'docs/api-reference.md'),
      'examples/cdktf-project/main.ts',
    ];
    const missing = files.filter(
      (f) => /\bcdktf (synth|deploy)\b/.test(read(f)) && !read(f).includes('cdktf-cli'),
    );
    expect(missing).toEqual([]);
  });
});

describe('docs on the tenant of a request', () => {
  it('never say x-tenant-id is required without saying it counts only for a trusted gateway', () => {
    const texts = [
      ...docs.filter((d) => d !== 'docs/api-reference.md'),
      ...readdirSync(join(root, 'examples'))
        .filter((f) => f.endsWith('.ts'))
        .map((f) => `examples/${f}`),
    ];
    const offenders: string[] = [];
    for (const f of texts) {
      for (const paragraph of read(f).split(/\n\s*\n|\n\s*\*\s*\n/)) {
        const claims =
          /requires?\W{0,3}`?x-tenant-id|x-tenant-id`?\s+(header\s+)?(is\s+)?required|use the `?x-tenant-id/i.test(
            paragraph,
          );
        if (claims && !/trustGatewayHeader|gateway/.test(paragraph))
          offenders.push(`${f}: ${paragraph.trim().slice(0, 120)}`);
      }
    }
    expect(offenders).toEqual([]);
  });
});

describe('docs/deploying.md "Names"', () => {
  const section = read('docs/deploying.md').split('## Names')[1]!.split('\n## ')[0]!;
  const plan = defineBackend(
    {
      api: CrudApi.define('UserApi', { entityName: 'User', schema: { id: 'string' } }),
      jobs: FunctionsApp.define('Jobs', {
        runtime: 'node',
        version: '20',
        functions: { t: { trigger: 'timer', schedule: '0 0 * * * *', handler: './t.ts' } },
      }),
      site: StaticSiteWithCdn.define('Site', {}),
    },
    { environment: 'prod' },
  ).plan();
  const token = plan.naming.token;

  it('the types it says carry the target token do, in a plan', () => {
    const listed =
      /Globally unique names — (.+?) — end in a 6-character token derived from the \*\*deployment target\*\*/s
        .exec(section)?.[1]
        ?.replace(/\s+/g, ' ');
    expect(listed).toBe(
      "Cosmos DB, storage accounts, Function Apps, Key Vaults, Service Bus, the Front Door profile and custom providers' resources",
    );
    for (const type of ['cosmos', 'storage', 'functions', 'cdn']) {
      const names = plan.resources.filter((r) => r.type === type).map((r) => r.name);
      expect(names.length, type).toBeGreaterThan(0);
      for (const n of names) expect(n, type).toMatch(new RegExp(`-?${token}$`));
    }
  });

  it('Front Door endpoints are the exception it describes: <component>-<environment>-<token of backend, environment, location>', () => {
    expect(section).toContain('Front Door **endpoints** are the exception');
    const endpoints = plan.resources.find((r) => r.type === 'cdn')!.config['endpoints'] as {
      endpointName: string;
    }[];
    expect(endpoints.map((e) => e.endpointName)).toEqual([
      expect.stringMatching(/^site-prod-[a-z0-9]{6}$/),
    ]);
    expect(endpoints[0]!.endpointName).not.toContain(token);
  });
});
