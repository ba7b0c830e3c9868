import { monitoringKind } from '../providers/monitoring/merge.js';
import { networkKind } from '../providers/network/merge.js';
import type { BackendKind } from './backend-kind.js';

/** Backend-level kinds, run in this order after the component resources are planned. */
export const BUILTIN_BACKEND_KINDS: readonly BackendKind[] = [
  monitoringKind,
  networkKind,
];
