import type { RuntimeEntity } from '../../src/model/runtime-manifest.js';
import { BENCH_ENTITY } from '../baseline/bare-crud-handler.js';

/**
 * The benches' versioned entity (bench/schema-evolution.ts, bench/migrate.ts): the bare CRUD bench's entity at
 * schema version 2, whose one migration turns `amountCents` into `total`.
 */
export const VERSIONED_ENTITY: RuntimeEntity = {
  ...BENCH_ENTITY,
  componentId: 'VersionedApi',
  schema: { ...BENCH_ENTITY.schema, total: { type: 'number', required: false } },
  schemaVersion: 2,
};

/** Migration 2 of {@link VERSIONED_ENTITY}. */
export const toV2 = (item: Record<string, unknown>): Record<string, unknown> => {
  const { amountCents, ...rest } = item;
  return typeof amountCents === 'number' ? { ...rest, total: amountCents / 100 } : rest;
};
