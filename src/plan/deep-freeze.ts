import { frozenPlainData } from '../kit/pure/plain-data.js';

/** Freeze a plain-data tree in place and return it typed as deeply readonly. */
export function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value as Record<string, unknown>)) deepFreeze(v);
  }
  return value;
}

/**
 * Copy a plain-data tree as JSON would and freeze the copy, in one pass (see `frozenPlainData`): the plan is
 * then plain, frozen, and equal to its own JSON round trip. Parts already made plain are kept as they are.
 */
export function frozenPlainCopy<T>(value: T): T {
  return frozenPlainData(value);
}
