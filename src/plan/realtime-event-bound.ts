import { MAX_EVENT_BYTES } from '../contract/realtime.js';
import {
  DEFAULT_OWNER_FIELD,
  type FieldSpec,
  type RuntimeEntity,
} from '../model/runtime-manifest.js';

/**
 * Web PubSub bills outbound traffic in 2 KB steps: "the size of outbound traffic (bytes) in 2-KB increments, with
 * each increment counting as one message" (Learn, "Billing model for Azure Web PubSub service", Message count).
 */
export const BILLED_MESSAGE_BYTES = 2048;

// The runtime's limits the bound rests on, repeated here because the plan never imports the runtime;
// test/plan/realtime-event-bound.test.ts checks each against the runtime's own constant.
/** runtime/http/schema-validator.ts ID_MAX: an id is at most 255 UTF-16 units (Cosmos DB's id limit). */
export const EVENT_ID_MAX = 255;
/** runtime/values/partition.ts MAX_KEY_LENGTH: a partition key value outside the schema, in UTF-16 units. */
export const EVENT_KEY_MAX = 2048;
/** contract/tenants.ts TENANT_ID: a registered tenant id, at most 128 ASCII characters, is the tenant field. */
const TENANT_ID_BYTES = 128 + 2;
/**
 * The owner field holds the caller's Entra ID object id (`oid`, which App Service authentication passes on after
 * validating the token): a GUID (Learn, "Access token claims reference", oid), 36 characters.
 */
const OWNER_ID_BYTES = 36 + 2;
/** A finite double as JSON.stringify writes it: at most 25 characters (`-0.0000012345678901234567`). */
const NUMBER_BYTES = 25;
/** A safe integer: at most 17 characters (`-9007199254740991`). */
const INTEGER_BYTES = 17;
/** `ttl`: -1 or a positive safe integer (runtime/http/schema-validator.ts). */
const TTL_BYTES = 16;
/** An RFC 3339 date-time the runtime admits (runtime/values/field-types.ts): `YYYY-MM-DDTHH:MM:SS.fffffffff+HH:MM`. */
const TIMESTAMP_BYTES = 35 + 2;
/** `at`: Date.toISOString() of any valid date (`+275760-09-13T00:00:00.000Z`). */
const AT_BYTES = 27 + 2;
/** A Web PubSub reliable subprotocol's sequenceId: an unsigned 64-bit integer, 20 digits. */
const SEQUENCE_ID_DIGITS = 20;
/** A group's epoch (runtime/realtime/audience.ts epochOf): a safe integer, 16 digits at most. */
const EPOCH_DIGITS = 16;

const utf8 = new TextEncoder();
const bytes = (s: string): number => utf8.encode(s).length;
/** A JS string of `units` code points (or UTF-16 units) as JSON text: each at most 6 bytes (`\u0001`), plus quotes. */
const stringBytes = (units: number): number => 6 * units + 2;

/**
 * The largest event one realtime CrudApi's schema admits: the UTF-8 bytes of the JSON the runtime sends for one
 * event (`RealtimeEvent`), and of the message a receiver gets with it (the JSON subprotocol's envelope). `null`
 * with the field that leaves it unbounded.
 */
export interface RealtimeEventBound {
  readonly entity: string;
  /** Bytes of `JSON.stringify(event)`, at most {@link MAX_EVENT_BYTES}; null when unbounded. */
  readonly eventBytes: number | null;
  /** Bytes of the message as delivered (envelope included), unbounded events at MAX_EVENT_BYTES. */
  readonly messageBytes: number;
  /** Billed messages of one delivery: ceil(messageBytes / 2048). */
  readonly messages: number;
  /** Why it is unbounded (`NoteApi.title has no maxLength`). */
  readonly unboundedBy?: string;
}

/**
 * An upper bound on the bytes of each realtime event a CrudApi sends, proven from what the runtime admits on every
 * write (runtime/http/schema-validator.ts): the item is the stored item as the write answered it — system fields
 * out — so each of its fields is a schema field (checked by type, `maxLength` in code points, `enum`), the `id`
 * (255 units, or the schema's `maxLength` on `id`; a delete's id, without an item, 255 units), `ttl`, the
 * partition key, the owner (an Entra object id) and the tenant (a registered id). A string without `maxLength`, an
 * `object`, an `array`, or `unknownFields: 'keep'` leave it unbounded: the event may then take the runtime's 1 MB
 * (489 messages).
 *
 * @example
 * ```ts
 * realtimeEventBound(entity); // { entity: 'NoteApi', eventBytes: 3540, messageBytes: 3719, messages: 2 }
 * ```
 */
export function realtimeEventBound(entity: RuntimeEntity): RealtimeEventBound {
  const item = itemBound(entity);
  const envelope = envelopeBytes(entity.componentId);
  if (typeof item === 'string') {
    const messageBytes = MAX_EVENT_BYTES + envelope;
    return {
      entity: entity.componentId,
      eventBytes: null,
      messageBytes,
      messages: Math.ceil(messageBytes / BILLED_MESSAGE_BYTES),
      unboundedBy: item,
    };
  }
  // `replace` is the longest operation that carries an item, its id within the schema's bound on every write.
  const frame = bytes(
    JSON.stringify({ entity: entity.componentId, operation: 'replace', id: '', item: {}, at: '' }),
  );
  // A `delete` carries no item, but its id may be one stored before the schema bounded `id` (GET and DELETE still
  // reach such an item): up to 255 units.
  const deleteFrame = bytes(
    JSON.stringify({ entity: entity.componentId, operation: 'delete', id: '', at: '' }),
  );
  const eventBytes = Math.min(
    MAX_EVENT_BYTES,
    Math.max(
      frame - 6 + stringBytes(idUnits(entity)) + item + AT_BYTES,
      deleteFrame - 4 + stringBytes(EVENT_ID_MAX) + AT_BYTES,
    ),
  );
  const messageBytes = eventBytes + envelope;
  return {
    entity: entity.componentId,
    eventBytes,
    messageBytes,
    messages: Math.ceil(messageBytes / BILLED_MESSAGE_BYTES),
  };
}

/**
 * What a receiver on `json.webpubsub.azure.v1` (or its reliable variant) gets around the event: `{"type":"message",
 * "from":"group","group":…,"dataType":"json","data":…,"sequenceId":…}` (Learn, "Azure Web PubSub supported JSON
 * WebSocket subprotocol"). Counted as billed traffic: the bound errs high, never low.
 */
function envelopeBytes(componentId: string): number {
  const frame = bytes(
    JSON.stringify({
      type: 'message',
      from: 'group',
      group: '',
      dataType: 'json',
      data: 0,
      sequenceId: 0,
    }),
  );
  // runtime/realtime/audience.ts: `<component id in lower case>.<kind>.<32 hex>.<epoch>`.
  const group = bytes(JSON.stringify(componentId.toLowerCase())) + 3 + 32 + 1 + EPOCH_DIGITS;
  return frame - 2 - 2 + group + SEQUENCE_ID_DIGITS;
}

/**
 * The id's length at most, in code points (each at most 6 bytes of JSON): the schema's `maxLength` on `id`, which the
 * runtime checks on every write (runtime/http/schema-validator.ts idError), else — and never above — the 255 units
 * every id is held to. Counted for both copies in an event, its `id` and its item's.
 */
function idUnits(entity: RuntimeEntity): number {
  const declared = Object.hasOwn(entity.schema, 'id') ? entity.schema['id']?.maxLength : undefined;
  return declared === undefined ? EVENT_ID_MAX : Math.min(EVENT_ID_MAX, declared);
}

/** Bytes of the item's JSON object at most, or why there is no bound. */
function itemBound(entity: RuntimeEntity): number | string {
  const name = entity.componentId;
  if (entity.unknownFields === 'keep')
    return `${name} keeps unknown fields (unknownFields: 'keep'): an event may be 1 MB`;
  const pk = entity.partitionKey.slice(1);
  const owner = entity.ownerField ?? DEFAULT_OWNER_FIELD;
  const fields = new Set(['id', ...Object.keys(entity.schema), pk, owner]);
  if (entity.ttl !== undefined) fields.add('ttl');
  if (pk === 'tenantId' || entity.tenancy !== 'shared') fields.add('tenantId');
  let total = 2 + (fields.size - 1);
  for (const field of fields) {
    const value = valueBound(entity, field, pk, owner);
    if (typeof value === 'string') return `${name}.${field} ${value}: an event may be 1 MB`;
    total += bytes(JSON.stringify(field)) + 1 + value;
  }
  return total;
}

/** One field's value as JSON at most, in the order runtime/http/schema-validator.ts decides what a field is. */
function valueBound(
  entity: RuntimeEntity,
  field: string,
  pk: string,
  owner: string,
): number | string {
  if (field === 'id') return stringBytes(idUnits(entity));
  // An isolated entity's tenantId is the caller's tenant whatever the schema says (runtime/http/scope.ts fills it,
  // refuses any other): with a registry, where plans are priced, a registered id.
  if (field === 'tenantId' && (pk === 'tenantId' || entity.tenancy !== 'shared'))
    return TENANT_ID_BYTES;
  const spec = Object.hasOwn(entity.schema, field) ? entity.schema[field] : undefined;
  if (spec) return specBound(spec);
  if (field === 'ttl' && entity.ttl !== undefined) return TTL_BYTES;
  // A partition key outside the schema: a string of at most 2,048 units, a number or a boolean.
  if (field === pk) return Math.max(stringBytes(EVENT_KEY_MAX), NUMBER_BYTES);
  if (field === owner) return OWNER_ID_BYTES;
  return TENANT_ID_BYTES;
}

/** A schema field's value as JSON at most (its default included), or why it has no bound. */
function specBound(spec: FieldSpec): number | string {
  const typed = typeBound(spec);
  if (typeof typed === 'string' || spec.default === undefined) return typed;
  return Math.max(typed, bytes(JSON.stringify(spec.default)));
}

function typeBound(spec: FieldSpec): number | string {
  switch (spec.type) {
    case 'string':
      if (spec.enum) return Math.max(...spec.enum.map((v) => bytes(JSON.stringify(v))));
      return spec.maxLength === undefined ? 'has no maxLength' : stringBytes(spec.maxLength);
    case 'number':
      return NUMBER_BYTES;
    case 'integer':
      return INTEGER_BYTES;
    case 'boolean':
      return 5;
    case 'timestamp':
      return Math.max(TIMESTAMP_BYTES, NUMBER_BYTES);
    case 'date':
      return 10 + 2;
    case 'object':
      return 'is an object (no size bound)';
    case 'array':
      return 'is an array (no size bound)';
  }
}

/**
 * The largest of the realtime CrudApis' event bounds (an unbounded one first), or undefined without any: what one
 * write can cost each receiving connection.
 *
 * @example
 * ```ts
 * largestRealtimeEvent(entities)?.messages; // 2
 * ```
 */
export function largestRealtimeEvent(
  entities: readonly RuntimeEntity[],
): RealtimeEventBound | undefined {
  let largest: RealtimeEventBound | undefined;
  for (const e of entities.filter((x) => x.realtime)) {
    const b = realtimeEventBound(e);
    if (
      largest === undefined ||
      b.messageBytes > largest.messageBytes ||
      (b.messageBytes === largest.messageBytes && b.entity < largest.entity)
    )
      largest = b;
  }
  return largest;
}
