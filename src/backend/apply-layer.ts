import { createRequire } from 'node:module';
import type { applyPlan } from '../apply/apply-backend.js';
import { AtakoraError } from '../model/errors.js';
import { libraryPath } from '../kit/node/library-files.js';

/** What `Backend.apply` needs from the cdktf side. */
export interface ApplyLayer {
  readonly applyPlan: typeof applyPlan;
}

// Resolved within this copy of the package, so every copy (an entry loaded through tsx gets its own) loads its
// own apply layer: there is no registry to fill, and none that a second copy could find empty.
const requireHere = createRequire(import.meta.url);

/**
 * The apply layer (cdktf and the provisioners), loaded on the first `apply`: declaring and planning a backend
 * never loads cdktf. `apply` is synchronous, so this is `require` of an ES module (Node ≥ 20.19, the engines
 * floor); Node caches it, so the second call costs a lookup.
 */
export function loadApplyLayer(): ApplyLayer {
  try {
    return requireHere(libraryPath('apply', 'apply-backend.js')) as ApplyLayer;
  } catch (e) {
    throw new AtakoraError('STACK_INVALID', 'The apply layer (cdktf) could not be loaded.', {
      path: ['stack'],
      cause: e,
      resolution:
        'Install the peer dependencies next to @atakora/component: npm install cdktf constructs ' +
        '@cdktf/provider-azurerm.',
    });
  }
}
