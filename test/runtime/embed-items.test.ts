/**
 * A CrudApi whose search embeds, against the local Cosmos DB server: every create, replace and merge stores the
 * vector of the item's `embed.from` text — the local deterministic embedder without `ATAKORA_OPENAI_ENDPOINT`, the
 * official `openai` SDK against the Azure OpenAI stand-in with it (its retry of a 429 included) — the client's own
 * vector is never stored, a PATCH of other fields calls no model, and a failed embedding writes nothing: 400
 * `embedding-refused` for text the service refuses, 503 `embedding-unavailable` with `Retry-After` otherwise.
 */
import type { Container } from '@azure/cosmos';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RuntimeEntity } from '../../src/model/runtime-manifest.js';
import { createCrudHandlers } from '../../src/runtime/crud/handlers.js';
import { EmbeddingError, type Embedder } from '../../src/runtime/embed/embed-types.js';
import { embedderOf } from '../../src/runtime/embed/embedder-of.js';
import { localVector } from '../../src/runtime/embed/local-embedder.js';
import { OPENAI_API_VERSION } from '../../src/runtime/embed/atakora-openai.js';
import { queryEmbedderOf } from '../../src/runtime/embed/query-embedder.js';
import { OPENAI_ENDPOINT_SETTING } from '../../src/model/embedding-models.js';
import { type OpenAiStandIn, startOpenAiStandIn } from '../support/openai-standin.js';
import { noteEntity } from './support/entities.js';
import { apiFor } from './support/http.js';
import { type LocalCosmos, startLocalCosmos } from './support/local-cosmos.js';

const A = { 'x-tenant-id': 'tenant-a' };
const DIMS = 16;
const entityWith = (m = 'text-embedding-3-small') =>
  ({
    ...noteEntity,
    schema: { ...noteEntity.schema, embedding: { type: 'array', required: false } },
    search: {
      vector: {
        field: 'embedding',
        dimensions: m === 'text-embedding-ada-002' ? 1536 : DIMS,
        distance: 'cosine',
        index: 'flat',
        embed: { from: ['title', 'body'], deployment: 'embed-small', model: m },
      },
    },
  }) as RuntimeEntity;
const entity = entityWith();
const cosine = (a: number[], b: number[]) => a.reduce((s, x, i) => s + x * b[i]!, 0);

let cosmos: LocalCosmos;
let container: Container;
let openai: OpenAiStandIn;
beforeAll(async () => {
  cosmos = await startLocalCosmos();
  container = await cosmos.container('embedded', '/tenantId');
  openai = await startOpenAiStandIn();
});
afterAll(async () => {
  await openai?.close();
  await cosmos?.stop();
});
const raw = async (id: string) =>
  (await container.item(id, 'tenant-a').read<Record<string, unknown>>()).resource;

/** The local embedder, counting its calls. */
function counted(): Embedder & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    embed: (text) => {
      calls.push(text);
      return Promise.resolve(localVector(text, DIMS));
    },
  };
}

describe('the local deterministic embedder', () => {
  it('the same text, the same unit vector; texts sharing words closer than texts sharing none', () => {
    const v = localVector('Login fails on Safari', 64);
    expect(localVector('Login fails on Safari', 64)).toEqual(v);
    expect(Math.hypot(...v)).toBeCloseTo(1, 10);
    const near = cosine(v, localVector('login failure in Safari', 64));
    const far = cosine(v, localVector('quarterly invoice totals', 64));
    expect(near).toBeGreaterThan(far);
  });
});

describe('items of an embedding CrudApi get their vector on each write', () => {
  it('create, replace and merge store the vector of the from text; the client vector is never stored', async () => {
    const embedder = counted();
    const api = apiFor(
      entity,
      createCrudHandlers(entity, container, { services: { embedderFor: () => embedder } }),
    );
    const created = await api.create(
      { id: 'n1', title: 'Login fails', body: 'on Safari', embedding: [9, 9] },
      { headers: A },
    );
    expect(created.status).toBe(201);
    expect((await raw('n1'))!['embedding']).toEqual(localVector('Login fails\non Safari', DIMS));
    expect(embedder.calls).toEqual(['Login fails\non Safari']);
    // A PATCH of another field keeps the vector without a call; one of a from field embeds anew.
    expect((await api.patch('n1', { count: 3, embedding: [1] }, { headers: A })).status).toBe(200);
    expect(embedder.calls).toHaveLength(1);
    expect((await raw('n1'))!['embedding']).toEqual(localVector('Login fails\non Safari', DIMS));
    expect((await api.patch('n1', { body: 'on Firefox' }, { headers: A })).status).toBe(200);
    expect((await raw('n1'))!['embedding']).toEqual(localVector('Login fails\non Firefox', DIMS));
    // A GET body written back (old vector included) is a valid PUT; its vector is the runtime's.
    const read = await api.get('n1', { headers: A });
    const put = await api.put('n1', { ...read.body, title: 'Sign-in fails' }, { headers: A });
    expect(put.status).toBe(200);
    expect((await raw('n1'))!['embedding']).toEqual(localVector('Sign-in fails\non Firefox', DIMS));
  });

  it('an item without from text stores no vector and calls nothing', async () => {
    const embedder = counted();
    const api = apiFor(
      entity,
      createCrudHandlers(entity, container, { services: { embedderFor: () => embedder } }),
    );
    expect(
      (await api.create({ id: 'n2', title: ' ', embedding: [1] }, { headers: A })).status,
    ).toBe(201);
    expect(await raw('n2')).not.toHaveProperty('embedding');
    expect(embedder.calls).toEqual([]);
  });

  it('without ATAKORA_OPENAI_ENDPOINT the default embedder is the local one', async () => {
    const e = embedderOf(entity, {})!;
    expect(await e.embed('a b')).toEqual(localVector('a b', DIMS));
  });
});

describe('through the openai SDK against the Azure OpenAI stand-in', () => {
  const env = () => ({ [OPENAI_ENDPOINT_SETTING]: openai.base });
  const sdkApi = (e: RuntimeEntity = entity) =>
    apiFor(
      e,
      createCrudHandlers(e, container, {
        services: { embedderFor: (x) => embedderOf(x, env(), { maxRetries: 1, timeoutMs: 5000 }) },
      }),
    );

  it('embeds with the deployment, the GA api-version and the dimensions; a 429 is retried', async () => {
    openai.mode = 'throttle-once';
    const before = openai.requests.length;
    const created = await sdkApi().create(
      { id: 's1', title: 'Refund', body: 'twice' },
      { headers: A },
    );
    expect(created.status).toBe(201);
    expect(openai.requests.length - before).toBe(2);
    expect(openai.taken.at(-1)).toMatchObject({
      deployment: 'embed-small',
      apiVersion: OPENAI_API_VERSION,
      input: 'Refund\ntwice',
      dimensions: DIMS,
      auth: 'api-key atakora-stand-in',
    });
    expect((await raw('s1'))!['embedding']).toEqual(localVector('Refund\ntwice', DIMS));
  });

  it('text-embedding-ada-002 is asked for no dimensions', async () => {
    openai.mode = 'accept';
    const ada = entityWith('text-embedding-ada-002');
    expect((await sdkApi(ada).create({ id: 's2', title: 'x' }, { headers: A })).status).toBe(201);
    expect(openai.taken.at(-1)).not.toHaveProperty('dimensions');
    expect(((await raw('s2'))!['embedding'] as number[]).length).toBe(1536);
  });

  it.each([
    ['unavailable', 503, 'embedding-unavailable'],
    ['wrong-length', 503, 'embedding-unavailable'],
    ['content-filter', 400, 'embedding-refused'],
  ] as const)('%s: %i %s and nothing is written', async (mode, status, code) => {
    openai.mode = mode;
    const id = `f-${mode}`;
    const res = await sdkApi().create({ id, title: 'Something' }, { headers: A });
    expect(res.status).toBe(status);
    expect(res.body.type).toBe(`urn:atakora:problem:${code}`);
    expect(JSON.stringify(res.body)).not.toContain('Something');
    if (status === 503) expect(res.headers.get('retry-after')).toBeTruthy();
    expect(await raw(id)).toBeUndefined();
  });

  it('text over the model tokens is a 400 from the service, not a 5xx', async () => {
    openai.mode = 'accept';
    const res = await sdkApi().create({ id: 'long', title: 'word '.repeat(9000) }, { headers: A });
    expect(res.status).toBe(400);
    expect(res.body.type).toBe('urn:atakora:problem:embedding-refused');
  });
});

describe('the query embedder', () => {
  it('embeds a query as the items are embedded; an empty query is refused without a call', async () => {
    const embedder = counted();
    const embedQuery = queryEmbedderOf(entity, { embedderFor: () => embedder })!;
    expect(await embedQuery('Login fails')).toEqual(localVector('Login fails', DIMS));
    await expect(embedQuery('  ')).rejects.toBeInstanceOf(EmbeddingError);
    expect(embedder.calls).toEqual(['Login fails']);
    expect(queryEmbedderOf(noteEntity)).toBeUndefined();
  });
});
