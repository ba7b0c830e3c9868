import { readFileSync } from 'node:fs';
import { Agent } from 'node:https';
import { createSecureContext, rootCertificates, type SecureContext } from 'node:tls';
import type { CosmosClient } from '@azure/cosmos';
import { deployerCredential } from './credentials.js';
import { ENDPOINT_VARIABLES, cosmosEndpoint } from './endpoints.js';

export type { Container, CosmosClient, FeedResponse } from '@azure/cosmos';

/** A Cosmos DB client and what to close with it. */
export interface CosmosConnection {
  /** The endpoint the client calls (the account's, or the override's). */
  readonly endpoint: string;
  readonly client: CosmosClient;
  readonly dispose: () => void;
}

/**
 * A client of a deployed account's data plane as the deployer (Entra data-plane RBAC: the token comes from the
 * deployer's identity through the CLI's one token cache, credentials.ts; `onSignInError` turns a failure to get one
 * into the command's error). `ATAKORA_COSMOS_ENDPOINT` replaces the account's endpoint (`{account}`: its name; a
 * stand-in, a proxy), and with it `ATAKORA_COSMOS_CA` names a PEM file of a certificate authority trusted besides
 * the system's — checks stay on: the token never goes over plain HTTP nor to an unverified host. The SDK is loaded
 * on first use.
 *
 * @example
 * ```ts
 * const { client, dispose } = await deployerCosmos('https://cosmos-a.documents.azure.com:443/', process.env);
 * ```
 */
export async function deployerCosmos(
  accountEndpoint: string,
  env: NodeJS.ProcessEnv,
  onSignInError?: (e: unknown) => Error,
): Promise<CosmosConnection> {
  const { CosmosClient } = await import('@azure/cosmos');
  const endpoint = cosmosEndpoint(accountEndpoint, env);
  const ca = env[ENDPOINT_VARIABLES.cosmosCa];
  const agent =
    ca && env[ENDPOINT_VARIABLES.cosmos] && !endpoint.startsWith('http:')
      ? new Agent({
          secureContext: trusting([...rootCertificates, readFileSync(ca, 'utf8')]),
          keepAlive: true,
        })
      : undefined;
  const client = new CosmosClient({
    endpoint,
    aadCredentials: deployerCredential(env, onSignInError),
    // The one endpoint given: no region discovery (a stand-in or proxy has no other regions to offer).
    connectionPolicy: { enableEndpointDiscovery: false },
    ...(agent ? { agent } : {}),
  });
  return {
    endpoint,
    client,
    dispose: () => {
      client.dispose();
      agent?.destroy();
    },
  };
}

/**
 * A client of `atakora dev`'s local Cosmos DB server: its key, and the session's loopback certificate as the only
 * authority trusted (checks on). The SDK is loaded on first use.
 *
 * @example
 * ```ts
 * const { client } = await localCosmos({ endpoint: state.cosmos.endpoint, key: state.cosmos.key, ca: state.cosmos.ca });
 * ```
 */
export async function localCosmos(server: {
  readonly endpoint: string;
  readonly key: string;
  readonly ca: string;
}): Promise<CosmosConnection> {
  const { CosmosClient } = await import('@azure/cosmos');
  const agent = new Agent({ secureContext: trusting([server.ca]), keepAlive: true });
  const client = new CosmosClient({
    endpoint: server.endpoint,
    key: server.key,
    agent,
    connectionPolicy: { enableEndpointDiscovery: false },
  });
  return {
    endpoint: server.endpoint,
    client,
    dispose: () => {
      client.dispose();
      agent.destroy();
    },
  };
}

/** By the PEM texts trusted, in order. */
const contexts = new Map<string, SecureContext>();

/**
 * One TLS context per set of trusted authorities, made once: given `ca`, Node makes a new context for every
 * connection, parsing each certificate again — with the system's ~140 roots that was most of a `tenant` command's
 * CPU against a stand-in (measured in docs/performance.md). Only `ca` goes in, so the other TLS defaults stay.
 */
function trusting(ca: readonly string[]): SecureContext {
  const key = ca.join('\n');
  const known = contexts.get(key);
  if (known) return known;
  const made = createSecureContext({ ca: [...ca] });
  contexts.set(key, made);
  return made;
}
