import { CONTINUATION_HEADER } from '../paging.js';
import { API_PREFIX, TENANT_ROUTE } from '../routes.js';
import { TENANT_ADMIN_ROLE } from '../../model/runtime-manifest.js';
import {
  MAX_TENANT_NAME_LENGTH,
  STRIPE_CUSTOMER_ID,
  TENANT_STATUSES,
  TENANTS_ROUTE,
} from '../tenants.js';
import { PLAN_WARNING_SCHEMA } from '../tenant-plan-warning.js';
import { json, problem, ref, TIME } from './openapi-refs.js';

type Json = { readonly [k: string]: unknown };

const ID = { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$' };
const STATUS = { type: 'string', enum: [...TENANT_STATUSES] };
const NAME = { type: 'string', maxLength: MAX_TENANT_NAME_LENGTH };
const PLAN = { type: 'string', description: "One of the backend's `tenants.plans`." };
const CUSTOMER = {
  type: 'string',
  pattern: STRIPE_CUSTOMER_ID.source,
  description: 'The Stripe customer its usage is sent to as meter events (`tenants.billing`).',
};
const BILLING = {
  type: 'object',
  description: "Where the tenant's usage is billed; set by the operator only.",
  additionalProperties: false,
  required: ['stripeCustomerId'],
  properties: { stripeCustomerId: CUSTOMER },
};
const SUSPENDED_BY = {
  type: 'string',
  enum: ['billing'],
  description:
    "Read-only. `billing`: Stripe's webhook suspended it (`tenants.billing.onCanceled: 'suspend'`); its Owners may " +
    'still reach `api/tenant/billing`, `/checkout` and `/portal` to pay. Any status the operator sets clears it.',
};
const BILLING_INPUT = {
  type: ['object', 'null'],
  description: 'The Stripe customer; `null` (or `stripeCustomerId: null`) removes it.',
  additionalProperties: false,
  properties: { stripeCustomerId: { ...CUSTOMER, type: ['string', 'null'] } },
};

/**
 * The schemas of the tenant routes: `TenantRecord` (a registry record), its input forms for `POST api/tenants`
 * and `PATCH api/tenants/{id}`, `TenantPage`, `TenantLimits` and `Tenant` (`GET api/tenant`, with its limits and
 * usage).
 *
 * @example
 * ```ts
 * for (const [name, schema] of Object.entries(TENANT_SCHEMAS)) schemas.set(name, schema);
 * ```
 */
/** The Checkout Sessions an organization's Owners opened: written by the checkout only, the webhook's link. */
const CHECKOUT_SESSIONS: Json = {
  type: 'array',
  items: { type: 'string' },
  readOnly: true,
  description:
    "The Checkout Sessions its Owners opened (newest last): Stripe's webhook links a subscription only through one.",
};

export const TENANT_SCHEMAS: Readonly<Record<string, Json>> = {
  TenantRecord: {
    type: 'object',
    description: "A directory's record in the tenant registry.",
    required: ['id', 'plan', 'status', 'createdOn', 'updatedOn'],
    properties: {
      id: { ...ID, description: "The directory's id (its users' `tid` claim)." },
      plan: PLAN,
      status: STATUS,
      name: NAME,
      billing: BILLING,
      createdOn: TIME,
      updatedOn: TIME,
      deleteOn: {
        ...TIME,
        description:
          'Set when an Owner deleted the organization (`DELETE api/tenant`): it may be erased from then; until then `POST api/tenant/undelete` restores it.',
      },
      suspendedBy: SUSPENDED_BY,
      checkoutSessions: CHECKOUT_SESSIONS,
      planWarning: PLAN_WARNING_SCHEMA,
    },
  },
  TenantRecordInput: {
    type: 'object',
    description:
      'A registration: the plan defaults to `tenants.defaultPlan`, the status to `active`.',
    required: ['id'],
    additionalProperties: false,
    properties: {
      id: {
        ...ID,
        description: "The directory's id (its users' `tid` claim); never `shared` or `anonymous`.",
      },
      plan: PLAN,
      status: STATUS,
      name: NAME,
      billing: BILLING_INPUT,
    },
  },
  TenantRecordPatch: {
    type: 'object',
    description:
      'A JSON merge patch (RFC 7396) of the record: `name: null` removes the name. The read-only fields of a ' +
      'record read before may be sent back unchanged.',
    additionalProperties: false,
    properties: {
      id: { ...ID, description: 'Only the id of the URL.' },
      plan: PLAN,
      status: STATUS,
      name: { type: ['string', 'null'], maxLength: MAX_TENANT_NAME_LENGTH },
      billing: BILLING_INPUT,
      createdOn: { type: 'string' },
      updatedOn: { type: 'string' },
      suspendedBy: SUSPENDED_BY,
      deleteOn: { type: 'string' },
      checkoutSessions: CHECKOUT_SESSIONS,
      planWarning: PLAN_WARNING_SCHEMA,
    },
  },
  TenantPage: {
    type: 'object',
    required: ['items', 'continuationToken'],
    properties: {
      items: { type: 'array', items: ref('schemas', 'TenantRecord') },
      continuationToken: {
        type: ['string', 'null'],
        description: 'Pass back as `$after` for the next page; `null` on the last one.',
      },
    },
  },
  TenantLimits: {
    type: 'object',
    description: "The plan's bounds; an absent one is unbounded.",
    properties: {
      requestsPerMinute: { type: 'integer', minimum: 1 },
      requestUnitsPerDay: { type: 'integer', minimum: 1 },
      storageMb: { type: 'integer', minimum: 1 },
      realtimeConnections: { type: 'integer', minimum: 0 },
      members: {
        type: 'integer',
        minimum: 1,
        description: 'Seats: the members an organization may have.',
      },
      items: {
        type: 'object',
        description: 'Items an organization may hold per CrudApi (by component id).',
        additionalProperties: { type: 'integer', minimum: 1 },
      },
    },
  },
  Tenant: {
    type: 'object',
    description:
      "Your directory as the registry records it, its plan's limits and its usage so far.",
    required: ['id', 'plan', 'status', 'limits', 'usage'],
    properties: {
      id: { type: 'string' },
      name: {
        type: 'string',
        description: "The organization's (or directory's) display name, when it has one.",
      },
      plan: { type: 'string' },
      status: STATUS,
      limits: ref('schemas', 'TenantLimits'),
      features: {
        type: 'array',
        items: { type: 'string' },
        description:
          'The features the plan includes (the built-ins gate their routes: 402 `feature-not-in-plan`); absent ' +
          'when no plan lists features (every plan has every feature).',
      },
      usage: {
        type: ['object', 'null'],
        description:
          "This UTC day's and this month's requests, request units, stored bytes and realtime connections, from " +
          'the usage ledger; `null` where the runtime keeps none.',
        additionalProperties: true,
      },
      counts: {
        type: 'object',
        description: "The counts against the plan's `members` and `items`.",
        required: ['items'],
        properties: {
          members: { type: 'integer', minimum: 0 },
          items: { type: 'object', additionalProperties: { type: 'integer', minimum: 0 } },
        },
      },
      over: {
        type: 'array',
        description:
          'What is past the plan now (a downgrade deletes nothing; new members or items are refused): `members`, ' +
          '`items.<CrudApi>`.',
        items: { type: 'string' },
      },
      billedThrough: {
        type: 'string',
        enum: ['marketplace'],
        description:
          'An Azure Marketplace subscription bills the organization: its plan changes there, not through Checkout.',
      },
    },
  },
};

const ADMIN_ONLY =
  `Only callers of the API's own (home) directory holding the \`${TENANT_ADMIN_ROLE}\` app role; everyone else ` +
  'is refused with 403 `tenant-admin-required` (a role assigned in another directory does not count). No plan ' +
  'limit applies.';

const ETAG_HEADERS = { ETag: ref('headers', 'ETag') };
const BODY_ERRORS = { '400': problem(400), '413': problem(413), '415': problem(415) };
const ADMIN_ERRORS = {
  '401': problem(401),
  '403': problem(403),
  '429': problem(429),
  '503': problem(503),
};
const RECORD = json(ref('schemas', 'TenantRecord'));

/**
 * `GET|POST api/tenants` and `GET|PATCH api/tenants/{id}` (runtime/routes/tenants-route.ts): the TenantAdmin API,
 * by path.
 *
 * @example
 * ```ts
 * for (const [path, item] of Object.entries(TENANTS_PATHS)) paths.set(path, item);
 * ```
 */
export const TENANTS_PATHS: Readonly<Record<string, Json>> = {
  [`/${API_PREFIX}/${TENANTS_ROUTE}`]: {
    get: {
      operationId: 'tenants_list',
      summary: 'List the tenant registry, a page at a time (TenantAdmin).',
      description: ADMIN_ONLY,
      tags: ['tenants'],
      parameters: ['First', 'After', 'Limit', 'ContinuationToken'].map((p) => ref('parameters', p)),
      responses: {
        '200': {
          description: 'A page of records, by id.',
          headers: { [CONTINUATION_HEADER]: ref('headers', 'Continuation') },
          content: json(ref('schemas', 'TenantPage')),
        },
        '400': problem(400),
        ...ADMIN_ERRORS,
      },
    },
    post: {
      operationId: 'tenants_create',
      summary: 'Register a directory (TenantAdmin).',
      description: `${ADMIN_ONLY} An unknown plan is a 400 naming the plans.`,
      tags: ['tenants'],
      requestBody: { required: true, content: json(ref('schemas', 'TenantRecordInput')) },
      responses: {
        '201': {
          description: 'Registered: every instance admits it within 30 s (this one at once).',
          headers: { ...ETAG_HEADERS, Location: ref('headers', 'Location') },
          content: RECORD,
        },
        ...BODY_ERRORS,
        ...ADMIN_ERRORS,
        '409': problem(409),
      },
    },
  },
  [`/${API_PREFIX}/${TENANTS_ROUTE}/{id}`]: {
    parameters: [ref('parameters', 'Id')],
    get: {
      operationId: 'tenants_get',
      summary: "Read a directory's record (TenantAdmin).",
      description: ADMIN_ONLY,
      tags: ['tenants'],
      responses: {
        '200': { description: 'The record.', headers: ETAG_HEADERS, content: RECORD },
        ...ADMIN_ERRORS,
        '404': problem(404),
      },
    },
    patch: {
      operationId: 'tenants_update',
      summary: "Change a directory's plan, name or status — suspend or resume it (TenantAdmin).",
      description:
        `${ADMIN_ONLY} A change holds on every instance within 30 s (this one at once); with If-Match only the ` +
        'version that tag names is changed.',
      tags: ['tenants'],
      parameters: [ref('parameters', 'IfMatch')],
      requestBody: {
        required: true,
        content: {
          'application/json': { schema: ref('schemas', 'TenantRecordPatch') },
          'application/merge-patch+json': { schema: ref('schemas', 'TenantRecordPatch') },
        },
      },
      responses: {
        '200': { description: 'The record as changed.', headers: ETAG_HEADERS, content: RECORD },
        ...BODY_ERRORS,
        ...ADMIN_ERRORS,
        '404': problem(404),
        '409': problem(409),
        '412': problem(412),
      },
    },
  },
};

/**
 * `GET api/tenant` (runtime/routes/tenant-route.ts): the caller's own directory as the tenant registry records it.
 *
 * @example
 * ```ts
 * paths[TENANT_PATH_NAME] = TENANT_PATH;
 * ```
 */
export const TENANT_PATH: Json = {
  get: {
    operationId: 'tenant_self',
    summary:
      "Your directory's record in the tenant registry: its plan, status, the plan's limits and usage.",
    tags: ['tenant'],
    responses: {
      '200': { description: 'Your directory.', content: json(ref('schemas', 'Tenant')) },
      '401': problem(401),
      '403': problem(403),
      '503': problem(503),
    },
  },
};

/** The path of the tenant route in the document. */
export const TENANT_PATH_NAME = `/${API_PREFIX}/${TENANT_ROUTE}`;
