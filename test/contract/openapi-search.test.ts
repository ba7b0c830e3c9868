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
    ]);
    expect([body.properties.vector.minItems, body.properties.vector.maxItems]).toEqual([4, 4]);
    expect(body.properties.mode.enum).toEqual(['text', 'vector', 'hybrid']);
    expect(body.additionalProperties).toBe(false);
    const page = post.responses['200'].content['application/json'].schema;
    expect(page.required).toEqual(['items', 'continuationToken']);
    expect(page.properties.items.items.allOf[0]).toEqual({
      $ref: '#/components/schemas/TicketApiItem',
    });
    expect(page.properties.items.items.allOf[1].required).toEqual(['score']);
    expect(post.responses['400']).toEqual({ $ref: '#/components/responses/Problem400' });
    expect(doc.paths['/api/notes/search']).toBeUndefined();
  });
});
