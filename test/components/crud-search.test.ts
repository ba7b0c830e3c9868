import { describe, expect, it } from 'vitest';
import { defineBackend } from '../../src/backend/define-backend.js';
import { normalizeConfig } from '../../src/backend/normalize-config.js';
import { CrudApi } from '../../src/components/crud/index.js';
import { defineComponent } from '../../src/components/custom/define.js';
import type { RuntimeEntity } from '../../src/model/runtime-manifest.js';
import { parseManifest } from '../../src/runtime/manifest-loader.js';
import { diffPlans } from '../../src/plan/diff/diff.js';
import { expectHonest, synth } from '../support/synth.js';
import { thrown } from '../support/errors.js';

const schema = {
  id: 'string',
  title: 'string',
  body: 'string',
  votes: 'number',
  embedding: 'array',
} as const;
const ticket = (search: unknown, extra: Record<string, unknown> = {}) =>
  CrudApi.define('TicketApi', {
    entityName: 'Ticket',
    schema,
    ...extra,
    search: search as never,
  });

function entityOf(def: ReturnType<typeof ticket>): RuntimeEntity {
  const fn = def
    .requirements({ componentId: 'TicketApi', config: normalizeConfig({}) })
    .find((r) => r.resourceType === 'functions')!;
  return (fn.config as { crudEntities: RuntimeEntity[] }).crudEntities[0]!;
}
const cosmosOf = (p: ReturnType<ReturnType<typeof defineBackend>['plan']>) =>
  p.resources.find((r) => r.type === 'cosmos')!;
type Container = { name: string; search?: Record<string, unknown>; deployedBy?: string };
const containerOf = (p: ReturnType<ReturnType<typeof defineBackend>['plan']>) =>
  (cosmosOf(p).config['databases'] as { containers: Container[] }[])[0]!.containers[0]!;

describe('CrudApi search: what define refuses (Learn limits)', () => {
  it.each([
    [{ text: ['nope'] }, 'CRUD_SEARCH_INVALID', ['text', 0]],
    [{ text: ['votes'] }, 'CRUD_SEARCH_INVALID', ['text', 0]],
    [{ text: ['title'], language: 'xx-XX' }, 'CRUD_SEARCH_INVALID', ['language']],
    [{ text: ['title'], fuzzy: true }, 'CONFIG_UNKNOWN_KEY', ['fuzzy']],
    [{}, 'CRUD_SEARCH_INVALID', []],
    [{ vector: { path: 'title', dimensions: 3 } }, 'CRUD_SEARCH_INVALID', ['vector', 'path']],
    [
      { vector: { path: 'embedding', dimensions: 506, index: 'flat' } },
      'CRUD_SEARCH_DIMENSIONS',
      ['vector', 'dimensions'],
    ],
    [
      { vector: { path: 'embedding', dimensions: 4097 } },
      'CRUD_SEARCH_DIMENSIONS',
      ['vector', 'dimensions'],
    ],
    [
      { vector: { path: 'embedding', dimensions: 1.5 } },
      'CRUD_SEARCH_DIMENSIONS',
      ['vector', 'dimensions'],
    ],
    [
      { vector: { path: 'embedding', dimensions: 8, distance: 'manhattan' } },
      'CRUD_SEARCH_INVALID',
      ['vector', 'distance'],
    ],
    [
      { vector: { path: 'embedding', dimensions: 8, index: 'hnsw' } },
      'CRUD_SEARCH_INVALID',
      ['vector', 'index'],
    ],
    [
      { vector: { path: 'embedding', dimensions: 8, embed: { from: ['votes'], deployment: 'e' } } },
      'CRUD_SEARCH_INVALID',
      ['vector', 'embed', 'from', 0],
    ],
    [
      { vector: { path: 'embedding', dimensions: 8, embed: { from: ['title'], deployment: '' } } },
      'CRUD_SEARCH_INVALID',
      ['vector', 'embed', 'deployment'],
    ],
  ])('%j → %s at its path', (search, code, rest) => {
    const e = thrown(() => ticket(search));
    expect(e).toMatchObject({
      code,
      path: ['components', 'TicketApi', 'config', 'search', ...rest],
    });
    expect(e.resolution).toBeTruthy();
  });

  it('accepts the limits themselves: flat 505, diskANN and quantizedFlat 4,096', () => {
    for (const [index, dimensions] of [
      ['flat', 505],
      ['diskANN', 4096],
      ['quantizedFlat', 4096],
    ] as const)
      expect(() => ticket({ vector: { path: 'embedding', dimensions, index } })).not.toThrow();
  });
});

describe('CrudApi search: the runtime manifest', () => {
  it('carries the checked declaration with its defaults, and the manifest schema accepts it', () => {
    const entity = entityOf(
      ticket({
        text: ['/title', 'body'],
        vector: {
          path: '/embedding',
          dimensions: 1536,
          embed: { from: ['title'], deployment: 'text-embedding-3-small' },
        },
      }),
    );
    expect(entity.search).toEqual({
      text: { fields: ['title', 'body'], language: 'en-US' },
      vector: {
        field: 'embedding',
        dimensions: 1536,
        distance: 'cosine',
        index: 'diskANN',
        embed: {
          from: ['title'],
          deployment: 'text-embedding-3-small',
          model: 'text-embedding-3-small',
        },
      },
    });
    const load = (e: unknown) =>
      parseManifest(JSON.stringify({ version: 1, backendId: 'b', entities: [e] }));
    expect(load(entity).entities[0]!.search).toEqual(entity.search);
    expect(() =>
      load({ ...entity, search: { vector: { ...entity.search!.vector, distance: 'l1' } } }),
    ).toThrow(expect.objectContaining({ code: 'RUNTIME_CONFIG_INVALID' }));
  });
});

describe('CrudApi search: the plan', () => {
  const full = {
    text: ['title', 'body'],
    language: 'fr-FR',
    vector: { path: 'embedding', dimensions: 1536, index: 'quantizedFlat', distance: 'dotproduct' },
  };

  it("plans the account's capabilities and the container's policies and indexes, made by atakora deploy", () => {
    const p = defineBackend({ tickets: ticket(full) }).plan();
    // Vector search needs its capability; full-text search, generally available, needs none (Learn).
    expect(cosmosOf(p).config['capabilities']).toContain('EnableNoSQLVectorSearch');
    expect(cosmosOf(p).config['capabilities']).not.toContain('EnableNoSQLFullTextSearch');
    expect(containerOf(p)).toMatchObject({
      deployedBy: 'atakora deploy',
      search: {
        fullTextPolicy: {
          defaultLanguage: 'fr-FR',
          fullTextPaths: [
            { path: '/title', language: 'fr-FR' },
            { path: '/body', language: 'fr-FR' },
          ],
        },
        fullTextIndexes: [{ path: '/title' }, { path: '/body' }],
        vectorEmbeddingPolicy: {
          vectorEmbeddings: [
            {
              path: '/embedding',
              dataType: 'float32',
              distanceFunction: 'dotproduct',
              dimensions: 1536,
            },
          ],
        },
        vectorIndexes: [{ path: '/embedding', type: 'quantizedFlat' }],
      },
    });
    expect(p.issues.find((i) => i.code === 'COSMOS_VECTOR_FULL_SCAN')?.message).toMatch(
      /1000 vectors/,
    );
  });

  it('stays honest: the search container and its grants are no Terraform resource, and the rest is synthesized', () => {
    const backend = defineBackend({ tickets: ticket(full) });
    const p = backend.plan();
    const json = synth(backend);
    expect(Object.keys(json.resource['azurerm_cosmosdb_sql_container'] ?? {})).toEqual([]);
    expect(Object.keys(json.resource['azurerm_cosmosdb_sql_role_assignment'] ?? {})).toEqual([]);
    expect(Object.keys(json.resource['azurerm_cosmosdb_sql_database'] ?? {})).toHaveLength(1);
    const account = Object.values(json.resource['azurerm_cosmosdb_account']!)[0] as {
      capabilities: { name: string }[];
      lifecycle?: { ignore_changes?: string[] };
    };
    expect(account.capabilities.map((c) => c.name).sort()).toEqual([
      'EnableNoSQLVectorSearch',
      'EnableServerless',
    ]);
    // Declared for the new account only: azurerm v4.55.0 would replace an existing one to change the list.
    expect(account.lifecycle?.ignore_changes).toContain('capabilities');
    expectHonest(p, json);
  });

  it('a flat index warns of no full scan; full text alone needs no capability', () => {
    const p = defineBackend({
      tickets: ticket({
        text: ['title'],
        vector: { path: 'embedding', dimensions: 8, index: 'flat' },
      }),
    }).plan();
    expect(p.issues.map((i) => i.code)).not.toContain('COSMOS_VECTOR_FULL_SCAN');
    const t = defineBackend({ tickets: ticket({ text: ['title'] }) }).plan();
    expect(cosmosOf(t).config['capabilities']).toEqual(['EnableServerless']);
  });

  it('takes the languages Learn lists, and says a language other than en-US is a preview', () => {
    const codes = (language?: string) =>
      defineBackend({ tickets: ticket({ text: ['title'], ...(language ? { language } : {}) }) })
        .plan()
        .issues.filter((i) => i.code === 'COSMOS_FULL_TEXT_PREVIEW');
    expect(codes()).toEqual([]);
    expect(codes('en-US')).toEqual([]);
    for (const language of ['de-DE', 'es-ES', 'fr-FR', 'it-IT', 'pt-PT', 'pt-BR']) {
      const [warning] = codes(language);
      expect(warning).toMatchObject({
        severity: 'warning',
        path: ['components', 'TicketApi', 'config', 'search', 'language'],
      });
      expect(warning!.message).toContain(language);
      expect(warning!.message).toMatch(/early preview/);
    }
  });

  it('refuses vector search in a shared-throughput database unless the container has its own throughput', () => {
    const sharedDb = defineComponent({
      type: 'Shared',
      id: 'SharedDb',
      config: {},
      requirements: () => [
        {
          resourceType: 'cosmos',
          requirementKey: 'c',
          config: {
            enableServerless: false,
            databases: [{ name: 'ticket-db', throughput: 1000, containers: [] }],
          },
        },
      ],
    });
    const vector = { vector: { path: 'embedding', dimensions: 8 } };
    const p = defineBackend({
      db: sharedDb,
      tickets: ticket(vector, { enableServerless: false }),
    }).plan();
    expect(p.issues.find((i) => i.code === 'COSMOS_VECTOR_SHARED_THROUGHPUT')).toMatchObject({
      severity: 'error',
      path: ['components', 'TicketApi', 'config', 'search', 'vector'],
    });
    const own = defineBackend({
      db: sharedDb,
      tickets: ticket(vector, { throughput: 400 }),
    }).plan();
    expect(own.issues.map((i) => i.code)).not.toContain('COSMOS_VECTOR_SHARED_THROUGHPUT');
    // Full text alone has no such limit.
    const text = defineBackend({
      db: sharedDb,
      tickets: ticket({ text: ['title'] }, { enableServerless: false }),
    }).plan();
    expect(text.issues.map((i) => i.code)).not.toContain('COSMOS_VECTOR_SHARED_THROUGHPUT');
  });

  it('one declaration per container: two CrudApis searching one container differently is an error', () => {
    const other = CrudApi.define('TicketAdminApi', {
      entityName: 'Ticket',
      schema,
      route: 'admin/tickets',
      search: { text: ['body'] },
    });
    const p = defineBackend({ tickets: ticket({ text: ['title'] }), admin: other }).plan();
    expect(p.issues.find((i) => i.code === 'COSMOS_SEARCH_CONFLICT')).toMatchObject({
      severity: 'error',
      components: ['TicketApi', 'TicketAdminApi'].sort(),
    });
  });

  it('adding search to a deployed account is never a replacement: the capability is enabled in place', () => {
    const notes = CrudApi.define('NoteApi', { entityName: 'Note', schema: { id: 'string' } });
    const plain = defineBackend({ notes }).plan();
    for (const search of [
      { text: ['title'] },
      { vector: { path: 'embedding', dimensions: 8 } },
      { text: ['title'], vector: { path: 'embedding', dimensions: 8 } },
    ]) {
      // A new searched CrudApi on the deployed account: nothing stateful is replaced or removed.
      const after = defineBackend({ notes, tickets: ticket(search) }).plan();
      const d = diffPlans(plain, after);
      expect(d.issues.filter((i) => i.severity === 'error')).toEqual([]);
      expect(d.resources.replacements).toEqual([]);
    }
    // An account planned before full-text search was generally available held EnableNoSQLFullTextSearch: losing
    // it is no replacement either (Terraform ignores the list after creation).
    const before = {
      ...plain,
      resources: plain.resources.map((r) =>
        r.type === 'cosmos'
          ? {
              ...r,
              config: {
                ...r.config,
                capabilities: ['EnableNoSQLFullTextSearch', 'EnableServerless'],
              },
            }
          : r,
      ),
    };
    expect(diffPlans(before, plain).resources.replacements).toEqual([]);
    // Search on a container already deployed is another matter: it moves out of Terraform (a vector embedding
    // policy cannot be added to an existing container, Learn), which the diff reports as the container's removal
    // (docs/search.md: give the CrudApi a new containerName).
    const existing = defineBackend({
      tickets: CrudApi.define('TicketApi', { entityName: 'Ticket', schema }),
    }).plan();
    const searched = defineBackend({ tickets: ticket({ text: ['title'] }) }).plan();
    expect(diffPlans(existing, searched).issues.map((i) => i.code)).toContain('STATEFUL_REMOVAL');
    expect(diffPlans(existing, searched).resources.replacements).toEqual([]);
  });
});
