import type { HttpResponseInit } from '@azure/functions';
import type { CallerRequest } from '../pipeline/context.js';
import type { RuntimeRelation } from '../../model/relations.js';
import { problemResponse } from '../http/response.js';
import type { DeletingMark } from './deleting.js';
import type { CrudPeer, RelationPeers, TreeItem } from './peers.js';

/** One item a parent's delete reaches: its CrudApi, the item, and how far below the parent it is. */
export interface TreeNode {
  readonly peer: CrudPeer;
  readonly item: TreeItem;
  depth: number;
}

/** What a walk found: the refusal (403 first, then 409), or every item the delete removes, parent first. */
export type Walked =
  | {
      readonly ok: false;
      readonly response: HttpResponseInit;
      readonly marked: readonly TreeNode[];
    }
  | {
      readonly ok: true;
      readonly nodes: readonly TreeNode[];
      readonly marked: readonly TreeNode[];
    };

/** Why one relation stops the delete: a child the caller may not delete, or a `restrict` with children. */
interface Stop {
  readonly relation: RuntimeRelation;
  readonly parent: CrudPeer;
}

const keyOf = (peer: CrudPeer, item: Pick<TreeItem, 'id' | 'pk'>) =>
  JSON.stringify([peer.entity.componentId, item.pk, item.id]);

/**
 * Walk everything deleting `root` would delete, level by level, as the caller: each `cascade` child must be one the
 * caller may delete under its own CrudApi's rules (else the delete is a 403), each `restrict` must have no children
 * (else 409 `has-children`), and the walk goes on below every cascaded child. Nothing is deleted here.
 *
 * With `mark`, each item that is itself a parent is marked as being deleted before its children are read (the
 * root is marked by the caller): from then on no child can be added under it, so what the walk reads is all there
 * will be. The items marked are returned, so a refused delete can clear them.
 *
 * @example
 * ```ts
 * const walked = await walkTree(call, { peer: orders, item, depth: 0 }, peers);
 * if (!walked.ok) return walked.response;
 * ```
 */
export async function walkTree(
  call: CallerRequest,
  root: TreeNode,
  peers: RelationPeers,
  mark?: DeletingMark,
): Promise<Walked> {
  const nodes: TreeNode[] = [root];
  const seen = new Map<string, TreeNode>([[keyOf(root.peer, root.item), root]]);
  const marked: TreeNode[] = [];
  let forbidden: Stop | undefined;
  let restricted: Stop | undefined;
  let level: TreeNode[] = [root];
  while (level.length > 0 && forbidden === undefined) {
    const next: TreeNode[] = [];
    for (const [peer, group] of byPeer(level)) {
      const many = (peer.entity.relations ?? []).filter((r) => r.kind === 'hasMany');
      if (many.length === 0) continue;
      if (mark)
        for (const node of group)
          if (node !== root && !node.item.deleting) {
            await peer.setDeleting(call, node.item, mark);
            marked.push(node);
          }
      const ids = group.map((n) => n.item.id);
      const depth = (group[0]?.depth ?? 0) + 1;
      for (const r of many) {
        const child = peers.crud(r.target);
        if (!child) continue;
        if (r.onDelete !== 'cascade') {
          if (restricted === undefined && (await child.countOf(call, r.field, ids)) > 0)
            restricted = { relation: r, parent: peer };
          continue;
        }
        const kids = await child.childrenOf(call, r.field, ids);
        if (kids.length === 0) continue;
        const scope = child.deleteScope(call);
        for (const kid of kids) {
          const own = scope.ok && (!scope.value.ownOnly || kid.owner === scope.value.callerId);
          if (!own) {
            forbidden ??= { relation: r, parent: peer };
            continue;
          }
          const key = keyOf(child, kid);
          const again = seen.get(key);
          if (again) {
            // Reached on two paths (a child of two cascading parents): deleted after the deeper one's children.
            again.depth = Math.max(again.depth, depth);
            continue;
          }
          const node: TreeNode = { peer: child, item: kid, depth };
          seen.set(key, node);
          nodes.push(node);
          next.push(node);
        }
      }
    }
    level = next;
  }
  if (forbidden) return { ok: false, response: forbiddenResponse(root, forbidden), marked };
  if (restricted) return { ok: false, response: restrictedResponse(root, restricted), marked };
  return { ok: true, nodes, marked };
}

function byPeer(level: readonly TreeNode[]): Map<CrudPeer, TreeNode[]> {
  const out = new Map<CrudPeer, TreeNode[]>();
  for (const n of level) {
    const group = out.get(n.peer);
    if (group) group.push(n);
    else out.set(n.peer, [n]);
  }
  return out;
}

function below(root: TreeNode, stop: Stop): string {
  const name = `${root.peer.entity.entityName} "${root.item.id}"`;
  return stop.parent === root.peer
    ? `${name} has ${stop.relation.name}`
    : `${name} has ${stop.parent.entity.entityName} items below it with ${stop.relation.name}`;
}

function forbiddenResponse(root: TreeNode, stop: Stop): HttpResponseInit {
  return problemResponse(
    'access-denied',
    `${below(root, stop)} that you may not delete (relation "${stop.relation.name}" is onDelete: 'cascade', and ` +
      `a cascade deletes only what its caller may delete under ${stop.relation.target}'s own access rules); ` +
      'nothing was deleted.',
    { operation: 'delete', relation: stop.relation.name },
  );
}

function restrictedResponse(root: TreeNode, stop: Stop): HttpResponseInit {
  return problemResponse(
    'has-children',
    `${below(root, stop)}; delete them first (relation "${stop.relation.name}" is onDelete: 'restrict'). ` +
      'Nothing was deleted.',
    { relation: stop.relation.name },
  );
}
