// The access matrix (DESIGN §2 "Access you can prove"): derived from the plan by the reference model, pure.
// Every type of the matrix: AccessMatrix, AccessCell, AccessImplication, MatrixPrincipal, MatrixRow.
export type * from './types.js';
export { deriveAccessMatrix, scopeOf } from './derive.js';
export { type MatrixSignIn, matrixPrincipals, signInOf, VERIFY_TENANTS } from './sign-in.js';
export { type CellChange, compareAccessMatrices, describeChanges } from './compare.js';
export { ACCESS_FILE, formatAccessMatrix } from './format.js';
