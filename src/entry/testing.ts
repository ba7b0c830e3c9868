/**
 * `@atakora/component/testing`: helpers to test what your backends produce.
 * @packageDocumentation
 */
export {
  synthBackend,
  synthesizedAddresses,
  plannedAddresses,
  type SynthesizedStack,
} from '../testing/synth-backend.js';
