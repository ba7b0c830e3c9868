import type { HttpRequest, HttpResponseInit } from '@azure/functions';

/** A minimal HTTP handler for the check:terraform fixtures (its code is packaged, never run there). */
export default async function hello(request: HttpRequest): Promise<HttpResponseInit> {
  return { status: 200, jsonBody: { path: new URL(request.url).pathname } };
}
