import { createServer } from 'node:http';
import { listenOnLoopback, readBody } from './loopback-server.js';

/** One request the stand-in answered. */
export interface CommunicationCall {
  readonly method: string;
  readonly path: string;
  readonly apiVersion: string | null;
  readonly body: any;
}

/** A custom domain as the stand-in keeps it. */
export interface StandInDomain {
  readonly dataLocation: string;
  /** Each verification type's status (Domains - Get, `verificationStates`). */
  readonly states: Record<string, string>;
  /** The records the operator has put in DNS: a verification of a type not here fails. */
  readonly inDns: Set<string>;
}

/** How the stand-in behaves; tests change it between runs. */
export interface CommunicationBehaviour {
  /** How many Domains - Get answer a requested verification as still running before its verdict. */
  looksBeforeVerdict: number;
}

/** A loopback Resource Manager for Microsoft.Communication's e-mail domains and Communication Services. */
export interface CommunicationArmStandIn {
  readonly endpoint: string;
  readonly calls: CommunicationCall[];
  readonly behaviour: CommunicationBehaviour;
  /** Domains by `<emailService>/<domain>`. */
  readonly domains: Map<string, StandInDomain>;
  /** Communication Services by name: their data location and linked domain ids. */
  readonly services: Map<string, { dataLocation: string; linkedDomains: string[] }>;
  stop(): Promise<void>;
}

const RG = '^/subscriptions/([^/]+)/resourceGroups/([^/]+)/providers/Microsoft\\.Communication/';
const DOMAIN = new RegExp(`${RG}emailServices/([^/]+)/domains/([^/]+?)(/initiateVerification)?$`);
const SERVICE = new RegExp(`${RG}communicationServices/([^/]+)$`);
const TYPES = ['Domain', 'SPF', 'DKIM', 'DKIM2', 'DMARC'];
/** The record each verification reads (the shape of Domains - Get's `verificationRecords`). */
const RECORD: Record<string, { type: string; name: string }> = {
  Domain: { type: 'TXT', name: '@' },
  SPF: { type: 'TXT', name: '@' },
  DKIM: { type: 'CNAME', name: 'selector1-azurecomm-prod-net._domainkey' },
  DKIM2: { type: 'CNAME', name: 'selector2-azurecomm-prod-net._domainkey' },
  DMARC: { type: 'TXT', name: '_dmarc' },
};

/**
 * Start a Resource Manager stand-in on 127.0.0.1 for what `atakora deploy` asks of a custom e-mail domain, as
 * azure-rest-api-specs specification/communication/resource-manager/Microsoft.Communication/stable/2023-03-31
 * describes it (Domains.json, CommunicationServices.json and their examples):
 * - Domains - Get: the domain with `verificationStates` (`{ status, errorCode }` per type) and `verificationRecords`
 *   (`{ type, name, value, ttl }` per type), as examples/domains/get.json; 404 `ResourceNotFound` when unknown.
 * - Domains - Initiate Verification (POST, body `{ verificationType }`): 202 with `Location` and `Retry-After`, as
 *   examples/domains/cancelVerification.json answers its sibling; the status goes `VerificationRequested`, then after
 *   `looksBeforeVerdict` Gets `Verified` when the record is in DNS (`inDns`), else `VerificationFailed`. The
 *   `Location` answers 202 once, then 200.
 * - CommunicationServices - Get and Update (PATCH `properties.linkedDomains`, 200 with the resource): the link is
 *   refused (400) for a domain not verified for Domain, SPF, DKIM and DKIM2 (Learn: "must be fully verified before
 *   attempting to link it") or of another data location (Learn: "We allow only connecting the domains in the same
 *   geography").
 * Every call is recorded; a request without a bearer token is 401.
 *
 * @example
 * ```ts
 * const arm = await startCommunicationArmStandIn();
 * arm.domains.set('ecs-x/mail.contoso.com', { dataLocation: 'Europe', states: {}, inDns: new Set() });
 * ```
 */
export async function startCommunicationArmStandIn(): Promise<CommunicationArmStandIn> {
  const behaviour: CommunicationBehaviour = { looksBeforeVerdict: 1 };
  const domains = new Map<string, StandInDomain>();
  const services = new Map<string, { dataLocation: string; linkedDomains: string[] }>();
  const calls: CommunicationCall[] = [];
  // Per domain object: a domain the test replaces starts with nothing running.
  const running = new WeakMap<StandInDomain, Map<string, number>>();
  const runningOf = (d: StandInDomain) => running.get(d) ?? running.set(d, new Map()).get(d)!;
  const locations = new Map<string, number>();
  let next = 0;
  let base = '';
  const server = createServer((req, res) => {
    void readBody(req).then((text) => {
      const url = new URL(req.url ?? '/', base);
      const body = text ? (JSON.parse(text) as unknown) : undefined;
      const method = req.method ?? 'GET';
      calls.push({
        method,
        path: url.pathname,
        apiVersion: url.searchParams.get('api-version'),
        body,
      });
      const send = (status: number, b?: unknown, headers: Record<string, string> = {}) => {
        res.writeHead(status, { 'content-type': 'application/json', ...headers });
        res.end(b === undefined ? '' : JSON.stringify(b));
      };
      if (!String(req.headers.authorization ?? '').startsWith('Bearer '))
        return send(401, { error: { code: 'AuthenticationFailed' } });
      const op = /^\/operationStatuses\/(.+)$/.exec(url.pathname);
      if (op) {
        const left = locations.get(op[1]!) ?? 0;
        locations.set(op[1]!, left - 1);
        return left > 0 ? send(202, undefined, { 'retry-after': '1' }) : send(200, {});
      }
      if (url.searchParams.get('api-version') !== '2023-03-31')
        return send(400, { error: { code: 'InvalidApiVersionParameter' } });
      const d = DOMAIN.exec(url.pathname);
      if (d) {
        const key = `${d[3]}/${d[4]}`;
        const domain = domains.get(key);
        if (!domain)
          return send(404, {
            error: { code: 'ResourceNotFound', message: 'The requested resource was not found' },
          });
        if (d[5] && method === 'POST') {
          const type = String(
            (body as { verificationType?: unknown } | undefined)?.verificationType,
          );
          if (!TYPES.includes(type))
            return send(400, { error: { code: 'BadRequest', message: type } });
          domain.states[type] = 'VerificationRequested';
          runningOf(domain).set(type, behaviour.looksBeforeVerdict);
          const id = `op-${String(++next)}`;
          locations.set(id, 1);
          return send(202, undefined, {
            location: `${base}/operationStatuses/${id}`,
            'retry-after': '1',
          });
        }
        if (method !== 'GET') return send(405);
        const runs = runningOf(domain);
        for (const type of TYPES) {
          const left = runs.get(type);
          if (left === undefined) continue;
          if (left > 0) {
            runs.set(type, left - 1);
            domain.states[type] = 'VerificationInProgress';
          } else {
            runs.delete(type);
            domain.states[type] = domain.inDns.has(type) ? 'Verified' : 'VerificationFailed';
          }
        }
        return send(200, domainBody(url.pathname, d[4]!, domain));
      }
      const c = SERVICE.exec(url.pathname);
      const service = c && services.get(c[3]!);
      if (!c || !service) return send(404, { error: { code: 'ResourceNotFound' } });
      if (method === 'PATCH') {
        const wanted = ((body as any)?.properties?.linkedDomains ?? []) as string[];
        for (const id of wanted) {
          const m = /emailServices\/([^/]+)\/domains\/([^/]+)$/i.exec(id);
          const linked = m && domains.get(`${m[1]}/${m[2]}`);
          if (
            !linked ||
            !['Domain', 'SPF', 'DKIM', 'DKIM2'].every((t) => linked.states[t] === 'Verified')
          )
            return send(400, {
              error: { code: 'BadRequest', message: `Domain ${id} is not verified.` },
            });
          if (linked.dataLocation !== service.dataLocation)
            return send(400, {
              error: { code: 'BadRequest', message: 'The domain is in another data location.' },
            });
        }
        service.linkedDomains = [...wanted];
      } else if (method !== 'GET') return send(405);
      return send(200, {
        id: url.pathname,
        name: c[3],
        type: 'Microsoft.Communication/CommunicationServices',
        location: 'Global',
        properties: {
          provisioningState: 'Succeeded',
          dataLocation: service.dataLocation,
          hostName: `${c[3]}.communication.azure.com`,
          ...(service.linkedDomains.length ? { linkedDomains: service.linkedDomains } : {}),
        },
      });
    });
  });
  const listening = await listenOnLoopback(server);
  base = listening.base;
  return {
    endpoint: base,
    calls,
    behaviour,
    domains,
    services,
    stop: async () => {
      server.closeAllConnections();
      await listening.close();
    },
  };
}

/** Domains - Get's body (examples/domains/get.json): Resource Manager writes the id's segments capitalized. */
function domainBody(path: string, name: string, d: StandInDomain) {
  return {
    id: path.replace('/emailServices/', '/EmailServices/').replace('/domains/', '/Domains/'),
    name,
    type: 'Microsoft.Communication/EmailServices/Domains',
    location: 'Global',
    properties: {
      dataLocation: d.dataLocation,
      provisioningState: 'Succeeded',
      fromSenderDomain: name,
      mailFromSenderDomain: name,
      domainManagement: 'CustomerManaged',
      verificationStates: Object.fromEntries(
        TYPES.map((t) => [t, { status: d.states[t] ?? 'NotStarted', errorCode: '' }]),
      ),
      verificationRecords: Object.fromEntries(
        TYPES.map((t) => [
          t,
          { ...RECORD[t], value: `${t.toLowerCase()}-value-for-${name}`, ttl: 3600 },
        ]),
      ),
      userEngagementTracking: 'Disabled',
    },
  };
}
