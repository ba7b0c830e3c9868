/**
 * The Azure OpenAI embedding client: the official `openai` SDK's `AzureOpenAI` (an optional peer, `^6.0.0`; a file
 * of its own beside the package's `index.js`, packaging/esm-package.ts `OPENAI_FILE`), imported by embedder-of.ts
 * only at an app's first embedding — an app without `search.vector.embed` never loads it. The constructor options
 * used here (`endpoint`, `apiVersion`, `deployment`, `azureADTokenProvider`, `apiKey`, `maxRetries`, `timeout`) are
 * the package README's "Microsoft Azure OpenAI" section and azure.d.ts at 6.49.0; 6.0.0's one breaking change was
 * in the Responses API's types (its CHANGELOG), so they are 6.0.0's too.
 */
import { APIError, AzureOpenAI } from 'openai';
import {
  DefaultAzureCredential,
  getBearerTokenProvider,
  ManagedIdentityCredential,
} from '@azure/identity';
import { EmbeddingError, type Embedder } from './embed-types.js';

/**
 * The data-plane inference API version: the latest GA release Learn's "Azure OpenAI in Azure AI Foundry Models REST
 * API reference" documents, whose `Embeddings - Create` (`POST {endpoint}/openai/deployments/{deployment-id}/
 * embeddings?api-version=2024-10-21`) takes `input`, `dimensions` (text-embedding-3 and later) and
 * `encoding_format`.
 */
export const OPENAI_API_VERSION = '2024-10-21';

/** The scope of an Entra ID token for Azure AI services (Learn, "How to configure Azure OpenAI with Microsoft Entra ID"). */
export const COGNITIVE_SERVICES_SCOPE = 'https://cognitiveservices.azure.com/.default';

/** Where, as whom and how the SDK embeds. */
export interface AzureOpenAiEmbedderOptions {
  /** The account's endpoint (`https://<subdomain>.openai.azure.com/`) or a loopback stand-in's. */
  readonly endpoint: string;
  readonly deployment: string;
  /** Sent as the request's `dimensions` (only for models that shorten); the answer must have this many. */
  readonly dimensions: number;
  readonly sendDimensions: boolean;
  /** The identity holding the OpenAI user role (user-assigned); absent → `DefaultAzureCredential`. */
  readonly clientId?: string;
  /** Only for a loopback `http:` stand-in: a placeholder key (Azure's accounts have key auth off). */
  readonly apiKey?: string;
  /** The SDK's retries of a 408/409/429/5xx or a lost connection (default 2) and each try's timeout. */
  readonly maxRetries?: number;
  readonly timeoutMs?: number;
}

/** One embedding call may take this long, retries included, before a write answers 503. */
const DEFAULT_TIMEOUT_MS = 10_000;

/**
 * An {@link Embedder} through `client.embeddings.create` with the app's managed identity (Entra ID bearer tokens
 * from `getBearerTokenProvider`, no key anywhere). `encoding_format: 'float'` is asked for: the SDK otherwise asks
 * for base64 and decodes it, which a stand-in would have to mimic. A 400 is the text's fault
 * (`EmbeddingError('input')`); anything else after the SDK's retries, or an answer of the wrong length, is
 * `EmbeddingError('unavailable')`.
 *
 * @example
 * ```ts
 * const embedder = azureOpenAiEmbedder({ endpoint: 'https://oai-x.openai.azure.com/', deployment: 'embed', dimensions: 1536, sendDimensions: true });
 * ```
 */
export function azureOpenAiEmbedder(options: AzureOpenAiEmbedderOptions): Embedder {
  const auth = options.apiKey
    ? { apiKey: options.apiKey }
    : {
        azureADTokenProvider: getBearerTokenProvider(
          options.clientId
            ? new ManagedIdentityCredential({ clientId: options.clientId })
            : new DefaultAzureCredential(),
          COGNITIVE_SERVICES_SCOPE,
        ),
      };
  const client = new AzureOpenAI({
    endpoint: options.endpoint,
    apiVersion: OPENAI_API_VERSION,
    deployment: options.deployment,
    maxRetries: options.maxRetries ?? 2,
    timeout: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    ...auth,
  });
  return {
    async embed(text) {
      let data: { embedding: unknown }[];
      try {
        ({ data } = await client.embeddings.create({
          model: options.deployment,
          input: text,
          encoding_format: 'float',
          ...(options.sendDimensions ? { dimensions: options.dimensions } : {}),
        }));
      } catch (e) {
        throw reasonOf(e);
      }
      const vector = data[0]?.embedding;
      if (
        !Array.isArray(vector) ||
        vector.length !== options.dimensions ||
        !vector.every((x) => typeof x === 'number' && Number.isFinite(x))
      )
        throw new EmbeddingError(
          'unavailable',
          `the embedding service answered a vector of ${Array.isArray(vector) ? String(vector.length) : 'no'} numbers, not ${String(options.dimensions)}`,
        );
      return vector as number[];
    },
  };
}

/** What a failed SDK call says, without the text or a token: the status and the service's error code. */
function reasonOf(e: unknown): EmbeddingError {
  if (e instanceof APIError && typeof e.status === 'number') {
    const code = typeof e.code === 'string' ? ` (${e.code})` : '';
    return e.status === 400
      ? new EmbeddingError('input', `the embedding service refused the text${code}`)
      : new EmbeddingError(
          'unavailable',
          `the embedding service answered ${String(e.status)}${code}`,
        );
  }
  const name = (e as { name?: unknown })?.name;
  if (name === 'APIConnectionTimeoutError')
    return new EmbeddingError('unavailable', 'the embedding service did not answer in time');
  return new EmbeddingError('unavailable', 'the embedding service could not be reached');
}
