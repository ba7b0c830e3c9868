// The directory's cells (DESIGN §2, "Organizations that enterprises can buy"), served with directory sign-in only:
// requests that pass the gate are answered by the route's own checks, so no column links anyone's directory.
import { allowed, checkCell, each, type RowProof } from './organization-requests.js';
import { codeOf, concerned } from './prove-organization-enterprise.js';

/**
 * `GET api/tenant/directory` by each column: past the gate (an Owner or an Admin), the organization's link or 404
 * `not-found` (it links none) — never an access refusal.
 *
 * @example
 * ```ts
 * await directoryRead(ctx, row);
 * ```
 */
export const directoryRead: RowProof = (ctx, row) =>
  each(ctx.principals, async (who) => {
    await checkCell(
      ctx,
      row,
      who,
      'GET',
      'api/tenant/directory',
      undefined,
      [200, 404],
      (r, cell) =>
        Promise.resolve(
          allowed(cell) && r.status === 404 && codeOf(r) !== 'not-found'
            ? `refused by ${String(codeOf(r))}`
            : undefined,
        ),
    );
  });

/**
 * `PUT api/tenant/directory` by each column with a link that names no directory: past the gate (an Owner) the
 * body's own check answers 400 `validation`, so nothing is linked in anyone's organization; the others get their
 * refusal. (Which directory an Owner may link — only their own sign-in's — is the directory's own tests.)
 *
 * @example
 * ```ts
 * await directoryLink(ctx, row);
 * ```
 */
export const directoryLink: RowProof = (ctx, row) =>
  each(ctx.principals, async (who) => {
    await checkCell(
      ctx,
      row,
      who,
      'PUT',
      'api/tenant/directory',
      { requireDirectory: false },
      [400],
      async (r, cell) => {
        if (allowed(cell) && codeOf(r) !== 'validation') return `refused by ${String(codeOf(r))}`;
        const linked = await ctx.proof.call(
          ctx.url,
          'GET',
          'api/tenant/directory',
          ctx.ownerOf(concerned(ctx, who)),
        );
        return linked.status === 404
          ? undefined
          : `${concerned(ctx, who)} links a directory now (${String(linked.status)})`;
      },
    );
  });

/**
 * `DELETE api/tenant/directory` by each column's twin in a throwaway organization (an unlink changes an
 * organization's sign-in, so never the columns' own): allowed → 204, refused → its status.
 *
 * @example
 * ```ts
 * await directoryUnlink(ctx, row);
 * ```
 */
export const directoryUnlink: RowProof = (ctx, row) =>
  each(ctx.scratch, async (who) => {
    await checkCell(ctx, row, who, 'DELETE', 'api/tenant/directory', undefined, [204]);
  });
