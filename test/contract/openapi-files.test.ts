import { Validator } from '@seriousme/openapi-schema-validator';
import { describe, expect, it } from 'vitest';
import { defineBackend } from '../../src/backend/define-backend.js';
import { CrudApi } from '../../src/components/crud/index.js';
import { FileStore } from '../../src/components/files/index.js';
import { openApiFromPlan } from '../../src/plan/openapi.js';

describe('OpenAPI: FileStore routes', () => {
  it("lists a FileStore's five operations with their schemas, and the document is valid OpenAPI 3.1", async () => {
    const plan = defineBackend({
      notes: CrudApi.define('NoteApi', { entityName: 'Note', schema: { id: 'string' } }),
      attachments: FileStore.define('Attachments', { maxSizeMb: 2, contentTypes: ['image/png'] }),
    }).plan();
    const doc = openApiFromPlan(plan) as unknown as {
      paths: Record<
        string,
        Record<string, { operationId?: string; responses?: Record<string, { $ref?: string }> }>
      >;
      components: {
        schemas: Record<string, { properties?: Record<string, { maximum?: number }> }>;
      };
    };
    const ops = Object.entries(doc.paths)
      .filter(([p]) => p.startsWith('/api/attachments'))
      .flatMap(([, item]) =>
        Object.values(item)
          .map((o) => o.operationId)
          .filter(Boolean),
      );
    expect(ops.sort()).toEqual([
      'Attachments_complete',
      'Attachments_delete',
      'Attachments_get',
      'Attachments_list',
      'Attachments_upload',
    ]);
    // A readable file's denied delete or completion is 403 access-denied, an unreadable one 404 (docs/files.md).
    for (const [path, method] of [
      ['/api/attachments/{id}', 'delete'],
      ['/api/attachments/{id}/complete', 'post'],
    ] as const) {
      const responses = doc.paths[path]![method]!.responses!;
      expect(responses['403']?.$ref, `${method} ${path}`).toBe('#/components/responses/Problem403');
      expect(responses['404']?.$ref, `${method} ${path}`).toBe('#/components/responses/Problem404');
    }
    expect(
      doc.components.schemas['AttachmentFileUploadRequest']!.properties!['size']!.maximum,
    ).toBe(2 * 1024 * 1024);
    const result = await new Validator().validate(doc as never);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });
});
