import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const src = join(import.meta.dirname, '..', '..', 'src');

/** Every source file below `dir` (tests aside). */
async function sources(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await sources(path)));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) out.push(path);
  }
  return out;
}

// An organization's place is written in its record's `status` and `suspendedBy` (and `deleteOn`) by one writer,
// model/lives/organization-record.ts, after the life table (organization-life.ts) moved it: a door that wrote
// `status: 'suspended'` or `suspendedBy: 'billing'` itself would decide a state on its own (#110, "no door deciding a
// state on its own"). The shape caught: an object literal writing either field with a place's literal.
const LIFE_WRITE = /(?<!readonly )\b(?:status|suspendedBy)\s*:\s*'(?:active|suspended|billing)'/;
const COMMENT = /^\s*(?:\*|\/\/|\/\*)/;

// A person's membership is written in what the `members` container keeps — a membership item's `via` (the door it came
// in by) and a bar's `by` (removed, deprovisioned) — by one writer, model/lives/membership-record.ts
// (`membershipThrough`, `barOnExit`), after the life table (membership-life.ts `enter`, `leave`) moved it: a door that
// wrote `via: 'domain'` or `by: 'removed'` itself would decide whom it admits, or bars, on its own. An actor's door
// (`via: 'scim'`: an AuditVia) has the same shape and is named where it is made (scim-api.ts).
const MEMBERSHIP_WRITE =
  /(?<!readonly )\b(?:via\s*:\s*'(?:created|invitation|domain|join-request|directory|scim)'|by\s*:\s*'(?:removed|deprovisioned)')/;

// A membership item built by hand (its id `membershipId(…)`, the organization's and the person's) writes no door, or
// one of its own: it reads back as lifeOf's default (`invitation`), whatever door let the person in — the Marketplace
// buyer's Owner once did. Every door builds its membership with runtime/members/life/member-life.ts
// `admittedMembership`, which writes the door the table admits through (membership-record.ts `membershipThrough`).
const MEMBERSHIP_MADE = /\bid\s*:\s*membershipId\(/;

// A subscription is kept in its organization's record (`billing.subscription`'s `status`, `cancelAtPeriodEnd`) as Stripe
// holds it: copied from a read-back (runtime/billing/subscription-state.ts), else written in the place its life reads
// by one writer, model/lives/subscription-record.ts (`subscriptionInLife`). A door that wrote `status: 'canceled'` or
// `cancelAtPeriodEnd: true` itself would decide a subscription's place on its own. (`status: 'active'` is the
// organization's rule above.)
const SUBSCRIPTION_WRITE =
  /(?<!readonly )\b(?:status\s*:\s*'(?:canceled|trialing|past_due|unpaid|incomplete|incomplete_expired|paused)'|cancelAtPeriodEnd\s*:\s*true\b)/;

/**
 * The writers the rule allows, each for its reason: the life's own writer; an organization born (every life starts
 * `active`: a first sign-in's, a created organization's, verify's seeded ones, the reference model's births); a
 * stored record read back as it is (`suspendedBy` kept, never set).
 */
const ALLOWED: Readonly<Record<string, string>> = {
  'model/lives/organization-record.ts': 'the one writer',
  'runtime/caller/registry-tenants.ts': 'an organization born active (first sign-in, created)',
  'runtime/tenants/tenant-record.ts': 'a stored record read back as it is',
  'cli/verify/organization-proof.ts': "verify's seeded organizations, born active",
  'access/model/tenant-registry.ts': "the reference model's births",
  'access/model/membership.ts': "the reference model's births",
};

/** The writers the membership rule allows, each for its reason. */
const MEMBERSHIP_ALLOWED: Readonly<Record<string, string>> = {
  'runtime/members/life/member-life.ts':
    "the runtime's bar writer (the `by` barOnExit gives), and a person SCIM holds only inactive read as deprovisioned",
  'runtime/members/scim/scim-api.ts':
    "SCIM as the audit log's actor (`via: 'scim'`, an AuditVia), no membership",
  'access/model/scim-people.ts': "the reference model's standing of an invitee who is not outside",
  'access/model/scim-provisioning.ts': "the reference model's SCIM grant (its own lives)",
};

/** The builders of a membership item the rule allows, each for its reason. */
const MEMBERSHIP_MADE_ALLOWED: Readonly<Record<string, string>> = {
  'runtime/members/life/member-life.ts': 'the one builder (`admittedMembership`), every door’s',
  'cli/tenant/tenant-members-data.ts':
    "the operator's import: another organization's stored items copied as they are (their `via` kept)",
  'cli/verify/organization-proof.ts':
    "verify's seeded members, written straight into its stack as an operator's tools would (no door)",
};

/** The writers the subscription rule allows, each for its reason. */
const SUBSCRIPTION_ALLOWED: Readonly<Record<string, string>> = {
  'model/lives/subscription-record.ts': 'the one writer',
  'runtime/billing/subscription-state.ts':
    "Stripe's read-back copied as Stripe holds it (the webhook, the delete)",
  'contract/tenant-billing.ts': 'a stored subscription read back as it is',
  'cli/verify/doors-organization.ts':
    'an unsigned Stripe event verify sends (refused 400), no stored subscription',
};

/** The rooms that hold doors and the models of them (src/testing's stand-ins keep Stripe's own statuses). */
const ROOMS = ['runtime', 'cli', 'contract', 'access', 'model'];

/** Every line of the rooms' sources (its allowed writers aside) that writes what `pattern` catches. */
async function writesOf(pattern: RegExp, allowed: Readonly<Record<string, string>>) {
  const files = (await Promise.all(ROOMS.map((r) => sources(join(src, r))))).flat();
  expect(files.length).toBeGreaterThan(500);
  const found: string[] = [];
  for (const file of files) {
    const name = relative(src, file).split('\\').join('/');
    if (allowed[name] !== undefined) continue;
    const lines = (await readFile(file, 'utf8')).split('\n');
    lines.forEach((line, i) => {
      if (!COMMENT.test(line) && pattern.test(line))
        found.push(`${name}:${String(i + 1)}: ${line.trim()}`);
    });
  }
  return found;
}

/** Whether every allowed writer still writes what `pattern` catches (a stale entry is taken out of its list). */
async function staleOf(pattern: RegExp, allowed: Readonly<Record<string, string>>) {
  const stale: string[] = [];
  for (const name of Object.keys(allowed)) {
    const text = await readFile(join(src, name), 'utf8');
    if (!text.split('\n').some((l) => !COMMENT.test(l) && pattern.test(l))) stale.push(name);
  }
  return stale;
}

describe('every door moves an organization through its life table', () => {
  it('no source but the life’s writer writes a place into `status` or `suspendedBy`', async () => {
    const found = await writesOf(LIFE_WRITE, ALLOWED);
    expect(found, 'move the record with model/lives/organization-record.ts').toEqual([]);
  });

  it('the allowed writers still write (a stale entry is taken out of the list)', async () => {
    expect(await staleOf(LIFE_WRITE, ALLOWED)).toEqual([]);
  });

  it('the pattern catches the shapes it is meant to, and not a comparison or a comment', () => {
    expect(
      LIFE_WRITE.test("  return { ...record, status: 'suspended', suspendedBy: 'billing' };"),
    ).toBe(true);
    expect(LIFE_WRITE.test("withRecord(s, org, { ...kept, status: 'active' })")).toBe(true);
    expect(LIFE_WRITE.test("if (record.status !== 'active') return record;")).toBe(false);
    expect(LIFE_WRITE.test("  readonly status: 'active' | 'suspended';")).toBe(false);
    expect(COMMENT.test(" * reinstated({ ...record, status: 'suspended' }).status;")).toBe(true);
  });
});

describe('every door moves a membership through its life table', () => {
  it('no source but the life’s writer writes a door into `via` or a bar’s reason into `by`', async () => {
    const found = await writesOf(MEMBERSHIP_WRITE, MEMBERSHIP_ALLOWED);
    expect(found, 'write the membership with model/lives/membership-record.ts').toEqual([]);
  });

  it('the allowed writers still write (a stale entry is taken out of the list)', async () => {
    expect(await staleOf(MEMBERSHIP_WRITE, MEMBERSHIP_ALLOWED)).toEqual([]);
  });

  it('no source but admittedMembership builds a membership item (the Marketplace buyer’s included)', async () => {
    const found = await writesOf(MEMBERSHIP_MADE, MEMBERSHIP_MADE_ALLOWED);
    expect(found, 'build the membership with member-life.ts `admittedMembership`').toEqual([]);
    expect(await staleOf(MEMBERSHIP_MADE, MEMBERSHIP_MADE_ALLOWED)).toEqual([]);
  });

  it('the pattern catches the shapes it is meant to, and not a type, a variable or an entry', () => {
    expect(MEMBERSHIP_MADE.test('    id: membershipId(id, buyer.userId),')).toBe(true);
    expect(MEMBERSHIP_MADE.test('    const id = membershipId(tenant, userId);')).toBe(false);
    expect(MEMBERSHIP_WRITE.test("    via: 'domain',")).toBe(true);
    expect(MEMBERSHIP_WRITE.test("  const fresh = { ...base, via: 'join-request' };")).toBe(true);
    expect(MEMBERSHIP_WRITE.test("changes: { roles: { to: roles }, via: 'scim' },")).toBe(true);
    expect(
      MEMBERSHIP_WRITE.test("await bars.put({ tenant, userId, by: 'removed', barredOn });"),
    ).toBe(true);
    expect(MEMBERSHIP_WRITE.test("  | { readonly state: 'barred'; readonly by: 'removed' }")).toBe(
      false,
    );
    expect(MEMBERSHIP_WRITE.test('    via: j.door,')).toBe(false);
    expect(MEMBERSHIP_WRITE.test("admits(api, tenant, user, { door: 'domain' })")).toBe(false);
    expect(MEMBERSHIP_WRITE.test("actor: { id: 'operator', via: 'cli' },")).toBe(false);
  });
});

describe('every door moves a subscription through its life table', () => {
  it('no source but the life’s writer writes a place into a subscription’s `status` or `cancelAtPeriodEnd`', async () => {
    const found = await writesOf(SUBSCRIPTION_WRITE, SUBSCRIPTION_ALLOWED);
    expect(found, 'write the subscription with model/lives/subscription-record.ts').toEqual([]);
  });

  it('the allowed writers still write (a stale entry is taken out of the list)', async () => {
    expect(await staleOf(SUBSCRIPTION_WRITE, SUBSCRIPTION_ALLOWED)).toEqual([]);
  });

  it('the pattern catches the shapes it is meant to, and not a comparison, a type or a copy', () => {
    expect(SUBSCRIPTION_WRITE.test("  const subscription = { ...kept, status: 'canceled' };")).toBe(
      true,
    );
    expect(SUBSCRIPTION_WRITE.test("billing: { subscription: { id, status: 'past_due' } },")).toBe(
      true,
    );
    expect(SUBSCRIPTION_WRITE.test('  return { ...sub, cancelAtPeriodEnd: true };')).toBe(true);
    expect(SUBSCRIPTION_WRITE.test("if (sub.status === 'canceled') return 'none';")).toBe(false);
    expect(SUBSCRIPTION_WRITE.test('  readonly cancelAtPeriodEnd: true;')).toBe(false);
    expect(
      SUBSCRIPTION_WRITE.test('{ id: sub.id, cancelAtPeriodEnd: sub.cancelAtPeriodEnd }'),
    ).toBe(false);
    expect(SUBSCRIPTION_WRITE.test("    status: 'active',")).toBe(false);
  });
});
