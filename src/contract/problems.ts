import type { CrudAction } from './routes.js';

/**
 * Problem types (RFC 9457) of the CRUD runtime: `type` is `urn:atakora:problem:<code>` — URNs rather than
 * URLs, since the types are identifiers and no domain of ours dereferences them.
 *
 * @example
 * ```ts
 * `${PROBLEM_PREFIX}not-found`; // 'urn:atakora:problem:not-found'
 * ```
 */
export const PROBLEM_PREFIX = 'urn:atakora:problem:';

/**
 * The media type of every error body.
 *
 * @example
 * ```ts
 * response.headers.get('content-type')?.startsWith(PROBLEM_MEDIA_TYPE);
 * ```
 */
export const PROBLEM_MEDIA_TYPE = 'application/problem+json';

/**
 * One problem type: the status it is sent with, its title (the same for every occurrence, RFC 9457 §3.1.3),
 * when it is sent, and who sends it — the runtime (in Azure and under `atakora dev`: the OpenAPI document lists
 * these) or only `atakora dev`'s local host (its Host and admin guards).
 *
 * @example
 * ```ts
 * const spec: ProblemSpec = { status: 404, title: 'Not Found', when: 'The item does not exist.', from: 'runtime' };
 * ```
 */
export interface ProblemSpec {
  readonly status: number;
  /** Other statuses the same type is sent with, where a mode of the backend says so (`tenant-required`: 400). */
  readonly alsoStatus?: readonly number[];
  readonly title: string;
  readonly when: string;
  readonly from: 'runtime' | 'dev';
}

const runtime = (status: number, title: string, when: string) => ({
  status,
  title,
  when,
  from: 'runtime' as const,
});
const dev = (status: number, title: string, when: string) => ({
  status,
  title,
  when,
  from: 'dev' as const,
});

/**
 * Every problem type Atakora answers with, by code (the `<code>` of its type URN). A problem is built from a
 * code (`problemDocument('not-found', …)`), so its status and title come from here; the OpenAPI generator lists
 * every `runtime` row, `atakora dev` answers its own rows, and the client types `ProblemError.code` by it.
 *
 * @example
 * ```ts
 * PROBLEMS['tenant-not-allowed'].status; // 403
 * ```
 */
export const PROBLEMS = Object.freeze({
  validation: runtime(
    400,
    'Invalid item',
    'The body does not match the entity schema (field errors in `errors`).',
  ),
  'invalid-id': runtime(
    400,
    'Invalid id',
    'The id (URL or body) is empty, too long, or holds a character Cosmos DB ids may not.',
  ),
  'invalid-limit': runtime(
    400,
    'Invalid page size',
    '`limit` / `$first` is not an integer within the page size bounds.',
  ),
  'invalid-continuation-token': runtime(
    400,
    'Invalid continuation token',
    'The continuation token is not one this API issued.',
  ),
  'invalid-partition-key': runtime(
    400,
    'Invalid partition key',
    'The partition key value (`?pk=` / `x-partition-key`) is not well-formed text.',
  ),
  'partition-key-required': runtime(
    400,
    'Partition key required',
    'The entity is partitioned by a field the request does not name.',
  ),
  'partition-key-immutable': runtime(
    400,
    'Partition key immutable',
    'A PUT or PATCH changes the partition key field.',
  ),
  'id-immutable': runtime(
    400,
    'Id immutable',
    'A PUT or PATCH body names another id than the URL.',
  ),
  'invalid-if-match': runtime(
    400,
    'Invalid If-Match',
    'If-Match holds a tag this API never issues.',
  ),
  'forbidden-key': runtime(
    400,
    'Forbidden key',
    'The body holds a key no item may have (`__proto__`, a system field).',
  ),
  'bad-request': runtime(400, 'Bad Request', 'Cosmos DB refused the request as malformed.'),
  'invalid-query': runtime(
    400,
    'Invalid query',
    '`$filter`, `$orderby` or `$select` does not parse or names an unknown field (the position in `issues`).',
  ),
  'invalid-search': runtime(
    400,
    'Invalid search',
    'A `POST api/<route>/search` body the CrudApi cannot serve: an unknown field, a vector of another dimension ' +
      'count or with a non-finite number, text too long or without a word, a mode the CrudApi does not declare, ' +
      'a page past the search depth (field errors in `errors`).',
  ),
  'not-sortable': runtime(
    400,
    'Not sortable',
    '`$orderby` names a sort the CrudApi does not declare `sortable`.',
  ),
  'invalid-expand': runtime(
    400,
    'Invalid expand',
    '`$expand` is not a comma-separated list of distinct relations of the entity (named in `parameter`).',
  ),
  'body-missing': runtime(400, 'Body missing', 'A write without a body.'),
  'body-not-json': runtime(400, 'Body not JSON', 'The body is not valid UTF-8 JSON.'),
  'body-not-object': runtime(400, 'Body not an object', 'The body is JSON but not an object.'),
  'body-too-deep': runtime(400, 'Body too deep', 'The body nests deeper than the runtime reads.'),
  unauthenticated: runtime(
    401,
    'Unauthorized',
    'No signed-in caller (no principal, or one without an oid/sub claim).',
  ),
  'tenant-not-allowed': runtime(
    403,
    'Tenant not allowed',
    "The caller's directory (tid) is not in `auth.allowedTenants`; nothing ran.",
  ),
  'tenant-not-registered': runtime(
    403,
    'Tenant not registered',
    "With `auth.allowedTenants: 'registry'`: the caller's directory has no record in the tenant registry; nothing ran.",
  ),
  'tenant-suspended': runtime(
    403,
    'Tenant suspended',
    "With `auth.allowedTenants: 'registry'`: the caller's directory is suspended in the tenant registry; nothing ran.",
  ),
  'tenant-admin-required': runtime(
    403,
    'Tenant admin required',
    "`api/tenants` takes the `TenantAdmin` app role of the API's own (home) directory; nothing was read.",
  ),
  'tenant-required': {
    ...runtime(
      403,
      'Tenant required',
      'The caller names no tenant (no tenant claim, no trusted gateway header); with tenants by membership (400), ' +
        'the request names no organization (`X-Atakora-Tenant`) and the caller is a member of none or of several.',
    ),
    alsoStatus: [400],
  },
  'not-a-member': runtime(
    403,
    'Not a member',
    'With tenants by membership: the caller is no member of the organization the request names ' +
      '(`X-Atakora-Tenant`); nothing ran.',
  ),
  'last-owner': runtime(
    409,
    'Last owner',
    'The change would leave the organization without an `Owner` (the last one leaving or demoted); nothing changed.',
  ),
  'organization-not-deleted': runtime(
    409,
    'Organization not deleted',
    '`POST api/tenant/undelete` on an organization no Owner deleted (active, or suspended by the operator); nothing changed.',
  ),
  'organization-deletion-final': runtime(
    410,
    'Organization deletion final',
    "`POST api/tenant/undelete` after the deleted organization's `deleteOn` (`tenants.deleteAfterDays`); nothing changed.",
  ),
  'invitation-email-mismatch': runtime(
    403,
    'Invitation email mismatch',
    "The invitation names another email than the caller's verified one (or the caller's token carries no " +
      'verified email); it stays open for the invited person.',
  ),
  'invitation-expired': runtime(
    410,
    'Invitation expired',
    'The invitation token was used, revoked, or is older than 7 days (or is no token this API issued), or the ' +
      'member who sent it may no longer send it (removed, or their roles no longer grant the invited ones).',
  ),
  'plan-not-for-sale': runtime(
    400,
    'Plan not for sale',
    '`POST api/tenant/billing/checkout` names a plan that is not declared or has no Stripe price ' +
      '(`plans.<name>.stripe.price`); no checkout was opened. Or `GET api/marketplace/landing` resolves a purchase ' +
      'of a Marketplace plan `tenants.billing.marketplace.plans` does not map; nothing was linked or activated.',
  ),
  'billing-customer-missing': runtime(
    409,
    'No billing customer',
    '`POST api/tenant/billing/portal` for an organization with no Stripe customer yet (it never checked out and the ' +
      'operator set none); no portal session was opened.',
  ),
  'subscription-exists': runtime(
    409,
    'Subscription exists',
    '`POST api/tenant/billing/checkout` while the organization has a live subscription (active, trialing, past due, ' +
      "or set to cancel at the period's end): a second one would bill twice; the Customer Portal " +
      '(`POST api/tenant/billing/portal`) changes or cancels the plan. No checkout was opened.',
  ),
  'feature-not-in-plan': runtime(
    402,
    'Feature not in plan',
    "The organization's (or directory's) plan does not include the feature this door needs (`feature`: a " +
      "built-in — 'domains', 'directory', 'scim', 'audit', 'search', 'mcp', 'realtime', 'exports', 'api-keys', 'webhooks' — gating its " +
      'routes, tools and in-process calls); `plans` names the plans that include it and, for an Owner, `checkout` ' +
      'the route that subscribes to one. Nothing was read or changed.',
  ),
  'billing-meter-price-ambiguous': runtime(
    409,
    'Meter price ambiguous',
    '`POST api/tenant/billing/checkout` while a meter the usage export sends has several active prices in Stripe: ' +
      'the server cannot choose which one bills the usage; no checkout was opened (the operator archives all but one).',
  ),
  'billing-unavailable': runtime(
    503,
    'Billing unavailable',
    'Stripe could not be reached or refused the API key (unset, an unresolved Key Vault reference, or revoked); ' +
      'nothing changed. Retry later.',
  ),
  'webhook-signature-invalid': runtime(
    400,
    'Webhook signature invalid',
    "`POST api/billing/stripe` whose `Stripe-Signature` does not verify with the endpoint's signing secret, or is " +
      'older than 300 seconds; nothing was applied.',
  ),
  'billing-channel-taken': runtime(
    409,
    'Billing channel taken',
    'An organization is billed by one channel: a Stripe checkout for an organization an Azure Marketplace ' +
      'subscription bills, or a Marketplace purchase linked to an organization a live Stripe subscription (or another ' +
      'Marketplace subscription) bills; nothing changed.',
  ),
  'marketplace-token-invalid': runtime(
    400,
    'Marketplace purchase not identified',
    '`GET api/marketplace/landing` without a purchase token, or one Marketplace does not resolve (expired after 24 ' +
      'hours, malformed), or one of another offer or of an unsubscribed purchase; nothing changed. Reopen the ' +
      'subscription in the Azure portal or Microsoft 365 admin center and select "Configure account" again.',
  ),
  'marketplace-purchase-claimed': runtime(
    409,
    'Marketplace purchase claimed',
    '`GET api/marketplace/landing` with the token of a purchase linked to an organization the caller is no Owner of: ' +
      'a purchase is claimed once, by whoever opened it first; nothing changed.',
  ),
  'marketplace-unavailable': runtime(
    503,
    'Marketplace unavailable',
    "Azure Marketplace or the publisher tenant could not be reached, or refused the fulfillment app's secret (unset, " +
      'an unresolved Key Vault reference, or revoked); nothing changed. Retry later (Microsoft retries its webhook).',
  ),
  'webhook-token-invalid': runtime(
    401,
    'Webhook token invalid',
    "`POST api/marketplace/webhook` without a bearer token Microsoft's Marketplace signed for this offer's " +
      "fulfillment app (signature by the publisher tenant's keys, `aud`, `tid`, `azp`/`appid`, lifetime); nothing " +
      'was applied.',
  ),
  'organization-limit': runtime(
    409,
    'Organization limit',
    '`POST api/tenants` by a user who owns `tenants.maxOrganizationsPerUser` organizations already (default 10); ' +
      'nothing was created. The operator is not bound.',
  ),
  'invitation-limit': runtime(
    429,
    'Invitation limit',
    'The organization sent `tenants.email.invitationsPerDay` invitation e-mails (sends and resends, default 50) ' +
      'this UTC day; nothing was created or sent. `Retry-After` says when the next UTC day begins.',
  ),
  'domain-taken': runtime(
    409,
    'Domain taken',
    'Another organization has verified this domain (one organization per verified domain): nothing changed. An ' +
      "organization's domain becomes free when it removes it or when its TXT record has been gone for 3 days.",
  ),
  'directory-required': runtime(
    403,
    'Directory required',
    "The organization requires its linked Microsoft Entra directory (`requireDirectory`) and the caller's token " +
      'comes from another (its `tid`): sign in with your account of that directory. An Owner still reaches ' +
      '`api/tenant/directory` to change or unlink it.',
  ),
  'directory-not-yours': runtime(
    403,
    'Directory not yours',
    "`PUT api/tenant/directory` names a `tid` other than the one of the Owner's own token: an Owner links only the " +
      'directory they are signed in from (sign in with an account of that directory, then link it).',
  ),
  'directory-admin-required': runtime(
    403,
    'Directory administrator required',
    '`PUT api/tenant/directory` by an Owner whose token carries no directory role that can consent for the ' +
      'directory (the `wids` claim: Global, Privileged Role, Application or Cloud Application Administrator): a ' +
      "directory's ordinary user cannot route its colleagues into an organization. Ask one of its administrators " +
      'to sign in and link it; nothing changed.',
  ),
  'member-barred': runtime(
    403,
    'Member barred',
    'The person was removed from the organization by an Owner, or deprovisioned by its identity provider (SCIM ' +
      '`active: false`, `DELETE`, or a provisioned user that is inactive): no domain join, join request or ' +
      "directory sign-in admits them again until an Owner invites them (an Admin's invitation does not) or SCIM " +
      're-activates them. Nothing changed.',
  ),
  'directory-taken': runtime(
    409,
    'Directory taken',
    'Another organization has linked this directory (one organization per directory), or this organization links ' +
      'another one (one directory per organization): nothing changed. Unlink the other first ' +
      '(`DELETE api/tenant/directory`).',
  ),
  'directory-not-supported': runtime(
    400,
    'Directory sign-in not supported',
    "`api/tenant/directory` on a backend whose sign-in is not `signInAudience: 'AzureADMultipleOrgs'`: a " +
      'single-tenant or a customers (External ID) sign-in gives every user one and the same directory, so there is ' +
      'none of an organization to link.',
  ),
  'public-domain': runtime(
    400,
    'Public mail domain',
    "The domain is a public mail provider's (gmail.com, outlook.com, …) or one anyone can register under " +
      '(*.onmicrosoft.com): an address there proves nothing about an organization, so it cannot be claimed.',
  ),
  'scim-token-limit': runtime(
    409,
    'SCIM token limit',
    'The organization holds as many SCIM tokens as it may (5): revoke one (`DELETE api/tenant/scim-tokens/{id}`) ' +
      'before issuing another; nothing was created.',
  ),
  'api-key-limit': runtime(
    409,
    'API key limit',
    'The organization holds as many API keys as `tenants.apiKeys.perOrganization` allows (default 20): revoke one ' +
      '(`DELETE api/tenant/api-keys/{id}`) before creating another; nothing was created.',
  ),
  'api-key-invalid': runtime(
    401,
    'API key invalid',
    'The request carried an API key (`Authorization: Bearer atk_…`) that is unknown, revoked, expired, or of an ' +
      'organization that no longer exists; nothing ran.',
  ),
  'api-key-not-allowed': runtime(
    403,
    'API key not allowed',
    "An organization's API key called a route only people use (members, invitations, billing, domains, directory, " +
      'SCIM tokens, API keys, agents, the caller’s own organizations) or the MCP server (`api/mcp`, for people’s ' +
      'agents: a key calls the REST routes its tools mirror), or named another organization than its own; nothing ran.',
  ),
  'webhook-limit': runtime(
    409,
    'Webhook endpoint limit',
    'The organization holds 10 webhook endpoints, as many as it may: delete one (`DELETE api/tenant/webhooks/{id}`) ' +
      'before creating another; nothing was created.',
  ),
  'webhook-url-refused': runtime(
    400,
    'Webhook URL refused',
    'The webhook URL is not https (http only under `atakora dev`), carries a user or password, does not resolve, or ' +
      'resolves to a loopback, private, link-local, reserved or metadata address (loopback allowed under `atakora ' +
      'dev`); nothing was stored.',
  ),
  'webhook-disabled': runtime(
    409,
    'Webhook endpoint disabled',
    'A delivery of a disabled webhook endpoint was asked to be retried: enable the endpoint first (`PATCH ' +
      'api/tenant/webhooks/{id} { "enabled": true }`); nothing was sent.',
  ),
  'agent-token-invalid': runtime(
    401,
    'Agent token invalid',
    "The MCP door was called with one of the backend's own agent access tokens that is expired, not signed by " +
      'this backend, or whose grant was revoked or whose person is no longer a member of its organization; nothing ran.',
  ),
  'signing-key-unavailable': runtime(
    503,
    'Signing key unavailable',
    "An agent token could not be checked: the backend's signing key in Key Vault could not be read (no role, no " +
      'key, disabled, or the vault did not answer); retry after `Retry-After`. Nothing ran.',
  ),
  'agent-token-confined': runtime(
    403,
    'Agent token confined',
    "An agent's access token is accepted only at `api/mcp` and only in its own organization: the request named " +
      'another organization in `X-Atakora-Tenant`; nothing ran.',
  ),
  'domain-txt-missing': runtime(
    409,
    'Domain TXT record missing',
    'The DNS TXT record `_atakora.<domain>` with the value `atakora-verify=…` that `POST api/tenant/domains` answered ' +
      "was not found: publish it at the domain's DNS host, wait for its TTL, and verify again.",
  ),
  'dns-unavailable': runtime(
    503,
    'DNS unavailable',
    "The DNS lookup of the domain's TXT record failed (timed out, refused): nothing changed; retry after the " +
      '`Retry-After` seconds.',
  ),
  'invitation-accepted': runtime(
    409,
    'Invitation accepted',
    'A revoke lost to an acceptance of the same invitation: the invited person is a member now (remove them ' +
      'instead); nothing was revoked.',
  ),
  'invitation-exists': runtime(
    409,
    'Invitation exists',
    'An invitation to that email is still open in the organization: revoke it before inviting again (a second one ' +
      'would pass silently); nothing was created.',
  ),
  'email-not-verified': runtime(
    403,
    'E-mail not verified',
    "Joining by domain needs the caller's *verified* e-mail (the token's `verified_primary_email`, or `email` with " +
      '`xms_edov: true`), and the sign-in proves none: sign in with an account whose e-mail the directory vouches for.',
  ),
  'join-request-exists': runtime(
    409,
    'Join request exists',
    'The caller asked to join this organization already and nobody answered yet (`pending` in `GET api/me/joinable`); ' +
      'nothing was created.',
  ),
  'join-request-expired': runtime(
    410,
    'Join request expired',
    "The request's domain no longer admits joins (removed, unverified by the daily re-check, or its join set to " +
      '`off`): the request is gone and nobody joined.',
  ),
  'already-a-member': runtime(
    409,
    'Already a member',
    'The invited email is a member of the organization already: change their roles instead (accepting would ' +
      'merge roles unsaid); nothing was created.',
  ),
  'tenant-mismatch': runtime(
    403,
    'Tenant mismatch',
    "The body names a `tenantId` (reserved) other than the caller's.",
  ),
  'owner-mismatch': runtime(
    403,
    'Owner mismatch',
    'The body sets the owner field (reserved) to someone else.',
  ),
  'access-denied': runtime(
    403,
    'Access denied',
    'No access rule allows the operation to this caller (the rules that would are in `rules`).',
  ),
  'not-found': runtime(404, 'Not Found', 'No such item — or one the caller may not see.'),
  'method-not-allowed': runtime(
    405,
    'Method Not Allowed',
    'The operation is not enabled (`Allow` lists those that are).',
  ),
  conflict: runtime(409, 'Conflict', 'An item with that id already exists.'),
  'has-children': runtime(
    409,
    'Has children',
    "The item has children under an `onDelete: 'restrict'` relation (named in `relation`); nothing was deleted.",
  ),
  'reference-not-found': runtime(
    422,
    'Reference not found',
    'A `belongsTo`/`file` field names no item (or completed file) the caller can read in its tenant (`field`).',
  ),
  'schema-version-ahead': runtime(
    409,
    'Schema version ahead',
    'The item is stored at a newer schema version than the API serves (a rollback of the code): it reads as ' +
      'stored and no write may change it (`storedVersion` and `currentVersion` name both).',
  ),
  'write-contention': runtime(
    409,
    'Write contention',
    'Concurrent writes kept changing the item; retry.',
  ),
  'precondition-failed': runtime(
    412,
    'Precondition Failed',
    'The item changed since the ETag in If-Match.',
  ),
  'body-too-large': runtime(413, 'Body too large', 'The body is over the size the runtime reads.'),
  'body-too-complex': runtime(
    413,
    'Body too complex',
    'The body has more keys or values than the runtime reads.',
  ),
  'item-too-large': runtime(
    413,
    'Item too large',
    'The item would be larger than Cosmos DB stores.',
  ),
  'item-too-complex': runtime(
    413,
    'Item too complex',
    'The merged item would have more keys or values than the runtime stores.',
  ),
  'unsupported-media-type': runtime(
    415,
    'Unsupported Media Type',
    'The body is not `application/json` (or a `+json` type) in UTF-8.',
  ),
  throttled: runtime(
    429,
    'Too Many Requests',
    'Cosmos DB throttled the request; retry after `Retry-After`.',
  ),
  'rate-limited': runtime(
    429,
    'Rate limited',
    "The caller's directory or organization (its plan's `requestsPerMinute`) or the caller " +
      '(`tenants.perUser.requestsPerMinute`; on the routes that act in no organization, that or 60) made its ' +
      'requests of this UTC minute; retry after `Retry-After` (`RateLimit` says which policy).',
  ),
  'quota-exceeded': runtime(
    429,
    'Quota exceeded',
    "The caller's directory spent its plan's `requestUnitsPerDay` of this UTC day; retry after `Retry-After` " +
      '(when the UTC day ends).',
  ),
  'storage-quota-exceeded': runtime(
    403,
    'Storage quota exceeded',
    "The caller's directory stores its plan's `storageMb`: writes that add bytes are refused, reads and deletes " +
      'go on.',
  ),
  'seat-limit': runtime(
    402,
    'Seat limit reached',
    "The organization has its plan's `members` (seats): no door admits another person — an invitation, its " +
      'acceptance, a domain join, a join request approved, a directory sign-in, a SCIM user — until a member leaves ' +
      'or the plan changes (`plans` names the plans with room, `checkout` the route an Owner upgrades through).',
  ),
  'item-limit': runtime(
    402,
    'Item limit reached',
    "The organization holds its plan's `items` of this CrudApi (`crudApi`, `limit`): creates are refused, reads, " +
      'changes and deletes go on (`plans` names the plans with room, `checkout` the route an Owner upgrades through).',
  ),
  internal: runtime(
    500,
    'Internal Server Error',
    'The runtime failed unexpectedly (never for client input); the logs hold the cause.',
  ),
  'migration-failed': runtime(
    500,
    'Migration failed',
    'A stored item could not be brought to the current schema version: a migration threw, did not settle in ' +
      "the request's budget, or returned an item the schema refuses (`item`, `step` and `field`/`errors` name " +
      'it; the logs hold the cause). The item is never served in a wrong shape.',
  ),
  'database-unavailable': runtime(
    503,
    'Database unavailable',
    'Cosmos DB did not answer in time; retry after `Retry-After`.',
  ),
  'invalid-file': runtime(
    400,
    'Invalid file',
    'A FileStore upload names no file name, content type or size, or one of them is malformed.',
  ),
  'upload-missing': runtime(
    409,
    'Upload missing',
    'A FileStore completion found no blob at the upload URL: PUT the file there first.',
  ),
  'upload-mismatch': runtime(
    409,
    'Upload mismatch',
    'The stored blob is not the one declared at creation (size or type); it was not kept.',
  ),
  'file-too-large': runtime(
    413,
    'File too large',
    "The file is over the FileStore's maxSizeMb; nothing is kept.",
  ),
  'file-type-refused': runtime(
    415,
    'File type refused',
    "The file's content type is not one of the FileStore's contentTypes; nothing is kept.",
  ),
  'upload-in-progress': runtime(
    409,
    'Upload in progress',
    'Another completion of the FileStore upload is running, or its bytes changed meanwhile; complete it again.',
  ),
  'too-many-uploads': runtime(
    429,
    'Too many uploads',
    "The caller has the FileStore's maxPendingUploads declared and not completed, or holds twice that many " +
      'upload URLs (each counts for its 15 minutes); retry after `Retry-After`.',
  ),
  'realtime-unavailable': runtime(
    503,
    'Realtime unavailable',
    'The Web PubSub service did not mint a client token in time (`Retry-After` says when to retry).',
  ),
  'too-many-connections': runtime(
    429,
    'Too many connections',
    "The tenant's live realtime connections reached its plan's `realtimeConnections`, or the caller's reached " +
      "`tenants.perUser.realtimeConnections` (counted from the service's connect/disconnect events); close one, or " +
      'retry after `Retry-After`.',
  ),
  'realtime-event-refused': runtime(
    403,
    'Realtime event refused',
    "A request to `api/realtime/events` that is not from the backend's Web PubSub (its managed identity in the " +
      'home directory; under `atakora dev`, the local hub), or whose abuse-protection origin is not the service.',
  ),
  'realtime-event-invalid': runtime(
    400,
    'Realtime event invalid',
    'A connection event of the Web PubSub service without a known `ce-type`, this hub, a connection id, or a ' +
      '`ce-userId` that negotiate minted.',
  ),
  'storage-unavailable': runtime(
    503,
    'Storage unavailable',
    'Blob Storage did not answer in time; retry after `Retry-After`.',
  ),
  'embedding-unavailable': runtime(
    503,
    'Embedding unavailable',
    "Azure OpenAI did not embed an item's `embed.from` text or a search's query text (throttled, unreachable, " +
      'the identity lacks its role, or no vector of the declared dimensions came back): nothing was written or ' +
      'searched — retry after `Retry-After`, or send the search its `vector`.',
  ),
  'embedding-refused': runtime(
    400,
    'Embedding refused',
    "Azure OpenAI refused the item's `embed.from` text itself (over the model's 8,192 tokens, or a content " +
      'filter); nothing was written — shorten or change it.',
  ),
  'bad-host': dev(400, 'Bad Host', 'atakora dev: the Host header is missing or not a host name.'),
  'bad-path': dev(400, 'Bad path', 'atakora dev: the path has malformed percent-encoding.'),
  'invalid-json': dev(
    400,
    'Invalid JSON',
    'atakora dev: an admin invocation body is not a JSON object.',
  ),
  'admin-key-required': dev(
    403,
    'Admin key required',
    'atakora dev: invoking a function without the admin key or a trusted JSON request.',
  ),
  'sas-required': dev(
    403,
    'SAS required',
    "atakora dev's blob door: a request not signed by a SAS for one blob (a list, a container, OAuth).",
  ),
  'misdirected-request': dev(
    421,
    'Misdirected Request',
    'atakora dev: the Host header names another host than loopback.',
  ),
} satisfies Record<string, ProblemSpec>);

/**
 * A problem type's code: `'not-found'`, `'tenant-not-allowed'`, … (the keys of {@link PROBLEMS}).
 *
 * @example
 * ```ts
 * const code: ProblemCode = 'access-denied';
 * ```
 */
export type ProblemCode = keyof typeof PROBLEMS;

/**
 * The codes the runtime can send (every `runtime` row of {@link PROBLEMS}): what the OpenAPI document lists.
 *
 * @example
 * ```ts
 * const code: RuntimeProblemCode = 'not-found';
 * ```
 */
export type RuntimeProblemCode = {
  [C in ProblemCode]: (typeof PROBLEMS)[C]['from'] extends 'runtime' ? C : never;
}[ProblemCode];

/**
 * Whether a string is a code of the table (the client narrows a response's type URN with it).
 *
 * @example
 * ```ts
 * isProblemCode('not-found'); // true
 * ```
 */
export function isProblemCode(code: string): code is ProblemCode {
  return Object.hasOwn(PROBLEMS, code);
}

/**
 * The runtime's codes by status, in table order: what the OpenAPI document's `Problem<status>` responses list.
 *
 * @example
 * ```ts
 * runtimeProblemsByStatus().get(412); // ['precondition-failed']
 * ```
 */
export function runtimeProblemsByStatus(): ReadonlyMap<number, readonly RuntimeProblemCode[]> {
  const out = new Map<number, RuntimeProblemCode[]>();
  for (const [code, spec] of Object.entries(PROBLEMS) as [ProblemCode, ProblemSpec][]) {
    if (spec.from !== 'runtime') continue;
    for (const status of [spec.status, ...(spec.alsoStatus ?? [])]) {
      const list = out.get(status) ?? [];
      list.push(code as RuntimeProblemCode);
      out.set(status, list);
    }
  }
  return new Map([...out].sort(([a], [b]) => a - b));
}

/**
 * The `title` of a status (the client's fallback for an answer without a problem body, a proxy's 502).
 *
 * @example
 * ```ts
 * PROBLEM_TITLES[412]; // 'Precondition Failed'
 * ```
 */
export const PROBLEM_TITLES: Readonly<Record<number, string>> = Object.freeze({
  400: 'Bad Request',
  401: 'Unauthorized',
  402: 'Payment Required',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  410: 'Gone',
  412: 'Precondition Failed',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  421: 'Misdirected Request',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
});

/**
 * An RFC 9457 problem document built from a code: status and title from {@link PROBLEMS}, the detail of this
 * occurrence, and extensions. The one shape of every error body, from the runtime and `atakora dev` alike.
 *
 * @example
 * ```ts
 * problemDocument('not-found', 'No note n1.');
 * // { type: 'urn:atakora:problem:not-found', title: 'Not Found', status: 404, detail: 'No note n1.' }
 * ```
 */
export function problemDocument(
  code: ProblemCode,
  detail: string,
  extensions: Readonly<Record<string, unknown>> = {},
  status?: number,
): {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  readonly [extension: string]: unknown;
} {
  const spec: ProblemSpec = PROBLEMS[code];
  return {
    type: PROBLEM_PREFIX + code,
    title: spec.title,
    // Another status only where the table lists it for this type.
    status: status !== undefined && spec.alsoStatus?.includes(status) ? status : spec.status,
    detail,
    ...extensions,
  };
}

const COMMON = [400, 401, 403, 429, 503] as const;

/**
 * The error statuses each action can answer besides its success (all as `application/problem+json`).
 *
 * @example
 * ```ts
 * ACTION_ERRORS.replace.includes(412); // true: a stale If-Match
 * ```
 */
export const ACTION_ERRORS: Readonly<Record<CrudAction, readonly number[]>> = Object.freeze({
  list: [...COMMON, 500],
  create: [...COMMON, 409, 413, 415, 500],
  get: [...COMMON, 404, 500],
  replace: [...COMMON, 404, 409, 412, 413, 415, 500],
  update: [...COMMON, 404, 409, 412, 413, 415, 500],
  delete: [...COMMON, 404, 412, 500],
});
