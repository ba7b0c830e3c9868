import { describe, expect, it } from 'vitest';
import { freezeOwnedPlainData, frozenPlainData } from '../../src/kit/pure/plain-data.js';
import { settingPrefix } from '../../src/kit/pure/names/terraform-names.js';

// The planner's final copy: plain as JSON makes it, frozen, and what it made once is kept as is.
describe('frozenPlainData', () => {
  it('copies as a JSON round trip would, and freezes every level', () => {
    const input = {
      a: 1,
      u: undefined,
      f: () => 1,
      n: Number.NaN,
      list: [1, undefined, () => 2, { deep: 'x', gone: undefined }],
    };
    const out = frozenPlainData(input);
    expect(out).toEqual(JSON.parse(JSON.stringify(input)));
    expect(Object.keys(out)).toEqual(['a', 'n', 'list']);
    expect(Object.isFrozen(out) && Object.isFrozen(out.list) && Object.isFrozen(out.list[3])).toBe(
      true,
    );
    expect(input.list[3]).not.toBe(out.list[3]);
  });

  it('keeps what it already made plain, by identity, inside a new copy', () => {
    const entity = frozenPlainData({ name: 'User', ttl: undefined });
    const plan = frozenPlainData({ entities: [entity], other: { name: 'x' } });
    expect(plan.entities[0]).toBe(entity);
    expect(frozenPlainData(plan)).toBe(plan);
  });

  it('copies an object frozen by someone else: frozen is not plain', () => {
    const frozen = Object.freeze({ keep: 1, drop: undefined });
    const out = frozenPlainData({ frozen });
    expect(out.frozen).not.toBe(frozen);
    expect(Object.keys(out.frozen)).toEqual(['keep']);
  });
});

describe('settingPrefix (remembered per id)', () => {
  it('gives the same prefix on every call', () => {
    for (const id of ['UserApi', 'user-api', 'HTTPServer2Api', 'UserApi'])
      expect(settingPrefix(id)).toBe(settingPrefix(id));
    expect(settingPrefix('UserApi')).toBe('USER_API');
    expect(settingPrefix('HTTPServer2Api')).toBe('HTTP_SERVER2_API');
  });
});

// The planner freezes the plan in place: only what it built, never a caller's object.
describe('freezeOwnedPlainData', () => {
  it('freezes the tree in place, as JSON would see it', () => {
    const tree = {
      a: 1,
      u: undefined,
      f: () => 1,
      n: Number.POSITIVE_INFINITY,
      list: [1, undefined, () => 2, { deep: 'x', gone: undefined }],
    };
    const json: unknown = JSON.parse(JSON.stringify(tree));
    const list = tree.list;
    const out = freezeOwnedPlainData(tree);
    expect(out).toBe(tree);
    expect(out.list).toBe(list);
    expect(out).toStrictEqual(json);
    expect(Object.isFrozen(out) && Object.isFrozen(out.list) && Object.isFrozen(out.list[3])).toBe(
      true,
    );
  });

  it('keeps frozen plain data by identity, and copies what is frozen by someone else or not a plain object', () => {
    const entity = frozenPlainData({ name: 'User' });
    const foreign = Object.freeze({ keep: 1, drop: undefined });
    const date = new Date(0);
    const bare = Object.assign(Object.create(null) as Record<string, unknown>, { x: 1 });
    const out = freezeOwnedPlainData({ entity, foreign, date, bare });
    expect(out.entity).toBe(entity);
    expect(out.foreign).not.toBe(foreign);
    expect(out.foreign).toStrictEqual({ keep: 1 });
    expect(out.date).not.toBe(date);
    expect(Object.isFrozen(date)).toBe(false);
    expect(out.bare).not.toBe(bare);
    expect(Object.getPrototypeOf(out.bare)).toBe(Object.prototype);
    expect(Object.isFrozen(bare)).toBe(false);
  });
});

describe('freezeOwnedPlainData: an object placed twice', () => {
  it('is frozen at its first place and an equal copy at the second; plain data is kept at both', () => {
    const shared = { auth: 'x' };
    const madePlain = frozenPlainData({ auth: 'y' });
    const out = freezeOwnedPlainData({ a: shared, b: [shared], c: madePlain, d: [madePlain] });
    expect(out.a).toBe(shared);
    expect(Object.isFrozen(shared)).toBe(true);
    expect(out.b[0]).not.toBe(shared);
    expect(out.b[0]).toStrictEqual(shared);
    expect(Object.isFrozen(out.b[0])).toBe(true);
    expect(out.c).toBe(madePlain);
    expect(out.d[0]).toBe(madePlain);
  });
});
