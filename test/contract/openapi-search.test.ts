import { Validator } from '@seriousme/openapi-schema-validator';
import { describe, expect, it } from 'vitest';
import { defineBackend } from '../../src/backend/define-backend.js';
import { CrudApi } from '../../src/components/crud/construct.js';
import { openApiFromPlan } from '../../src/plan/openapi.js';

const backend = defineBackend(
  {
    tickets: CrudApi.define('TicketApi', {
      entityName: 'Ticket',
      schema: { id: 'string', title: 'string', body: 'string', embedding: 'array' },
      search: {
        text: ['title', 'body'],
        vector: { path: 'embedding', dimensions: 4, index: 'flat' },
      },
    }),
    notes: CrudApi.define('NoteApi', {
      entityName: 'Note',
      schema: { id: 'string', title: 'string' },
    }),
  },
  { environment: 'dev' },
);
const doc = openApiFromPlan(backend.plan()) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('OpenAPI: the search route', () => {
  it('declares POST api/<route>/search with its body and its 200 shape, only where search is declared', async () => {
    const result = await new Validator().validate(doc);
    expect(result.errors).toBeUndefined();
    const post = doc.paths['/api/tickets/search']?.post;
    expect(post.operationId).toBe('TicketApi_search');
    const body = post.requestBody.content['application/json'].schema;
    expect(Object.keys(body.properties)).toEqual([
      'text',
      'vector',
      'mode',
      'filter',
      'first',
      'after',
      'select',
    ]);
    // The vector is in no answer unless `select` names it: the item schema requires it nowhere.
    expect(body.properties.select.description).toContain('embedding');
    expect([body.properties.vector.minItems, body.properties.vector.maxItems]).toEqual([4, 4]);
    expect(body.properties.mode.enum).toEqual(['text', 'vector', 'hybrid']);
    expect(body.additionalProperties).toBe(false);
    const page = post.responses['200'].content['application/json'].schema;
    expect(page.required).toEqual(['items', 'continuationToken']);
    // Whole items, or what `select` keeps of them.
    expect(page.properties.items.items.allOf[0]).toEqual({
      anyOf: [
        { $ref: '#/components/schemas/TicketApiItem' },
        { $ref: '#/components/schemas/TicketApiSelection' },
      ],
    });
    const item = doc.components.schemas['TicketApiItem'];
    expect(item.required).not.toContain('embedding');
    expect(item.properties.embedding.description).toMatch(
      /left out of every answer .* unless `\$select`/,
    );
    // $select on GET one: how an item's vector is read.
    expect(doc.paths['/api/tickets/{id}'].get.parameters).toContainEqual({
      $ref: '#/components/parameters/Select',
    });
    expect(page.properties.items.items.allOf[1].required).toEqual(['score']);
    expect(post.responses['400']).toEqual({ $ref: '#/components/responses/Problem400' });
    expect(doc.paths['/api/notes/search']).toBeUndefined();
  });
});
