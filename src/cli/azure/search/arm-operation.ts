import type { ErrorCode } from '../../../model/error-codes.js';
import { AtakoraError } from '../../../model/errors.js';
import { armCall, type ArmSession } from '../cosmos-accounts.js';
import { azureOk } from '../http.js';

/** How a deploy step waits for Resource Manager's long-running operations. */
export interface ArmWaitOptions {
  readonly log: (line: string) => void;
  /** Between two looks at an operation (default 5 s). */
  readonly pollMs?: number;
  /** Give up after (default 10 min). */
  readonly timeoutMs?: number;
}

/**
 * A write through Resource Manager (its URL already naming its api-version), waited for: the operation's
 * `Azure-AsyncOperation` polled until `Succeeded` (Learn, "Track asynchronous Azure operations",
 * https://learn.microsoft.com/azure/azure-resource-manager/management/async-operations), or done at once without one.
 * `Failed`, `Canceled` or no end within the timeout is a `code` error naming the call and Azure's message.
 *
 * @example
 * ```ts
 * await armWrite(session, 'PUT', `${url}?api-version=2025-10-15`, body, 'creating ticket', options, 'SEARCH_CONTAINER_DEPLOY_FAILED');
 * ```
 */
export async function armWrite(
  s: ArmSession,
  method: 'PUT' | 'PATCH' | 'POST',
  url: string,
  json: unknown,
  what: string,
  o: ArmWaitOptions,
  code: ErrorCode,
): Promise<void> {
  const answer = await azureOk(armCall(s, what, url, { method, json }));
  const statusUrl = answer.headers.get('azure-asyncoperation');
  if (!statusUrl) return;
  const start = Date.now();
  for (;;) {
    const poll = await azureOk(armCall(s, `${what} (status)`, statusUrl));
    const body = (poll.json() ?? {}) as { status?: string; error?: { message?: string } };
    if (body.status === 'Succeeded') return;
    if (
      body.status === 'Failed' ||
      body.status === 'Canceled' ||
      Date.now() - start > (o.timeoutMs ?? 600_000)
    )
      throw new AtakoraError(
        code,
        `${what}: Resource Manager reports ${body.status ?? 'no status'}${body.error?.message ? ` (${body.error.message})` : ''}.`,
        { path: ['deploy'] },
      );
    await new Promise((r) => setTimeout(r, o.pollMs ?? 5000));
  }
}
