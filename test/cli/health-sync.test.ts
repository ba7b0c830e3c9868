import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { confirm } from '../../src/cli/shared/confirm.js';
import { verifyHealth } from '../../src/cli/deploy/health-verify.js';
import { syncTriggers } from '../../src/cli/azure/trigger-sync.js';
import {
  SYNC_TRIGGERS_API_VERSION,
  syncTriggersUrl,
  triggerSyncRequests,
} from '../../src/cli/azure/trigger-sync-requests.js';

// Local servers on 127.0.0.1 standing in for the deployed app (GET api/health) and for Resource Manager.
const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

async function serve(
  handler: (req: IncomingMessage, body: string) => [number, string],
): Promise<string> {
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => {
      body += c.toString();
    });
    req.on('end', () => {
      const [status, text] = handler(req, body);
      res.writeHead(status, { 'content-type': 'application/json' }).end(text);
    });
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('verifyHealth: GET <app>/api/health until 200', () => {
  it('an app that answers 503 twice, then 200, is healthy on the third attempt', async () => {
    let calls = 0;
    const paths: string[] = [];
    const base = await serve((req) => {
      paths.push(`${req.method} ${req.url}`);
      return ++calls < 3 ? [503, '{"status":"unavailable"}'] : [200, '{"status":"ok"}'];
    });
    const attempts: string[] = [];
    const [r] = await verifyHealth([{ app: 'func-a', url: `${base}/api/health` }], {
      timeoutMs: 60_000,
      initialDelayMs: 20,
      onAttempt: (_t, n, last) => attempts.push(`${n}:${last}`),
    });
    expect(r).toMatchObject({ app: 'func-a', ok: true, attempts: 3, last: 'HTTP 200' });
    expect(attempts).toEqual(['1:HTTP 503', '2:HTTP 503']);
    expect(paths).toEqual(['GET /api/health', 'GET /api/health', 'GET /api/health']);
  });

  it('an app that never answers 200 fails within the timeout, with the last answer', async () => {
    const base = await serve(() => [500, '{}']);
    const [r] = await verifyHealth([{ app: 'func-b', url: `${base}/api/health` }], {
      timeoutMs: 400,
      initialDelayMs: 50,
    });
    expect(r).toMatchObject({ ok: false, last: 'HTTP 500' });
    // Waits of 50, 100, 200 and the last 50 ms clipped to the 400 ms deadline: at most five tries, then it stops
    // (counted, not timed, so a loaded machine cannot fail it; one that kept trying would exceed five).
    expect(r!.attempts).toBeGreaterThanOrEqual(1);
    expect(r!.attempts).toBeLessThanOrEqual(5);
  });

  it('nothing listening: the network error is the answer', async () => {
    const base = await serve(() => [200, '{}']);
    await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
    const [r] = await verifyHealth([{ app: 'func-c', url: `${base}/api/health` }], {
      timeoutMs: 200,
      initialDelayMs: 50,
    });
    expect(r).toMatchObject({ ok: false, last: 'ECONNREFUSED' });
  });
});

describe('syncTriggers: POST …/syncfunctiontriggers through Resource Manager, from the stack outputs', () => {
  const id = (app: string) =>
    `/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-backend-prod/providers/Microsoft.Web/sites/${app}`;
  // `terraform output -json` of an applied stack: one sync output per Function App, beside other outputs.
  const outputs = {
    atakora_sync_triggers_functions_shared: {
      sensitive: false,
      type: ['object', { package_md5: 'string', resource_id: 'string' }],
      value: {
        resource_id: id('func-backend-prod-abc123'),
        package_md5: '0cc175b9c0f1b6a831c399e269772661',
      },
    },
    userApi_apiEndpoint: {
      sensitive: false,
      type: 'string',
      value: 'https://func-backend-prod-abc123.azurewebsites.net/api/users',
    },
  };
  const two = {
    ...outputs,
    atakora_sync_triggers_functions_py: { value: { resource_id: id('func-2'), package_md5: '' } },
  };

  it(`posts to the app's resource id from the outputs, with the bearer token and api-version ${SYNC_TRIGGERS_API_VERSION}`, async () => {
    const seen: { method?: string; url?: string; auth?: string }[] = [];
    const endpoint = await serve((req) => {
      seen.push({ method: req.method, url: req.url, auth: req.headers.authorization });
      return [200, ''];
    });
    const [r] = await syncTriggers(outputs, { endpoint, token: async () => 'tok', env: {} });
    const url = `${id('func-backend-prod-abc123')}/syncfunctiontriggers?api-version=${SYNC_TRIGGERS_API_VERSION}`;
    expect(r).toEqual({
      app: 'func-backend-prod-abc123',
      url: `${endpoint}${url}`,
      ok: true,
      detail: 'HTTP 200',
    });
    expect(seen).toEqual([{ method: 'POST', url, auth: 'Bearer tok' }]);
    // The same URL the public helper derives for that endpoint: one source of truth.
    expect(r!.url).toBe(triggerSyncRequests(outputs, endpoint)[0]!.url);
  });

  it('a refusal is reported with its status and body, not thrown; the endpoint and token come from ATAKORA_ARM_*', async () => {
    const endpoint = await serve(() => [403, '{"error":{"code":"AuthorizationFailed"}}']);
    const [r] = await syncTriggers(outputs, {
      env: { ATAKORA_ARM_ENDPOINT: `${endpoint}/`, ATAKORA_ARM_TOKEN: 'x' },
    });
    expect(r).toMatchObject({
      ok: false,
      url: syncTriggersUrl(id('func-backend-prod-abc123'), endpoint),
    });
    expect(r!.detail).toContain('HTTP 403');
    expect(r!.detail).toContain('AuthorizationFailed');
  });

  it('no token: every app reported, none posted; no sync outputs: nothing to do, no token asked for', async () => {
    let posted = 0;
    const endpoint = await serve(() => {
      posted++;
      return [200, ''];
    });
    const rs = await syncTriggers(two, {
      endpoint,
      token: async () => {
        throw new Error('no credential\nmore');
      },
    });
    expect(rs.map((r) => [r.app, r.ok, r.detail])).toEqual([
      ['func-2', false, 'no Azure Resource Manager token: no credential'],
      ['func-backend-prod-abc123', false, 'no Azure Resource Manager token: no credential'],
    ]);
    let asked = 0;
    expect(
      await syncTriggers(
        { userApi_apiEndpoint: outputs.userApi_apiEndpoint },
        {
          endpoint,
          token: async () => {
            asked++;
            return 't';
          },
        },
      ),
    ).toEqual([]);
    expect([posted, asked]).toEqual([0, 0]);
  });
});

describe('confirm: y/N on a terminal', () => {
  const ask = async (input: string | null) => {
    const stdin = new PassThrough();
    let written = '';
    const answer = confirm('Apply these changes to backend-prod?', stdin, (s) => {
      written += s;
    });
    if (input === null) stdin.end();
    else stdin.write(input);
    return { yes: await answer, written };
  };
  it('y and yes are yes; anything else, an empty line or end of input is no', async () => {
    expect((await ask('y\n')).yes).toBe(true);
    expect((await ask('YES\n')).yes).toBe(true);
    expect((await ask('n\n')).yes).toBe(false);
    expect((await ask('\n')).yes).toBe(false);
    expect((await ask('yess\n')).yes).toBe(false);
    const eof = await ask(null);
    expect(eof.yes).toBe(false);
    expect(eof.written).toBe('Apply these changes to backend-prod? [y/N] \n');
  });
});
