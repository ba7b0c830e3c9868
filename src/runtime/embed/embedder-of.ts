import { EMBEDDING_MODELS, OPENAI_ENDPOINT_SETTING } from '../../model/embedding-models.js';
import type { RuntimeEntity } from '../../model/runtime-manifest.js';
import type { Embedder } from './embed-types.js';
import { localEmbedder } from './local-embedder.js';

/** A placeholder key for a loopback stand-in: never a real key (Azure's accounts take none: key auth is off). */
const STAND_IN_KEY = 'atakora-stand-in';

/** What {@link embedderOf} may be given besides the settings. */
export interface EmbedderOptions {
  /** The SDK's retries and each try's timeout (tests make them short; Azure keeps the defaults). */
  readonly maxRetries?: number;
  readonly timeoutMs?: number;
}

/**
 * The embedder of an entity whose search embeds (undefined otherwise), as `env` says: with
 * `ATAKORA_OPENAI_ENDPOINT` the official `openai` SDK against it — in Azure the account's `https:` endpoint with
 * the entity's own managed identity (the client id its `settings.clientId` setting holds), a loopback `http:`
 * stand-in with a placeholder key — else the local deterministic embedder (`atakora dev`, tests). The SDK is
 * imported at the first embedding only, so an app without `embed` never loads it.
 *
 * @example
 * ```ts
 * const embedder = embedderOf(entity, process.env);
 * const vector = await embedder?.embed('login fails on Safari');
 * ```
 */
export function embedderOf(
  entity: RuntimeEntity,
  env: Readonly<Record<string, string | undefined>>,
  options: EmbedderOptions = {},
): Embedder | undefined {
  const vector = entity.search?.vector;
  const embed = vector?.embed;
  if (!vector || !embed) return undefined;
  const endpoint = env[OPENAI_ENDPOINT_SETTING]?.trim();
  if (!endpoint) return localEmbedder(vector.dimensions);
  const clientSetting = entity.settings.clientId;
  const clientId = clientSetting ? env[clientSetting]?.trim() : undefined;
  let loaded: Promise<Embedder> | undefined;
  const load = async (): Promise<Embedder> => {
    const { azureOpenAiEmbedder } = await import('./atakora-openai.js');
    const insecure = new URL(endpoint).protocol === 'http:';
    return azureOpenAiEmbedder({
      endpoint,
      deployment: embed.deployment,
      dimensions: vector.dimensions,
      sendDimensions: EMBEDDING_MODELS[embed.model].shortens,
      ...(insecure ? { apiKey: STAND_IN_KEY } : clientId ? { clientId } : {}),
      ...(options.maxRetries !== undefined ? { maxRetries: options.maxRetries } : {}),
      ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
    });
  };
  return {
    embed: async (text) => {
      loaded ??= load();
      return (await loaded).embed(text);
    },
  };
}
