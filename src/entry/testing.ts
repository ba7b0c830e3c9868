/**
 * `@atakora/component/testing`: helpers to test what your backends produce.
 * @packageDocumentation
 */
export {
  synthBackend,
  synthesizedAddresses,
  plannedAddresses,
  type SynthesizedStack,
} from '../testing/synth-backend.js';
export { verifyAccess, type VerifyAccessOptions } from '../testing/verify-access.js';
export {
  startBackend,
  type StartBackendOptions,
  type TestBackend,
  type TestSession,
} from '../testing/start-backend.js';
export type { TestCaller } from '../testing/test-callers.js';
export type { BackendInput } from '../testing/backend-entry.js';
// Every type of the matrix: AccessMatrix, AccessCell, AccessImplication, MatrixPrincipal, MatrixRow.
export type * from '../access/matrix/types.js';
export {
  startStripeStandIn,
  stripeSignature,
  type StripeStandIn,
  type StripeStandInOptions,
  type StandInWebhook,
  type StandInPrice,
  type StandInEvent,
  type SubscriptionStatus,
  type Delivery,
  type TakenEvent,
  type StripeFaults,
} from '../testing/stripe-standin.js';
export {
  startKeyVaultKeysStandIn,
  KEY_VAULT_CRYPTO_USER_DATA_ACTIONS,
  type KeyVersionAttributes,
  type KeyVaultCall,
  type KeyVaultKeysStandIn,
  type KeyVaultKeysStandInOptions,
  type StandInRotationPolicy,
} from '../testing/keyvault/keyvault-keys-standin.js';
export {
  startMarketplaceStandIn,
  type MarketplaceStandIn,
  type MarketplaceStandInOptions,
  type OperationDone,
  type PurchaseInput,
  type StandInOperation,
  type StandInSubscription,
  type StandInHook,
  type WebhookDelivery,
  type AcceptedUsage,
  type MeteringFaults,
} from '../testing/marketplace-standin.js';
export {
  startDnsStandIn,
  dnsAnswerOf,
  type DnsStandIn,
} from '../testing/dns-standin.js';
