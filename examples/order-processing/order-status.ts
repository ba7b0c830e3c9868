/**
 * HTTP function of the order-processing example: `GET api/order-status/{id}` answers with the order's
 * processing status (a fixed 'queued' here; a real one would read the OrderApi's container).
 */
import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';

export default async function orderStatus(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  const id = request.params['id'] ?? '';
  context.log(JSON.stringify({ component: 'OrderWorker', operation: 'order-status', id }));
  await Promise.resolve();
  if (!/^[A-Za-z0-9-]{1,64}$/.test(id)) return { status: 400, jsonBody: { error: 'id must be 1-64 letters, digits or "-"' } };
  return { status: 200, jsonBody: { id, status: 'queued' } };
}
