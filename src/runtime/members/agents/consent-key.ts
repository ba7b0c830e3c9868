import { randomBytes } from 'node:crypto';
import type { Container } from '@azure/cosmos';
import {
  type CosmosCallPolicy,
  callCosmos,
  DEFAULT_COSMOS_POLICY,
  readItemOrNone,
} from '../../data/cosmos-policy.js';
import { CODES_PARTITION } from './agent-store.js';

/** The one item holding the consent form's HMAC key, beside the authorization codes (no `ttl`: it never expires). */
const CONSENT_KEY_ID = 'oauth-consent-key';

const keyOf = (row: Record<string, unknown> | undefined): Buffer | undefined => {
  const value = row?.['key'];
  if (typeof value !== 'string') return undefined;
  const key = Buffer.from(value, 'base64url');
  return key.length === 32 ? key : undefined;
};

/**
 * The consent form's HMAC key every instance of the app shares (consent-csrf.ts): made once, by the first instance
 * that needs it, as an item of the `members` container — a create, so two instances starting together keep one
 * (the loser's 409 reads the winner's). A consent page one instance shows is then answered on any other. Only
 * writers of the `members` container (the runtime's identity) can write or read it; knowing it forges no consent by
 * itself, since the form is also bound to the signed-in person and the exact request.
 *
 * @example
 * ```ts
 * const key = await sharedConsentKey(membersContainer); // 32 bytes, the same on every instance
 * ```
 */
export async function sharedConsentKey(
  container: Container,
  policy: CosmosCallPolicy = DEFAULT_COSMOS_POLICY,
): Promise<Buffer> {
  const read = async () =>
    keyOf(await readItemOrNone(container, policy, CONSENT_KEY_ID, CODES_PARTITION));
  const found = await read();
  if (found) return found;
  const row = {
    id: CONSENT_KEY_ID,
    tenant: CODES_PARTITION,
    kind: 'oauth-consent-key',
    key: randomBytes(32).toString('base64url'),
  };
  try {
    await callCosmos(policy, (abortSignal) => container.items.create(row, { abortSignal }));
    return Buffer.from(row.key, 'base64url');
  } catch (e) {
    if ((e as { code?: unknown }).code !== 409) throw e;
  }
  const made = await read();
  if (!made) throw new Error('the consent key item exists but holds no 32-byte key');
  return made;
}
