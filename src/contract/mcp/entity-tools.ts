import type { RuntimeEntity } from '../../model/runtime-manifest.js';
import { entityJsonSchemas, type JsonSchema } from '../entity-schema.js';
import { MAX_PAGE_SIZE } from '../paging.js';
import { SEARCH_LIMITS, SEARCH_MODES } from '../search.js';
import {
  CRUD_TOOL_ACTIONS,
  crudToolName,
  type CrudToolAction,
  entityToolActions,
} from '../../model/mcp-tool-names.js';

/**
 * One MCP tool as `tools/list` describes it (MCP 2025-06-18, server/tools "Tool"): name, title, description, the
 * JSON Schema of its arguments and the hints a client shows its user (`readOnlyHint`, `destructiveHint`,
 * `idempotentHint`, `openWorldHint`). Hints are hints: the runtime decides every call by the caller's rules.
 *
 * @example
 * ```ts
 * const tool: McpTool = { name: 'note_get', description: '…', inputSchema: { type: 'object' }, annotations: {} };
 * ```
 */
export interface McpTool {
  readonly name: string;
  readonly title?: string;
  readonly description: string;
  readonly inputSchema: JsonSchema;
  readonly annotations: {
    readonly title?: string;
    readonly readOnlyHint?: boolean;
    readonly destructiveHint?: boolean;
    readonly idempotentHint?: boolean;
    readonly openWorldHint?: boolean;
  };
}

/** What the entity tools read of a CrudApi (its runtime entity). */
export type ToolEntity = Pick<
  RuntimeEntity,
  | 'componentId'
  | 'entityName'
  | 'schema'
  | 'operations'
  | 'unknownFields'
  | 'partitionKey'
  | 'tenancy'
  | 'ownerField'
  | 'ttl'
  | 'sortable'
  | 'relations'
  | 'mcp'
  | 'search'
>;

/**
 * Whether a call must name the item's partition (`?pk=`): an entity keyed by another field than its id or tenant.
 *
 * @example
 * ```ts
 * needsPartition({ partitionKey: '/region' }); // true
 * ```
 */
export function needsPartition(entity: Pick<RuntimeEntity, 'partitionKey'>): boolean {
  return entity.partitionKey !== '/id' && entity.partitionKey !== '/tenantId';
}

const PARTITION: JsonSchema = {
  description:
    "The item's partition key value, for an entity partitioned by a field other than its id.",
  oneOf: [{ type: 'string' }, { type: 'number' }, { type: 'boolean' }],
};
const ID: JsonSchema = { type: 'string', minLength: 1, description: "The item's id." };
const IF_MATCH: JsonSchema = {
  type: 'string',
  description:
    'Only if the item is still this version: its ETag (the `_etag` a read returned, quoted or not) or `*`. ' +
    'A stale one is refused with 412.',
};

/** The fields an item read shows (for `select`, `orderby` and `filter` descriptions). */
function fieldNames(entity: ToolEntity): string[] {
  return [...new Set(['id', ...Object.keys(entity.schema)])].sort();
}

/**
 * `select`: the fields an answer's items hold (and id), as `$select`; a CrudApi's vector field only so (every answer
 * leaves it out unless named: runtime/values/vector-answer.ts).
 */
function selectSchema(entity: ToolEntity, what: string): JsonSchema {
  const vector = entity.search?.vector?.field;
  return {
    type: 'array',
    items: { type: 'string', enum: fieldNames(entity) },
    description:
      `$select: only these fields (and id) of ${what}.` +
      (vector === undefined
        ? ''
        : ` The vector field ${vector} is left out of answers unless named here.`),
  };
}

function listSchema(entity: ToolEntity, counting: boolean): JsonSchema {
  const fields = fieldNames(entity);
  const sorts = (entity.sortable ?? []).map((s) =>
    s.map((k) => `${k.field}${k.order === 'descending' ? ' desc' : ''}`).join(', '),
  );
  const relations = (entity.relations ?? []).map((r) => r.name);
  const properties: Record<string, JsonSchema> = {
    filter: {
      type: 'string',
      description:
        `$filter as in the REST API: comparisons (eq ne gt ge lt le), and/or/not, parentheses, in, ` +
        `startswith/endswith/contains over the fields ${fields.join(', ')}; e.g. "status eq 'open'".`,
    },
  };
  if (!counting) {
    if (sorts.length)
      properties['orderby'] = {
        type: 'string',
        description: `$orderby: one of the declared sorts, each field optionally "asc"/"desc": ${sorts.join(' | ')}.`,
      };
    properties['select'] = selectSchema(entity, 'each item');
    properties['first'] = {
      type: 'integer',
      minimum: 1,
      maximum: MAX_PAGE_SIZE,
      description: '$first: items per page (default 50).',
    };
    properties['after'] = {
      type: 'string',
      description: "$after: the previous page's continuationToken, for the next page.",
    };
    if (relations.length)
      properties['expand'] = {
        type: 'array',
        items: { type: 'string', enum: relations },
        description: '$expand: embed these related items in each item.',
      };
  }
  if (needsPartition(entity)) properties['partitionKey'] = PARTITION;
  return { type: 'object', properties, additionalProperties: false };
}

/** `<entity>_aggregate`'s input: the group fields, the aggregates (each with the name it answers under), a filter. */
function aggregateSchema(entity: ToolEntity): JsonSchema {
  const fields = fieldNames(entity);
  const base = listSchema(entity, true);
  return {
    ...base,
    properties: {
      groupby: {
        type: 'array',
        items: { type: 'string', enum: fields },
        minItems: 1,
        description: 'The fields whose values make a group (scalar fields).',
      },
      aggregates: {
        type: 'array',
        items: {
          type: 'object',
          properties: {
            as: { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_]*$', description: 'Its name.' },
            with: { type: 'string', enum: ['count', 'sum', 'average', 'min', 'max'] },
            field: {
              type: 'string',
              enum: fields,
              description: 'The field aggregated (all but count; sum and average take numbers).',
            },
          },
          required: ['as', 'with'],
          additionalProperties: false,
        },
        description:
          'What each group answers besides its fields, e.g. [{ "as": "count", "with": "count" }].',
      },
      ...(base.properties as Record<string, JsonSchema>),
    },
    required: ['groupby'],
  };
}

/**
 * `<entity>_search`'s input: the search route's body (contract/search.ts) — the words, the query vector when the
 * CrudApi declares one, the mode, a list's filter and paging.
 */
function searchSchema(entity: ToolEntity): JsonSchema {
  const search = entity.search;
  const base = listSchema(entity, true);
  const modes = search?.vector ? (search.text ? SEARCH_MODES : ['vector']) : ['text'];
  const properties: Record<string, JsonSchema> = {};
  if (search?.text)
    properties['text'] = {
      type: 'string',
      maxLength: SEARCH_LIMITS.maxText,
      description:
        `The words to search for (at most ${String(SEARCH_LIMITS.maxTerms)}) in ` +
        `${search.text.fields.join(', ')}${search.vector?.embed ? ', or what the items are like' : ''}.`,
    };
  if (search?.vector)
    properties['vector'] = {
      type: 'array',
      items: { type: 'number' },
      minItems: search.vector.dimensions,
      maxItems: search.vector.dimensions,
      description: `A query vector of ${String(search.vector.dimensions)} numbers.`,
    };
  properties['mode'] = {
    type: 'string',
    enum: [...modes],
    description: 'How the items are ranked (by default what text and vector give).',
  };
  return {
    ...base,
    properties: {
      ...properties,
      ...(base.properties as Record<string, JsonSchema>),
      first: {
        type: 'integer',
        minimum: 1,
        maximum: SEARCH_LIMITS.maxFirst,
        description: `Items per page (default ${String(SEARCH_LIMITS.defaultFirst)}).`,
      },
      after: {
        type: 'string',
        description: "The previous page's continuationToken, for the next page.",
      },
      // Where the CrudApi has a vector: the way to name it back (answers leave it out).
      ...(search?.vector ? { select: selectSchema(entity, 'each item (its score too)') } : {}),
    },
  };
}

function itemSchema(entity: ToolEntity, extra: Record<string, JsonSchema>): JsonSchema {
  return {
    type: 'object',
    properties: {
      id: ID,
      ...extra,
      ...(needsPartition(entity) ? { partitionKey: PARTITION } : {}),
    },
    required: ['id', ...Object.keys(extra).filter((k) => k === 'patch')],
    additionalProperties: false,
  };
}

/** The hints of update and delete: they change or remove what is there, and a repeat changes nothing more. */
const CHANGES = {
  readOnlyHint: false,
  destructiveHint: true,
  idempotentHint: true,
  openWorldHint: false,
} as const;

/** Each action's description, input schema and hints. */
function toolOf(entity: ToolEntity, action: CrudToolAction): Omit<McpTool, 'name'> {
  const e = entity.entityName;
  const schemas = entityJsonSchemas(entity);
  const expand = (entity.relations ?? []).map((r) => r.name);
  const read = { readOnlyHint: true, openWorldHint: false } as const;
  switch (action) {
    case 'list':
      return {
        title: `List ${e} items`,
        description: `Lists the ${e} items you may read, a page at a time ({ items, continuationToken }).`,
        inputSchema: listSchema(entity, false),
        annotations: read,
      };
    case 'count':
      return {
        title: `Count ${e} items`,
        description: `Counts the ${e} items you may read that match the filter ({ count }).`,
        inputSchema: listSchema(entity, true),
        annotations: read,
      };
    case 'aggregate':
      return {
        title: `Group ${e} items`,
        description:
          `Groups the ${e} items you may read that match the filter by the given fields, with counts, sums, ` +
          `averages, minimums or maximums per group ({ items: [{ <fields>, <aliases> }] }).`,
        inputSchema: aggregateSchema(entity),
        annotations: read,
      };
    case 'search':
      return {
        title: `Search ${e} items`,
        description:
          `Searches the ${e} items you may read, best match first, each with its score, a page at a time ` +
          `({ items, continuationToken }).`,
        inputSchema: searchSchema(entity),
        annotations: read,
      };
    case 'get':
      return {
        title: `Get a ${e}`,
        description: `Reads one ${e} item by its id.`,
        inputSchema: itemSchema(entity, {
          // Where the CrudApi has a vector: the way to read it (answers leave it out).
          ...(entity.search?.vector ? { select: selectSchema(entity, 'the item') } : {}),
          ...(expand.length
            ? { expand: { type: 'array', items: { type: 'string', enum: expand } } }
            : {}),
        }),
        annotations: read,
      };
    case 'create':
      return {
        title: `Create a ${e}`,
        description: `Creates a ${e} item (you become its owner; the id is generated when left out).`,
        inputSchema: schemas.input,
        annotations: {
          readOnlyHint: false,
          destructiveHint: false,
          idempotentHint: false,
          openWorldHint: false,
        },
      };
    case 'update':
      return {
        title: `Update a ${e}`,
        description: `Changes the given fields of one ${e} item (a merge: null removes an optional field).`,
        inputSchema: itemSchema(entity, { patch: schemas.patch, ifMatch: IF_MATCH }),
        annotations: CHANGES,
      };
    case 'delete':
      return {
        title: `Delete a ${e}`,
        description: `Deletes one ${e} item.`,
        inputSchema: itemSchema(entity, { ifMatch: IF_MATCH }),
        annotations: CHANGES,
      };
  }
}

/**
 * The tools one CrudApi offers on the backend's MCP server, by action: `<entity>_list`, `_get`, `_count`,
 * `_aggregate` and (for a CrudApi that declares `search`) `_search` for its read operations, and `_create`, `_update`, `_delete` for its write operations when `writes` (the backend's
 * `mcp.writes` and the CrudApi's `mcp: 'readwrite'`). None for a CrudApi with `mcp: false`. Who sees which is the
 * runtime's business (each caller's access rules).
 *
 * @example
 * ```ts
 * entityTools(noteEntity, false).map(([, t]) => t.name); // ['note_list', 'note_get', 'note_count', 'note_aggregate']
 * ```
 */
export function entityTools(
  entity: ToolEntity,
  backendWrites: boolean,
): (readonly [CrudToolAction, McpTool])[] {
  if (entity.mcp === false) return [];
  const writes = backendWrites && entity.mcp === 'readwrite';
  return entityToolActions(entity.operations, writes, entity.search !== undefined).map((action) => {
    const tool = toolOf(entity, action);
    return [
      action,
      {
        name: crudToolName(entity.entityName, action),
        ...tool,
        annotations: { title: tool.title, ...tool.annotations },
      },
    ] as const;
  });
}

export { CRUD_TOOL_ACTIONS };
