import { describe, expect, it } from 'vitest';
import { defineBackend } from '../../src/backend/define-backend.js';
import { CrudApi } from '../../src/components/crud/index.js';
import { siteRealtimeOrigins } from '../../src/kit/pure/site-config.js';
import { siteSecurityHeaders } from '../../src/kit/pure/site-headers.js';

const notes = (realtime: boolean) =>
  CrudApi.define('NoteApi', { entityName: 'Note', schema: { id: 'string' }, realtime });

describe("a site's CSP and the backend's Web PubSub", () => {
  it('names the service’s WebSocket origin once its name is known, nothing without realtime', () => {
    const plan = defineBackend({ notes: notes(true) }, { naming: { uniqueSeed: 's' } }).plan();
    const name = plan.resources.find((r) => r.type === 'webpubsub')!.name;
    expect(siteRealtimeOrigins(plan, (r) => r.name)).toEqual([`wss://${name}.webpubsub.azure.com`]);
    // An unresolved Terraform reference is no origin.
    expect(siteRealtimeOrigins(plan, () => '${azurerm_web_pubsub.x.name}')).toEqual([]);
    const off = defineBackend({ notes: notes(false) }).plan();
    expect(siteRealtimeOrigins(off, (r) => r.name)).toEqual([]);
  });

  it('adds socket origins to connect-src only', () => {
    const csp = siteSecurityHeaders(['https://api'], [], ['wss://wps-x.webpubsub.azure.com'])[
      'Content-Security-Policy'
    ]!;
    expect(csp).toContain(
      "connect-src 'self' https://api wss://wps-x.webpubsub.azure.com https://login.microsoftonline.com",
    );
    expect(csp).toContain("img-src 'self' data:;");
  });
});
