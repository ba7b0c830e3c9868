import { AtakoraError } from '../../model/errors.js';
import type { CrudOperation, FieldSpec } from '../../model/runtime-manifest.js';

/**
 * The runtime's id limit (runtime/http/schema-validator.ts ID_MAX: 255 UTF-16 units, what Cosmos DB stores), repeated
 * because definitions never import the runtime; test/components/crud-id-field.test.ts checks it against the runtime.
 */
export const ID_MAX_LENGTH = 255;

/**
 * The length of an id the server generates for a create without one: `crypto.randomUUID()` (runtime/crud/
 * handlers.ts, cli/shared/seed-file.ts), 36 characters. test/components/crud-id-field.test.ts checks it against
 * the runtime.
 */
export const GENERATED_ID_LENGTH = 36;

/**
 * Check what a schema declares on `id` against what the runtime enforces on every write: `id` is a string, its
 * `maxLength` (1–255) is checked beside Cosmos DB's own id rules, and a CrudApi that generates ids (`create`
 * enabled: a POST without `id`) must admit the 36-character ids it generates. An `enum` or a `default` on `id` is
 * refused rather than ignored: generated ids could never be in the list, and one default id would make every
 * second create a 409. Throws `CRUD_ID_FIELD_INVALID` or `CRUD_ID_MAX_LENGTH_BELOW_GENERATED`.
 *
 * @example
 * ```ts
 * checkIdField('NoteApi', { type: 'string', required: false, maxLength: 36 }, ['create', 'read']); // ok
 * checkIdField('NoteApi', { type: 'number', required: false }, ['read']); // throws CRUD_ID_FIELD_INVALID
 * ```
 */
export function checkIdField(
  componentId: string,
  spec: FieldSpec | undefined,
  operations: readonly CrudOperation[],
): void {
  if (!spec) return;
  const path = (...p: string[]): string[] => [
    'components',
    componentId,
    'config',
    'schema',
    'id',
    ...p,
  ];
  const fail = (problem: string, resolution: string, at: string[]): never => {
    throw new AtakoraError(
      'CRUD_ID_FIELD_INVALID',
      `CrudApi ${componentId}: field "id" ${problem}.`,
      {
        path: at,
        resolution,
      },
    );
  };
  if (spec.type !== 'string')
    fail(
      `has type ${spec.type}, but an item id is always a string (Cosmos DB stores ids as strings)`,
      "Declare id as 'string' (or { type: 'string', maxLength: n }), or leave id out of the schema.",
      path('type'),
    );
  if (spec.enum !== undefined)
    fail(
      'has an enum, which ids cannot follow (a create without id gets a generated one)',
      'Remove enum from id; keep the allowed values in another string field with an enum.',
      path('enum'),
    );
  if (spec.default !== undefined)
    fail(
      'has a default, which ids cannot have (a create without id gets a generated one, each different)',
      'Remove default from id.',
      path('default'),
    );
  const max = spec.maxLength;
  if (max === undefined) return;
  if (!Number.isSafeInteger(max) || max < 1 || max > ID_MAX_LENGTH)
    fail(
      `has maxLength ${String(max)}, but an id is 1 to ${String(ID_MAX_LENGTH)} characters`,
      `Give id a maxLength from 1 to ${String(ID_MAX_LENGTH)} (Cosmos DB's id limit), or none.`,
      path('maxLength'),
    );
  if (max < GENERATED_ID_LENGTH && operations.includes('create'))
    throw new AtakoraError(
      'CRUD_ID_MAX_LENGTH_BELOW_GENERATED',
      `CrudApi ${componentId}: field "id" has maxLength ${String(max)}, but a create without an id gets a ` +
        `generated one of ${String(GENERATED_ID_LENGTH)} characters, which that maxLength would refuse.`,
      { path: path('maxLength') },
    );
}
