import { PLANS_ROUTE } from './plan-offers.js';
import { type Json, json, path, problem, ref } from '../openapi/openapi-refs.js';

const NULLABLE_COUNT: Json = { type: ['integer', 'null'], minimum: 0 };

/**
 * `GET api/plans`'s schemas: `PlanOffer` (one plan as the package it sells) and `PlanOfferList`.
 *
 * @example
 * ```ts
 * for (const [name, schema] of Object.entries(PLAN_SCHEMAS)) schemas.set(name, schema);
 * ```
 */
export const PLAN_SCHEMAS: Readonly<Record<string, Json>> = {
  PlanOffer: {
    type: 'object',
    description: 'A declared plan as the package it sells (`tenants.plans.<name>`).',
    required: [
      'name',
      'default',
      'price',
      'perSeat',
      'trialDays',
      'seats',
      'items',
      'features',
      'checkout',
    ],
    properties: {
      name: { type: 'string' },
      default: { type: 'boolean', description: 'The plan a new organization starts on.' },
      price: {
        type: ['number', 'null'],
        description:
          '`monthlyFeeUsd`: USD a month (a seat’s on a per-seat plan); null when none is declared.',
      },
      perSeat: { type: 'boolean' },
      trialDays: NULLABLE_COUNT,
      seats: {
        ...NULLABLE_COUNT,
        description: 'Members an organization may have; null: unlimited.',
      },
      items: {
        type: 'object',
        description: 'Items per organization by CrudApi component id; null: unlimited.',
        additionalProperties: NULLABLE_COUNT,
      },
      features: { type: 'array', items: { type: 'string' } },
      checkout: {
        type: 'boolean',
        description:
          'A Stripe price sells it: `POST api/tenant/billing/checkout { plan }` can start.',
      },
    },
  },
  PlanOfferList: {
    type: 'object',
    required: ['items'],
    properties: { items: { type: 'array', items: ref('schemas', 'PlanOffer') } },
  },
};

/**
 * `GET api/plans` by path (runtime/routes/plans-route.ts): any signed-in caller, in no organization.
 *
 * @example
 * ```ts
 * for (const [p, item] of Object.entries(PLAN_PATHS)) paths.set(p, item);
 * ```
 */
export const PLAN_PATHS: Readonly<Record<string, Json>> = {
  [path(PLANS_ROUTE)]: {
    get: {
      operationId: 'plans_list',
      summary:
        'Every plan as the package it sells: price, per seat, trial, seats, items, features.',
      tags: ['billing'],
      responses: {
        '200': {
          description: 'The plans, by name.',
          content: json(ref('schemas', 'PlanOfferList')),
        },
        '401': problem(401),
        '503': problem(503),
      },
    },
  },
};
