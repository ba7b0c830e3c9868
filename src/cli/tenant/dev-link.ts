// The one place the tenant commands reach `atakora dev`'s state: dev's helpers are moving, and this keeps the
// follow-up to one import line.
export { readDevState, type DevState } from '../shared/dev-state.js';
