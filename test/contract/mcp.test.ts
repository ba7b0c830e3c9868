import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defineBackend } from '../../src/backend/define-backend.js';
import { CrudApi } from '../../src/components/crud/index.js';
import { FunctionsApp } from '../../src/components/functions/index.js';
import { entityTools } from '../../src/contract/mcp/entity-tools.js';
import {
  acceptsMcpResponses,
  MCP_PROTOCOL_VERSIONS,
  negotiateVersion,
  readMessage,
} from '../../src/contract/mcp/protocol.js';
import { crudToolJson, restCallOf, toolResultText } from '../../src/contract/mcp/tool-calls.js';
import { crudToolName, entityToolActions, snakeCase } from '../../src/model/mcp-tool-names.js';
import { openApiFromPlan as openApiOf } from '../../src/plan/openapi.js';
import type { RuntimeEntity } from '../../src/model/runtime-manifest.js';
import { noteEntity } from '../runtime/support/entities.js';

// The MCP server's contract, pure: tool names and schemas from the entity, tool calls as the REST calls they
// mirror, results as structured content, JSON-RPC messages and version negotiation (MCP 2025-06-18).

describe('tool names', () => {
  it('are the entity name in snake_case and the action', () => {
    expect(snakeCase('Note')).toBe('note');
    expect(snakeCase('AuditLog')).toBe('audit_log');
    expect(snakeCase('HTTPRequest')).toBe('http_request');
    expect(snakeCase('ticket-stats')).toBe('ticket_stats');
    expect(crudToolName('OrderItem', 'count')).toBe('order_item_count');
  });

  it('are valid MCP tool names for any entity name CrudApi.define accepts', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Z][A-Za-z0-9]{0,30}$/), (name) => {
        expect(crudToolName(name, 'list')).toMatch(/^[a-z0-9_]{1,64}$/);
      }),
    );
  });

  it('offer the actions of the enabled operations, writes only with writes', () => {
    expect(entityToolActions(['read', 'list', 'create', 'update', 'delete'], false)).toEqual([
      'list',
      'get',
      'count',
      'aggregate',
    ]);
    expect(entityToolActions(['read', 'create'], true)).toEqual(['get', 'create']);
  });
});

describe('entity tools', () => {
  const entity: RuntimeEntity = { ...noteEntity, mcp: 'readwrite' };

  it('list, get, count and aggregate; create, update and delete only where the backend and the CrudApi allow writes', () => {
    expect(entityTools(entity, false).map(([, t]) => t.name)).toEqual([
      'note_list',
      'note_get',
      'note_count',
      'note_aggregate',
    ]);
    expect(entityTools(entity, true).map(([, t]) => t.name)).toHaveLength(7);
    expect(entityTools({ ...entity, mcp: 'read' }, true)).toHaveLength(4);
    expect(entityTools({ ...entity, mcp: false }, true)).toEqual([]);
  });

  it('search only for a CrudApi that declares search, its schema the declared ways to search', () => {
    const searchable: RuntimeEntity = {
      ...entity,
      search: { text: { fields: ['title'], language: 'en-US' } },
    };
    const tools = Object.fromEntries(entityTools(searchable, false).map(([, t]) => [t.name, t]));
    expect(Object.keys(tools)).toEqual([
      'note_list',
      'note_get',
      'note_count',
      'note_aggregate',
      'note_search',
    ]);
    const schema = tools['note_search']?.inputSchema as { properties: Record<string, unknown> };
    expect(Object.keys(schema.properties).sort()).toEqual([
      'after',
      'filter',
      'first',
      'mode',
      'text',
    ]);
    expect(schema.properties['mode']).toMatchObject({ enum: ['text'] });
    expect(tools['note_search']?.annotations.readOnlyHint).toBe(true);
    expect(entityToolActions(['list'], false, true)).toEqual([
      'list',
      'count',
      'aggregate',
      'search',
    ]);
    expect(entityToolActions(['read'], false, true)).toEqual(['get']);
  });

  it('a CrudApi with a vector: search and get take `select`, which names the vector back (answers leave it out)', () => {
    const vectored: RuntimeEntity = {
      ...entity,
      schema: { ...entity.schema, embedding: { type: 'array', required: true } },
      search: {
        text: { fields: ['title'], language: 'en-US' },
        vector: { field: 'embedding', dimensions: 3, distance: 'cosine', index: 'flat' },
      },
    };
    const tools = Object.fromEntries(entityTools(vectored, false).map(([, t]) => [t.name, t]));
    for (const name of ['note_search', 'note_get', 'note_list']) {
      const select = (tools[name]?.inputSchema as { properties: Record<string, unknown> })
        .properties['select'] as { items: { enum: string[] }; description: string };
      expect(select.items.enum, name).toContain('embedding');
      expect(select.description, name).toContain(
        'embedding is left out of answers unless named here',
      );
    }
    expect(restCallOf('get', { id: 'n1', select: ['embedding'] })).toMatchObject({
      ok: true,
      call: { route: 'item', method: 'GET', id: 'n1', query: { $select: 'embedding' } },
    });
    expect(restCallOf('search', { text: 'x', select: ['title'] })).toMatchObject({
      ok: true,
      call: { body: { text: 'x', select: ['title'] } },
    });
  });

  it("a search call is the search route's POST body; a misspelt argument is refused by name", () => {
    expect(restCallOf('search', { text: 'login', first: 5, partitionKey: 'p1' })).toEqual({
      ok: true,
      call: {
        route: 'collection',
        method: 'POST',
        query: { pk: 'p1' },
        headers: {},
        body: { text: 'login', first: 5 },
      },
    });
    expect(restCallOf('search', { txt: 'login' })).toMatchObject({
      ok: false,
      problem: { status: 400, errors: [{ field: 'txt' }] },
    });
    expect(
      crudToolJson('search', {}, 200, '{"items":[],"continuationToken":null}', undefined),
    ).toEqual({
      json: '{"items":[],"continuationToken":null}',
      isError: false,
    });
  });

  it("create's input schema is the entity's input schema; hints say what each does", () => {
    const tools = Object.fromEntries(entityTools(entity, true).map(([, t]) => [t.name, t]));
    expect(tools['note_create']?.inputSchema).toMatchObject({
      type: 'object',
      additionalProperties: false,
    });
    expect(tools['note_list']?.annotations.readOnlyHint).toBe(true);
    expect(tools['note_delete']?.annotations).toMatchObject({
      readOnlyHint: false,
      destructiveHint: true,
    });
    expect(tools['note_update']?.inputSchema['required']).toEqual(['id', 'patch']);
  });
});

describe('tool calls as the REST calls they mirror', () => {
  it('list and count pass the query grammar through, as REST takes it', () => {
    expect(
      restCallOf('list', {
        filter: 'done eq false',
        orderby: 'title desc',
        select: ['title'],
        first: 5,
        after: 't',
      }),
    ).toEqual({
      ok: true,
      call: {
        route: 'collection',
        method: 'GET',
        query: {
          $filter: 'done eq false',
          $orderby: 'title desc',
          $select: 'title',
          $first: '5',
          $after: 't',
        },
        headers: {},
      },
    });
    const count = restCallOf('count', { filter: 'done eq true' });
    expect(count.ok && count.call.query).toEqual({
      $filter: 'done eq true',
      $count: 'true',
      $first: '1',
      $select: 'id',
    });
  });

  it('item calls name the id, the partition and If-Match (an unquoted ETag quoted)', () => {
    const update = restCallOf('update', {
      id: 'n 1',
      patch: { title: 'x' },
      ifMatch: 'abc',
      partitionKey: 'eu',
    });
    expect(update).toEqual({
      ok: true,
      call: {
        route: 'item',
        method: 'PATCH',
        id: 'n 1',
        query: { pk: 'eu' },
        headers: { 'If-Match': '"abc"' },
        body: { title: 'x' },
      },
    });
    const del = restCallOf('delete', { id: 'n1', ifMatch: '*' });
    expect(del.ok && del.call.headers).toEqual({ 'If-Match': '*' });
    // A create's arguments are the item, whatever its fields are called.
    expect(restCallOf('create', { title: 'x', partitionKey: 'a field' })).toMatchObject({
      call: { method: 'POST', body: { title: 'x', partitionKey: 'a field' }, query: {} },
    });
  });

  it('refuses arguments of the wrong shape with a 400 validation problem naming the argument', () => {
    for (const [action, args, field] of [
      ['get', {}, 'id'],
      ['get', { id: 3 }, 'id'],
      ['list', { first: 'ten' }, 'first'],
      ['list', { select: 'title' }, 'select'],
      ['update', { id: 'n1' }, 'patch'],
      ['list', [], 'arguments'],
      ['delete', { id: 'n1', partitionKey: {} }, 'partitionKey'],
      // A misspelt argument is refused by name, not dropped (a list of everything).
      ['list', { filtr: 'done eq true' }, 'filtr'],
      ['count', { first: 3 }, 'first'],
      ['update', { id: 'n1', patch: {}, title: 'x' }, 'title'],
      // What no If-Match header can carry.
      ['delete', { id: 'n1', ifMatch: '"a"\r\nX: 1' }, 'ifMatch'],
    ] as const) {
      const r = restCallOf(action, args);
      expect(r.ok).toBe(false);
      if (!r.ok) {
        expect(r.problem).toMatchObject({ status: 400, type: 'urn:atakora:problem:validation' });
        expect((r.problem['errors'] as { field: string }[])[0]?.field).toBe(field);
      }
    }
  });

  it('answers each action as structured content plus the same JSON as text; a refusal as an error result', () => {
    const result = (json: { json: string; isError: boolean }) =>
      JSON.parse(toolResultText(json.json, json.isError)) as {
        content: { type: string; text: string }[];
        structuredContent: unknown;
        isError?: boolean;
      };
    const listed = result(
      crudToolJson('list', {}, 200, '{"items":[{"id":"a"}],"continuationToken":null}', undefined),
    );
    expect(listed.structuredContent).toEqual({ items: [{ id: 'a' }], continuationToken: null });
    expect(listed.content).toHaveLength(1);
    expect(JSON.parse(listed.content[0]!.text)).toEqual(listed.structuredContent);
    expect(listed.isError).toBeUndefined();
    expect(
      result(crudToolJson('get', { id: 'a' }, 200, '{"id":"a"}', '"e1"')).structuredContent,
    ).toEqual({
      item: { id: 'a' },
      etag: '"e1"',
    });
    expect(
      result(crudToolJson('count', {}, 200, '{"items":[],"count":7}', undefined)).structuredContent,
    ).toEqual({
      count: 7,
    });
    // The aggregate tool answers what its description promises, the route's groups as they are: { items }.
    expect(
      result(
        crudToolJson('aggregate', {}, 200, '{"items":[{"status":"open","count":2}]}', undefined),
      ).structuredContent,
    ).toEqual({ items: [{ status: 'open', count: 2 }] });
    expect(
      result(crudToolJson('delete', { id: 'a"b' }, 204, undefined, undefined)).structuredContent,
    ).toEqual({
      deleted: 'a"b',
    });
    const refused = result(
      crudToolJson(
        'get',
        { id: 'a' },
        404,
        '{"type":"urn:atakora:problem:not-found","status":404}',
        undefined,
      ),
    );
    expect(refused.isError).toBe(true);
    expect(refused.structuredContent).toEqual({
      type: 'urn:atakora:problem:not-found',
      status: 404,
    });
    // A body that is no JSON object never reaches the result as it is.
    expect(
      result(crudToolJson('get', {}, 502, 'Bad Gateway', undefined)).structuredContent,
    ).toEqual({
      type: 'about:blank',
      title: 'HTTP 502',
      status: 502,
    });
  });
});

describe('JSON-RPC messages and version negotiation', () => {
  it('reads requests, notifications and responses; refuses batches and malformed messages', () => {
    expect(readMessage({ jsonrpc: '2.0', id: 1, method: 'ping' })).toEqual({
      kind: 'request',
      id: 1,
      method: 'ping',
      params: {},
    });
    expect(readMessage({ jsonrpc: '2.0', method: 'notifications/initialized' }).kind).toBe(
      'notification',
    );
    expect(readMessage({ jsonrpc: '2.0', id: 1, result: {} }).kind).toBe('response');
    for (const bad of [
      [{ jsonrpc: '2.0', id: 1, method: 'ping' }],
      { id: 1, method: 'ping' },
      { jsonrpc: '2.0', id: 1, method: 3 },
      { jsonrpc: '2.0', id: {}, method: 'x' },
      { jsonrpc: '2.0', id: 1, method: 'x', params: [] },
    ])
      expect(readMessage(bad).kind).toBe('invalid');
  });

  it('answers a served version as asked and any other with the newest', () => {
    expect(MCP_PROTOCOL_VERSIONS).toContain('2025-06-18');
    expect(negotiateVersion('2025-06-18')).toBe('2025-06-18');
    expect(negotiateVersion('2025-03-26')).toBe(MCP_PROTOCOL_VERSIONS[0]);
    expect(negotiateVersion(undefined)).toBe(MCP_PROTOCOL_VERSIONS[0]);
  });
});

describe('the Accept header of a POST (basic/transports, "Sending Messages to the Server" 2)', () => {
  it('takes one that admits both JSON and an event stream, wildcards included, and no header at all', () => {
    for (const accept of [
      'application/json, text/event-stream',
      'text/event-stream;q=0.9, application/json',
      'APPLICATION/JSON, TEXT/EVENT-STREAM',
      'application/*, text/*',
      '*/*',
      'application/json, */*;q=0.1',
      null,
      '',
    ])
      expect(acceptsMcpResponses(accept), String(accept)).toBe(true);
  });

  it('refuses one that leaves either out or weighs it 0', () => {
    for (const accept of [
      'application/json',
      'text/event-stream',
      'text/html',
      'application/json, text/event-stream;q=0',
      '*/*, application/json;q=0',
      'application/json, text/plain',
      'nonsense',
    ])
      expect(acceptsMcpResponses(accept), accept).toBe(false);
  });
});

describe('the OpenAPI document', () => {
  it('is the same with the MCP server on and off: api/mcp is no REST route', () => {
    const make = (mcp: boolean) =>
      defineBackend(
        {
          notes: CrudApi.define('NoteApi', {
            entityName: 'Note',
            schema: { id: 'string', title: 'string' },
            ...(mcp ? { mcp: 'readwrite' as const } : {}),
          }),
          reports: FunctionsApp.define('Reports', {
            runtime: 'node',
            functions: {
              stats: {
                trigger: 'http',
                route: 'reports/stats',
                handler: './src/stats.ts',
                ...(mcp ? { mcp: { description: 'Stats.' }, data: ['NoteApi'] } : {}),
              },
            },
          }),
        },
        mcp ? { mcp: { writes: true } } : {},
      ).plan();
    expect(openApiOf(make(true))).toEqual(openApiOf(make(false)));
  });
});
