import { isolated } from '../model/backend.js';
import { entityAt } from '../model/reference-model.js';
import type { ServedAccess } from './backend-of.js';
import type { AccessCell, AccessImplication, MatrixPrincipal, MatrixRow } from './types.js';

const reaches = (c: AccessCell | undefined) => c !== undefined && typeof c !== 'number';

/**
 * The consequences of rules each reasonable on its own that their authors rarely see (DESIGN §2 "Access you
 * can prove"): another directory writing into data your users own or reference, a cascade some caller may start
 * but not finish, shared data every directory reads, a handler anyone may call. Pure; stable order.
 *
 * @example
 * ```ts
 * implicationsOf(served, rows, principals).map((i) => i.code); // ['foreign-write-blocks-delete']
 * ```
 */
export function implicationsOf(
  served: ServedAccess,
  rows: readonly MatrixRow[],
  principals: readonly MatrixPrincipal[],
): AccessImplication[] {
  const out: AccessImplication[] = [];
  const cell = (component: string, operation: string, key: string) =>
    rows.find((r) => r.component === component && r.operation === operation)?.cells[key];
  const foreign = principals.filter((p) => p.key.startsWith('other.')).map((p) => p.key);
  const insiders = principals.filter((p) => p.key.startsWith('home.')).map((p) => p.key);
  const { entities } = served.backend;
  for (const e of entities) {
    for (const r of e.relations) {
      if (r.kind !== 'hasMany') continue;
      const c = entityAt(served.backend, r.target);
      if (r.onDelete !== 'cascade' && !isolated(c)) {
        const who = foreign.filter((k) => reaches(cell(c.componentId, 'create', k)));
        if (who.length > 0)
          out.push({
            code: 'foreign-write-blocks-delete',
            components: [e.componentId, c.componentId],
            message:
              `Users of another directory (${who.join(', ')}) can create ${c.componentId} items (shared) naming any ` +
              `${e.componentId} id in ${r.field}; each one blocks that ${e.componentId}'s delete (${r.name}: ` +
              `restrict, 409 has-children) and its owner may not remove it.`,
          });
      }
      if (r.onDelete === 'cascade')
        for (const k of [...insiders, ...foreign]) {
          const parent = cell(e.componentId, 'delete', k);
          const child = cell(c.componentId, 'delete', k);
          if (reaches(parent) && (parent === 'tenant' || parent === 'allow') && child !== parent) {
            out.push({
              code: 'cascade-cannot-complete',
              components: [e.componentId, c.componentId],
              message:
                `${k} may delete every ${e.componentId} of the tenant (${parent}) but ${c.componentId} only ` +
                `${String(child)}: deleting a ${e.componentId} whose ${r.name} are not all theirs is refused (403) ` +
                `and nothing is deleted.`,
            });
            break;
          }
        }
    }
    if (!isolated(e)) {
      const writers = foreign.filter(
        (k) =>
          cell(e.componentId, 'update', k) === 'allow' ||
          cell(e.componentId, 'delete', k) === 'allow',
      );
      if (writers.length > 0)
        out.push({
          code: 'foreign-write-into-shared',
          components: [e.componentId],
          message: `Users of another directory (${writers.join(', ')}) can change or delete every ${e.componentId} item, the home directory's users' included.`,
        });
      const readers = foreign.filter(
        (k) =>
          cell(e.componentId, 'read', k) === 'allow' || cell(e.componentId, 'list', k) === 'allow',
      );
      if (readers.length > 0)
        out.push({
          code: 'shared-readable-across-directories',
          components: [e.componentId],
          message: `${e.componentId} is shared: users of another directory (${readers.join(', ')}) read every item, whichever directory wrote it.`,
        });
    }
  }
  for (const row of rows)
    if (row.kind === 'function' && row.cells['anonymous'] === 'allow')
      out.push({
        code: 'anonymous-handler',
        components: [row.component],
        message: `${row.request} runs for anyone, signed in or not: the handler's own code is its only check.`,
      });
  return out;
}
