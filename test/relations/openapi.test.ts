import { Validator } from '@seriousme/openapi-schema-validator';
import { describe, expect, it } from 'vitest';
import { defineBackend } from '../../src/backend/define-backend.js';
import { CrudApi } from '../../src/components/crud/index.js';
import { FileStore } from '../../src/components/files/index.js';
import { openApiFromPlan } from '../../src/plan/openapi.js';

const backend = defineBackend(
  {
    customers: CrudApi.define('CustomerApi', {
      entityName: 'Customer',
      schema: { id: 'string', name: 'string' },
      partitionKey: '/tenantId',
      relations: { orders: { hasMany: 'OrderApi', field: 'customerId', onDelete: 'cascade' } },
    }),
    orders: CrudApi.define('OrderApi', {
      entityName: 'Order',
      schema: { id: 'string', customerId: 'string', photoId: 'string' },
      partitionKey: '/tenantId',
      relations: {
        customer: { belongsTo: 'CustomerApi', field: 'customerId' },
        photo: { file: 'InspectionFiles', field: 'photoId' },
      },
    }),
    files: FileStore.define('InspectionFiles', { maxSizeMb: 5 }),
  },
  { environment: 'dev' },
);
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const doc = openApiFromPlan(backend.plan()) as Record<string, any>;

describe('relations in the OpenAPI document', () => {
  it('is a valid OpenAPI 3.1 document', async () => {
    const result = await new Validator().validate(doc);
    expect(result.errors).toBeUndefined();
    expect(result.valid).toBe(true);
  });

  it('lists $count on every list, $expand where there is something to embed, and count on the page', () => {
    const names = (op: { parameters: { $ref: string }[] }) =>
      op.parameters.map((p) => p.$ref.split('/').pop());
    expect(names(doc.paths['/api/orders'].get)).toEqual(
      expect.arrayContaining(['Count', 'Expand']),
    );
    expect(names(doc.paths['/api/customers'].get)).toContain('Count');
    // Customers have a hasMany: its children page can be expanded too.
    expect(names(doc.paths['/api/customers'].get)).toContain('Expand');
    expect(doc.components.schemas.CustomerApiItem.properties.orders.anyOf[0]).toMatchObject({
      required: ['items', 'continuationToken'],
      properties: { items: { items: { $ref: '#/components/schemas/OrderApiItem' } } },
    });
    // Writes to customers name no reference: no 422 for one.
    expect(doc.paths['/api/customers'].post.responses['422']).toBeUndefined();
    expect(names(doc.paths['/api/orders/{id}'].get)).toContain('Expand');
    expect(doc.components.parameters.Expand.name).toBe('$expand');
    expect(doc.components.parameters.Count.name).toBe('$count');
    expect(doc.components.schemas.OrderApiPage.properties.count.type).toBe('integer');
    expect(doc.components.schemas.OrderApiItem.properties.customer.anyOf[0]).toEqual({
      $ref: '#/components/schemas/CustomerApiItem',
    });
    expect(doc.components.schemas.OrderApiItem.properties.photo.anyOf[0].required).toContain(
      'downloadUrl',
    );
  });

  it('has the children route and the new problems', () => {
    const children = doc.paths['/api/customers/{id}/orders'].get;
    expect(children.responses['200'].content['application/json'].schema.$ref).toBe(
      '#/components/schemas/OrderApiPage',
    );
    expect(children.responses['404']).toBeDefined();
    expect(doc.paths['/api/orders'].post.responses['422'].$ref).toBe(
      '#/components/responses/Problem422',
    );
    expect(doc.paths['/api/orders/{id}'].patch.responses['422']).toBeDefined();
    expect(doc.paths['/api/customers/{id}'].delete.responses['409']).toBeDefined();
    const types = Object.keys(doc.components.responses.Problem422['x-problem-types']);
    expect(types).toContain('urn:atakora:problem:reference-not-found');
    expect(Object.keys(doc.components.responses.Problem409['x-problem-types'])).toContain(
      'urn:atakora:problem:has-children',
    );
  });
});
