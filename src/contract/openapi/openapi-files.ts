import type { RuntimeFileStore } from '../../model/runtime-manifest.js';
import { fileRoutes } from '../files.js';
import { API_PREFIX } from '../routes.js';
import { problem } from './openapi-refs.js';

type Json = { readonly [k: string]: unknown };

const errors = (...statuses: number[]): Record<string, Json> =>
  Object.fromEntries([401, 403, 503, ...statuses].sort().map((s) => [String(s), problem(s)]));
const json = (schema: Json, description: string): Json => ({
  description,
  content: { 'application/json': { schema } },
});
const ID: Json = {
  name: 'id',
  in: 'path',
  required: true,
  schema: { type: 'string', format: 'uuid' },
};

/** A file's metadata as the runtime answers it (files.ts): the FileStore's schema `<Entity>File`. */
export const FILE_METADATA = {
  type: 'object',
  required: ['id', 'name', 'contentType', 'size', 'createdOn'],
  properties: {
    id: { type: 'string' },
    name: { type: 'string' },
    contentType: { type: 'string' },
    size: { type: 'integer', minimum: 0 },
    createdOn: { type: 'string', format: 'date-time' },
    ownerId: { type: 'string' },
  },
} as const;

/** The short-lived download URL a read of a file's metadata adds. */
export const DOWNLOAD_URL = {
  type: 'object',
  required: ['downloadUrl', 'expiresOn'],
  properties: {
    downloadUrl: { type: 'string', format: 'uri' },
    expiresOn: { type: 'string', format: 'date-time' },
  },
} as const;

/**
 * A FileStore's paths and schemas in the OpenAPI document (the contract in files.ts): declare an upload, complete
 * it, list, read with a download URL, delete.
 *
 * @example
 * ```ts
 * const { paths, schemas } = filePathItems(store);
 * ```
 */
export function filePathItems(store: RuntimeFileStore): {
  paths: Record<string, Json>;
  schemas: Record<string, Json>;
} {
  const r = fileRoutes(store.route);
  const name = store.entityName;
  const meta = `${name}File`;
  const ref = (s: string): Json => ({ $ref: `#/components/schemas/${s}` });
  const tags = [store.componentId];
  const schemas: Record<string, Json> = {
    [meta]: FILE_METADATA,
    [`${meta}WithUrl`]: { allOf: [ref(meta), DOWNLOAD_URL] },
    [`${meta}UploadRequest`]: {
      type: 'object',
      required: ['name', 'contentType', 'size'],
      additionalProperties: false,
      properties: {
        name: { type: 'string', minLength: 1, maxLength: 255 },
        contentType: {
          type: 'string',
          ...(store.contentTypes
            ? { description: `One of: ${store.contentTypes.join(', ')}` }
            : {}),
        },
        size: { type: 'integer', minimum: 0, maximum: store.maxSizeBytes },
      },
    },
    [`${meta}Upload`]: {
      type: 'object',
      required: ['id', 'uploadUrl', 'expiresOn'],
      properties: {
        id: { type: 'string' },
        uploadUrl: { type: 'string', format: 'uri' },
        expiresOn: { type: 'string', format: 'date-time' },
      },
    },
  };
  const paths: Record<string, Json> = {
    [`/${API_PREFIX}/${r.collection}`]: {
      post: {
        operationId: `${store.componentId}_upload`,
        summary: `Declare a ${name} upload: a write-only URL for one blob, valid 15 minutes.`,
        tags,
        requestBody: {
          required: true,
          content: { 'application/json': { schema: ref(`${meta}UploadRequest`) } },
        },
        responses: {
          '201': {
            ...json(
              ref(`${meta}Upload`),
              'Upload the bytes with PUT to uploadUrl (x-ms-blob-type: BlockBlob), then complete.',
            ),
            headers: { Location: { $ref: '#/components/headers/Location' } },
          },
          ...errors(400, 413, 415, 429),
        },
      },
      get: {
        operationId: `${store.componentId}_list`,
        summary: `List ${name} files, a page at a time.`,
        tags,
        parameters: [
          { $ref: '#/components/parameters/Limit' },
          { $ref: '#/components/parameters/FileContinuationToken' },
        ],
        responses: {
          '200': json(
            {
              type: 'object',
              required: ['items', 'continuationToken'],
              properties: {
                items: { type: 'array', items: ref(meta) },
                continuationToken: { type: ['string', 'null'] },
              },
            },
            'A page of files.',
          ),
          ...errors(400),
        },
      },
    },
    [`/${API_PREFIX}/${r.item}`]: {
      parameters: [ID],
      get: {
        operationId: `${store.componentId}_get`,
        summary: `A ${name} file with a read-only URL valid 5 minutes.`,
        tags,
        responses: { '200': json(ref(`${meta}WithUrl`), 'The file.'), ...errors(400, 404) },
      },
      delete: {
        operationId: `${store.componentId}_delete`,
        summary: `Delete a ${name} file.`,
        tags,
        responses: { '204': { description: 'Deleted.' }, ...errors(400, 404, 409) },
      },
    },
    [`/${API_PREFIX}/${r.complete}`]: {
      parameters: [ID],
      post: {
        operationId: `${store.componentId}_complete`,
        summary: `Check the uploaded ${name} against the limits and keep it (or delete it).`,
        tags,
        responses: {
          '200': json(ref(meta), 'The stored file.'),
          ...errors(400, 404, 409, 413, 415),
        },
      },
    },
  };
  return { paths, schemas };
}
