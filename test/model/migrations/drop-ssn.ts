/**
 * Version 2's migration of every versioned entity the model-based test generates, as a module (the plan names
 * `./migrations/drop-ssn.ts`): what `atakora tenant import` loads to bring version 1 items up. The runtime's copy
 * is real-app.ts `dropSsn`.
 */
export default function dropSsn(item: Record<string, unknown>): Record<string, unknown> {
  const { ssn: _dropped, ...rest } = item;
  return rest;
}
