/**
 * `atakora openapi` for a backend whose agents sign in to organizations (`mcp.authorization`, DESIGN §2 "Grants are
 * data"): the document it prints from the plan is the one the deployed Function App serves at `GET
 * api/openapi.json` (its runtime manifest and sign-in setting as apply writes them, through the runtime's own
 * handler) — the connected agents' routes included, which the plan lacked before — and it is valid OpenAPI 3.1
 * that Redocly's recommended rules find nothing in.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { HttpRequest, type HttpFunctionOptions, type HttpResponseInit } from '@azure/functions';
import { Validator } from '@seriousme/openapi-schema-validator';
import { afterAll, describe, expect, it } from 'vitest';
import { defineBackend } from '../../src/backend/define-backend.js';
import { main } from '../../src/cli/main.js';
import { CrudApi } from '../../src/components/crud/index.js';
import { MANIFEST_SETTING } from '../../src/model/runtime-manifest.js';
import { resourcePlanSchema } from '../../src/plan/plan-schema.js';
import { startRuntime } from '../../src/runtime/start-runtime.js';
import { capturedIo } from '../support/captured-io.js';
import { redoclyLint } from '../support/redocly.js';
import { synth } from '../support/synth.js';
import { makeContext } from '../runtime/support/http.js';
import backend from './fixtures/agents-openapi-backend.js';

const ENTRY = 'test/cli/fixtures/agents-openapi-backend.ts';
const root = resolve(import.meta.dirname, '../..');
const work = mkdtempSync(join(root, '.tmp-cli-openapi-agents-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

type Doc = { servers: { url: string }[]; paths: Record<string, unknown> };
const AGENT_PATHS = [
  '/api/me/agents',
  '/api/me/agents/{grant}',
  '/api/tenant/agents',
  '/api/tenant/agents/{grant}',
];

async function printed(): Promise<Doc> {
  const c = capturedIo();
  expect(await main(['openapi', ENTRY], c.io), c.err).toBe(0);
  return JSON.parse(c.out) as Doc;
}

/** What the Function App running the CRUD runtime serves at `origin`, from the app settings apply writes. */
async function served(origin: string): Promise<Doc> {
  const apps = Object.values(
    synth(backend).resource['azurerm_function_app_flex_consumption'] ?? {},
  );
  const settings = apps
    .map((a) => (a as { app_settings: Record<string, string> }).app_settings)
    .find((s) => s[MANIFEST_SETTING]);
  const handlers = new Map<string, HttpFunctionOptions>();
  const started = startRuntime({ http: (name, options) => handlers.set(name, options) }, settings);
  expect(started.ok).toBe(true);
  // A signed-in caller, as App Service authentication passes one on.
  const principal = Buffer.from(
    JSON.stringify({
      claims: [
        { typ: 'http://schemas.microsoft.com/identity/claims/tenantid', val: 't1' },
        { typ: 'http://schemas.microsoft.com/identity/claims/objectidentifier', val: 'u1' },
      ],
    }),
  ).toString('base64');
  const answer = (await handlers.get('openapi')!.handler(
    new HttpRequest({
      method: 'GET',
      url: `${origin}/api/openapi.json`,
      headers: { 'x-ms-client-principal': principal },
    }),
    makeContext(),
  )) as HttpResponseInit;
  expect(answer.status ?? 200, String(answer.body)).toBe(200);
  return JSON.parse(String(answer.body)) as Doc;
}

describe('atakora openapi with mcp.authorization', () => {
  it('prints the document the app serves: the connected agents’ routes included', async () => {
    const doc = await printed();
    for (const p of AGENT_PATHS) expect(Object.keys(doc.paths), p).toContain(p);
    // Served from the host the plan names (the deployed app's, its global suffix known at apply).
    expect(await served(doc.servers[0]!.url)).toEqual(doc);
  });

  it('is valid OpenAPI 3.1, and Redocly (recommended) finds nothing', async () => {
    const doc = await printed();
    expect((await new Validator().validate(doc)).valid).toBe(true);
    const file = join(work, 'agents.json');
    writeFileSync(file, JSON.stringify(doc));
    const lint = redoclyLint([file], work);
    expect(lint.reports[0]!.problems.map((p) => `${p.ruleId}: ${p.message}`)).toEqual([]);
    expect(lint.status).toBe(0);
  });

  it('carries mcp in the plan as the manifest does, through a saved plan’s schema; none without mcp', () => {
    const plan = backend.plan();
    expect(resourcePlanSchema.parse(JSON.parse(JSON.stringify(plan)))).toEqual(plan);
    expect(plan.mcp).toEqual({
      writes: false,
      authorization: {
        registration: false,
        accessTokenMinutes: 10,
        refreshTokenDays: 30,
        grantsPerPerson: 20,
      },
    });
    const notes = CrudApi.define('NoteApi', { entityName: 'Note', schema: { id: 'string' } });
    expect(defineBackend({ notes }, { mcp: { writes: true } }).plan().mcp).toEqual({
      writes: true,
    });
    expect('mcp' in defineBackend({ notes }).plan()).toBe(false);
  });
});
