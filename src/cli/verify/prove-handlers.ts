import type { MatrixPrincipal } from '../../access/matrix/types.js';
import type { Proof } from './proof-context.js';

/** The gate's refusals (DESIGN §2 Handlers): what an allowed call must never answer. */
const GATE = new Set(['access-denied', 'tenant-not-allowed', 'unauthenticated']);

/**
 * Every handler route, called by every principal with each method it serves: a refused cell must get its status,
 * an allowed one must pass the gate (what the handler's own code answers after that is its own, not the matrix's).
 */
export async function proveHandlers(
  proof: Proof,
  baseOf: (functionName: string) => string | undefined,
  principals: readonly MatrixPrincipal[],
): Promise<void> {
  for (const row of proof.matrix.rows) {
    if (row.kind !== 'function') continue;
    const name = row.operation.replace(/^call:/, '');
    const base = baseOf(name);
    if (!base) {
      proof.report.unproven.push(`${row.request}: no local app serves ${name}`);
      continue;
    }
    const [methods = 'GET', path = ''] = row.request.split(' ');
    const [method = 'GET'] = methods.split('|');
    for (const p of principals) {
      const cell = row.cells[p.key];
      const r = await proof.call(base, method, path, p, method === 'GET' ? undefined : {});
      const raw = (r.body as { type?: unknown } | undefined)?.type;
      const type = typeof raw === 'string' ? raw : '';
      const gated = [...GATE].some((g) => type.endsWith(g)) || r.status === 401;
      proof.check(
        row,
        p,
        `${method} ${path}`,
        typeof cell === 'number' ? r.status === cell : !gated,
        typeof cell === 'number' ? String(cell) : 'past the gate',
        r,
      );
    }
  }
}
