/**
 * The one shape of a failed call to Azure from the CLI: which service, what was asked, and what came back (an
 * HTTP status with the start of the body and the service's own error code and message), or no answer at all (the
 * network error's code: `ENOTFOUND`, `ECONNREFUSED`, `UND_ERR_CONNECT_TIMEOUT`, `TimeoutError`). Every call in
 * `cli/azure/` fails with it; a command turns it into an `AtakoraError` with its own code and fix, reading the
 * fields rather than the message.
 *
 * @example
 * ```ts
 * try { await restartSite(site); } catch (e) { if (e instanceof AzureRequestError && e.status === 404) … }
 * ```
 */
export class AzureRequestError extends Error {
  override readonly name = 'AzureRequestError';
  /** `Resource Manager`, `Microsoft Graph`, `Key Vault`, `Storage`, `Cosmos DB`, `One Deploy`, `Log Analytics`, … */
  readonly service: string;
  /** What was asked, in words (`POST …/restart`, `listing secrets`). */
  readonly what: string;
  /** The HTTP status, or undefined when nothing answered. */
  readonly status: number | undefined;
  /** The first 300 characters of the answer's body. */
  readonly body: string;
  /** The service's error code and message (`{ error: { code, message } }`), when it sent them. */
  readonly azureCode: string | undefined;
  readonly azureMessage: string | undefined;
  /** When nothing answered: the network error's code (`ENOTFOUND`, `ECONNREFUSED`, `TimeoutError`, …). */
  readonly network: string | undefined;

  constructor(
    service: string,
    what: string,
    answer:
      | { readonly status: number; readonly body: string }
      | { readonly cause: unknown; readonly status?: undefined },
  ) {
    const cause = 'cause' in answer ? answer.cause : undefined;
    super(
      answer.status === undefined
        ? firstLine(cause)
        : `HTTP ${String(answer.status)} ${answer.body.slice(0, 300)}`.trim(),
      cause === undefined ? undefined : { cause },
    );
    this.service = service;
    this.what = what;
    this.status = answer.status;
    this.body = answer.status === undefined ? '' : answer.body.slice(0, 300);
    const error = answer.status === undefined ? undefined : azureError(answer.body);
    this.azureCode = error?.code;
    this.azureMessage = error?.message;
    this.network =
      answer.status === undefined
        ? ((cause as { cause?: { code?: string } } | undefined)?.cause?.code ??
          (cause as { name?: string } | undefined)?.name)
        : undefined;
  }
}

/** The `{ error: { code, message } }` most Azure services answer a failure with (Graph, ARM, Key Vault, Kudu). */
function azureError(body: string): { code?: string; message?: string } | undefined {
  try {
    const e = (JSON.parse(body) as { error?: { code?: unknown; message?: unknown } } | null)?.error;
    if (!e || typeof e !== 'object') return undefined;
    return {
      ...(typeof e.code === 'string' ? { code: e.code } : {}),
      ...(typeof e.message === 'string' ? { message: e.message } : {}),
    };
  } catch {
    return undefined;
  }
}

/**
 * The first line of an error's message (Azure SDK and fetch errors run to many lines).
 *
 * @example
 * ```ts
 * firstLine(new Error('fetch failed\n  at …')); // 'fetch failed'
 * ```
 */
export function firstLine(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e);
  const end = text.indexOf('\n');
  return end < 0 ? text : text.slice(0, end);
}
