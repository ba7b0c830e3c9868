/**
 * HTTP function of the order-processing example: `GET api/order-status/{id}` answers with the order's
 * processing status (a fixed 'queued' here; a real one would read the OrderApi's container) and who asked.
 */
import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';

/** The caller's name from the header App Service authentication injects (base64 JSON of the token's claims). */
function callerName(request: HttpRequest): string {
  const header = request.headers.get('x-ms-client-principal');
  if (!header) return 'anonymous';
  try {
    const principal = JSON.parse(Buffer.from(header, 'base64').toString('utf8')) as {
      claims?: { typ: string; val: string }[];
    };
    return principal.claims?.find((c) => c.typ === 'name')?.val ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

export default async function orderStatus(
  request: HttpRequest,
  context: InvocationContext,
): Promise<HttpResponseInit> {
  const id = request.params['id'] ?? '';
  context.log(JSON.stringify({ component: 'OrderWorker', operation: 'order-status', id }));
  await Promise.resolve();
  if (!/^[A-Za-z0-9-]{1,64}$/.test(id))
    return { status: 400, jsonBody: { error: 'id must be 1-64 letters, digits or "-"' } };
  // The FunctionsApp's environmentVariables keep their names: TRACKING_URL, not ORDER_WORKER_TRACKING_URL.
  const tracking = `${process.env['TRACKING_URL'] ?? ''}/${id}`;
  return {
    status: 200,
    jsonBody: { id, status: 'queued', requestedBy: callerName(request), tracking },
  };
}
