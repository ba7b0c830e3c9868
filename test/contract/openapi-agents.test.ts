/**
 * The connected agents' routes in the OpenAPI document the runtime serves (`api/openapi.json`) when agents sign in to
 * organizations (`mcp.authorization`, DESIGN §2 "Grants are data"), and nowhere else: `api/me/agents` in no
 * organization (no `X-Atakora-Tenant`), `api/tenant/agents` in the request's, each with the problems the runtime
 * answers; read by the tools users bring — Redocly's recommended rules find nothing, and openapi-typescript's types
 * (default options) through openapi-fetch compile under `--strict` for every call, and refuse a misuse.
 * (Prism in front of the running runtime: openapi-prism-agents.test.ts.)
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import openapiTS, { astToString } from 'openapi-typescript';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';
import { openApiFromManifest } from '../../src/contract/openapi.js';
import type { RuntimeManifest } from '../../src/model/runtime-manifest.js';
import { agentNotes, agentsPolicy } from '../runtime/support/agents-app.js';
import { redoclyLint } from '../support/redocly.js';

const root = resolve(import.meta.dirname, '../..');
const work = mkdtempSync(join(root, '.tmp-openapi-agents-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const AUTHORIZATION = {
  registration: false,
  accessTokenMinutes: 10,
  refreshTokenDays: 30,
  grantsPerPerson: 20,
};
const manifest = (authorization: boolean): RuntimeManifest => ({
  version: 1,
  backendId: 'agents',
  entities: [agentNotes],
  auth: agentsPolicy,
  // As a deployed app's manifest describes its sign-in (the API's scope).
  openapi: {
    title: 'agents',
    security: { tenantId: 'contoso.onmicrosoft.com', scope: 'api://1111/user_impersonation' },
  },
  mcp: { writes: true, ...(authorization ? { authorization: AUTHORIZATION } : {}) },
});
const URL_ = 'https://func-agents.azurewebsites.net';
type Op = {
  parameters?: { $ref?: string }[];
  responses: Record<string, unknown>;
  operationId: string;
};
const doc = openApiFromManifest(manifest(true), URL_) as unknown as {
  paths: Record<string, Record<string, Op>>;
  components: { schemas: Record<string, unknown> };
};
const AGENT_PATHS = [
  '/api/me/agents',
  '/api/me/agents/{grant}',
  '/api/tenant/agents',
  '/api/tenant/agents/{grant}',
];
const ORG_HEADER = { $ref: '#/components/parameters/TenantSelect' };

describe('the agents’ routes in the document', () => {
  it('are there with mcp.authorization, and not without it', () => {
    for (const p of AGENT_PATHS) expect(doc.paths[p], p).toBeDefined();
    const without = openApiFromManifest(manifest(false), URL_) as unknown as typeof doc;
    expect(Object.keys(without.paths).filter((p) => p.includes('agents'))).toEqual([]);
    expect(without.components.schemas['ConnectedAgent']).toBeUndefined();
  });

  it("the person's act in no organization; the organization's take its header; each declares its problems", () => {
    const op = (p: string, m: string) => doc.paths[p]?.[m] as Op;
    expect(op('/api/me/agents', 'get').parameters ?? []).not.toContainEqual(ORG_HEADER);
    expect(op('/api/me/agents/{grant}', 'delete').parameters ?? []).not.toContainEqual(ORG_HEADER);
    expect(op('/api/tenant/agents', 'get').parameters).toContainEqual(ORG_HEADER);
    expect(op('/api/tenant/agents/{grant}', 'delete').parameters).toContainEqual(ORG_HEADER);
    const statuses = (p: string, m: string) => Object.keys(op(p, m).responses).sort();
    expect(statuses('/api/me/agents', 'get')).toEqual(['200', '401', '429', '503']);
    expect(statuses('/api/me/agents/{grant}', 'delete')).toEqual([
      '204',
      '401',
      '404',
      '429',
      '503',
    ]);
    expect(statuses('/api/tenant/agents', 'get')).toEqual([
      '200',
      '400',
      '401',
      '403',
      '429',
      '503',
    ]);
    expect(statuses('/api/tenant/agents/{grant}', 'delete')).toEqual([
      '204',
      '400',
      '401',
      '403',
      '404',
      '429',
      '503',
    ]);
  });

  it('Redocly (recommended) finds nothing; openapi-typescript’s types compile every call and refuse a misuse', async () => {
    const file = join(work, 'agents.json');
    writeFileSync(file, JSON.stringify(doc));
    const lint = redoclyLint([file], work);
    expect(lint.reports[0]!.problems.map((p) => `${p.ruleId}: ${p.message}`)).toEqual([]);
    expect(lint.status).toBe(0);

    writeFileSync(join(work, 'agents-api.d.ts'), astToString(await openapiTS(doc as never)));
    const head = [
      "import createClient from 'openapi-fetch';",
      "import type { paths } from './agents-api.js';",
      "const api = createClient<paths>({ baseUrl: 'http://127.0.0.1:7071' });",
      "const org = { header: { 'X-Atakora-Tenant': 'acme-k3x9qa' } };",
      'export async function run(): Promise<void> {',
    ];
    const good = [
      ...head,
      "  const mine = await api.GET('/api/me/agents');",
      '  const host: string | undefined = mine.data?.items[0]?.clientHost;',
      '  const used: string | null | undefined = mine.data?.items[0]?.lastUsedOn;',
      "  await api.DELETE('/api/me/agents/{grant}', { params: { path: { grant: 'g1' } } });",
      "  const all = await api.GET('/api/tenant/agents', { params: org });",
      '  const person: string | undefined = all.data?.items[0]?.person;',
      "  await api.DELETE('/api/tenant/agents/{grant}', { params: { ...org, path: { grant: 'g1' } } });",
      '  void [host, used, person];',
      '}',
    ].join('\n');
    const bad = [
      ...head,
      "  await api.DELETE('/api/me/agents/{grant}', { params: { path: { id: 'g1' } } });",
      "  const mine = await api.GET('/api/me/agents');",
      '  const when: number | undefined = mine.data?.items[0]?.connectedOn;',
      '  void when;',
      '}',
    ].join('\n');
    writeFileSync(join(work, 'good.ts'), good);
    writeFileSync(join(work, 'bad.ts'), bad);
    const options: ts.CompilerOptions = {
      strict: true,
      noEmit: true,
      skipLibCheck: true,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      target: ts.ScriptTarget.ES2022,
      lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
      types: [],
    };
    const host = ts.createCompilerHost(options);
    host.jsDocParsingMode = ts.JSDocParsingMode.ParseForTypeErrors;
    const files = [join(work, 'good.ts'), join(work, 'bad.ts')];
    const program = ts.createProgram(files, options, host);
    const errors = (f: string) =>
      ts
        .getPreEmitDiagnostics(program, program.getSourceFile(f))
        .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    expect(errors(files[0] as string)).toEqual([]);
    const wrong = errors(files[1] as string).join('\n');
    expect(wrong).toMatch(/grant/);
    expect(wrong).toMatch(/number/);
  });
});
