import type { HttpResponseInit } from '@azure/functions';
import type { RuntimeFileStore } from '../../model/runtime-manifest.js';
import type { CallerRequest } from '../pipeline/context.js';
import { type LimitScope, limitedTenant } from '../limits/limited-tenant.js';
import { holdStorage, type StorageHold } from '../limits/storage-quota.js';
import { META } from './layout.js';

/**
 * One FileStore request's bytes under the plan's storage quota and in the usage ledger: a declaration checked
 * against the quota, a completion's copy held while it runs, a delete's bytes freed — each for the tenant the
 * file's bytes belong to: the caller's for an isolated store; in a shared store the directory that completed it
 * (`creator`, stamped in the file's metadata), whoever deletes it later.
 */
export interface FileBytes {
  /** The directory a shared store's completion stamps as the file's creator (undefined: an isolated store). */
  readonly creator: string | undefined;
  /** A declaration of `bytes`: the 403 when they would pass the quota now (nothing is held). */
  readonly check: (bytes: number) => Promise<HttpResponseInit | undefined>;
  /** A completion's `bytes`, held until {@link stored} or {@link end}: the 403 when they would pass the quota. */
  readonly hold: (bytes: number) => Promise<HttpResponseInit | undefined>;
  /** The completion stored the file (`bytes`): counted, the hold dropped. */
  readonly stored: (bytes: number) => void;
  /** The request is over: what it held and did not store is dropped. */
  readonly end: () => void;
  /** A served file of `bytes` deleted (its metadata names its creator): freed for the tenant they belong to. */
  readonly removed: (bytes: number, metadata: Readonly<Record<string, string>>) => void;
}

/**
 * The {@link FileBytes} of one request of `store`, from the pipeline's context (`scope`) and caller (`call`).
 *
 * @example
 * ```ts
 * const bytes = fileBytes(store, ctx, ctx);
 * const over = await bytes.check(declared.size);
 * ```
 */
export function fileBytes(
  store: Pick<RuntimeFileStore, 'tenancy'>,
  scope: LimitScope,
  call: CallerRequest,
): FileBytes {
  const limited = limitedTenant(scope);
  const shared = store.tenancy === 'shared';
  const creator = shared ? call.caller.directory : undefined;
  const owner = shared ? creator : limited?.tenant;
  let hold: StorageHold | undefined;
  return {
    creator,
    check: async (bytes) => {
      const held = await holdStorage(limited, owner, 'fileBytes', bytes);
      if (!held.ok) return held.response;
      held.hold.release();
      return undefined;
    },
    hold: async (bytes) => {
      const held = await holdStorage(limited, owner, 'fileBytes', bytes);
      if (!held.ok) return held.response;
      hold?.release();
      hold = held.hold;
      return undefined;
    },
    stored: (bytes) => {
      if (hold) hold.settle(bytes);
      else if (limited && owner !== undefined) limited.meter.bytes(owner, { fileBytes: bytes });
    },
    end: () => {
      hold?.release();
    },
    removed: (bytes, metadata) => {
      if (!limited) return;
      const whose = shared ? sharedFileTenant(metadata) : limited.tenant;
      if (whose !== undefined) limited.meter.bytes(whose, { fileBytes: -bytes });
    },
  };
}

/**
 * Whose bytes a shared store's file is: the creator directory its metadata names; nobody's for a file completed
 * before that was recorded (never credited to anyone, as items without a recorded creator: crud/item-bytes.ts).
 */
function sharedFileTenant(metadata: Readonly<Record<string, string>>): string | undefined {
  const creator = metadata[META.creator];
  return creator ? creator : undefined;
}
