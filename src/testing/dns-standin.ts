/**
 * A loopback DNS server answering TXT questions from records the test sets — what `ATAKORA_DNS_SERVER=<ip:port>`
 * points the runtime's resolver (node:dns's `Resolver`, c-ares; `setServers` takes `ip:port`) at, so a verified
 * domain's proof is resolved over the real wire, under `atakora dev` and in tests, without the internet or a DNS zone
 * of your own. Test-only: it binds 127.0.0.1, answers whoever asks it there, and holds nothing but the records set.
 *
 * The wire format is written by hand from RFC 1035 (https://www.rfc-editor.org/rfc/rfc1035): §4.1.1 the header,
 * §4.1.2 the question, §4.1.3 the resource record, §4.1.4 name compression (the answer's name a pointer to the question
 * at offset 12), §3.3.14 TXT RDATA as <character-string>s of at most 255 octets each. UDP only (answers stay far below
 * 512 octets), one question a message; a name without records answers NXDOMAIN (RCODE 3), another type than TXT (16)
 * an empty NOERROR, a name set with no records (`setTxt(name, [])`) an empty NOERROR too.
 */
import { createSocket, type Socket } from 'node:dgram';

/** A running stand-in: its address for `ATAKORA_DNS_SERVER`, the records it answers, what it was asked, a stop. */
export interface DnsStandIn {
  /** `127.0.0.1:<port>`: the value of `ATAKORA_DNS_SERVER`. */
  readonly address: string;
  readonly host: '127.0.0.1';
  readonly port: number;
  /** Publish `values` as the TXT records of `name` (one string a record; names are case-insensitive), replacing any. */
  setTxt(name: string, values: readonly string[]): void;
  /** The TXT records `name` answers now (`undefined`: none set, NXDOMAIN). */
  txt(name: string): readonly string[] | undefined;
  /** Remove `name`'s records: it answers NXDOMAIN again (a record taken down). */
  deleteTxt(name: string): void;
  /** Remove every record. */
  clear(): void;
  /** The names asked, in order (lower case): what a test counts. */
  readonly asked: readonly string[];
  /** Stop answering and free the port. */
  close(): Promise<void>;
}

const TXT = 16;
const IN = 1;

/** The question's name (labels joined by `.`) and where its type starts, or undefined when malformed. */
function readName(msg: Buffer, at: number): { name: string; end: number } | undefined {
  const labels: string[] = [];
  let i = at;
  for (;;) {
    const len = msg[i];
    if (len === undefined || len > 63) return undefined; // no compression in a question we are asked
    i += 1;
    if (len === 0) break;
    if (i + len > msg.length) return undefined;
    labels.push(msg.subarray(i, i + len).toString('latin1'));
    i += len;
  }
  return { name: labels.join('.'), end: i };
}

/** One TXT record's RDATA: the value cut into <character-string>s (a length octet, then up to 255 octets). */
function txtRdata(value: string): Buffer {
  const bytes = Buffer.from(value, 'utf8');
  const parts: Buffer[] = [];
  for (let i = 0; i === 0 || i < bytes.length; i += 255) {
    const chunk = bytes.subarray(i, i + 255);
    parts.push(Buffer.from([chunk.length]), chunk);
  }
  return Buffer.concat(parts);
}

/**
 * The answer to one query message from the records `txt` holds (lower-case name → records), or undefined for a
 * message that is no query this server reads (a response, several questions, a truncated one).
 *
 * @example
 * ```ts
 * // A query (RFC 1035 §4.1): id 1, recursion desired, one question — _atakora.contoso.com, TXT (16), IN (1).
 * const labels = ['_atakora', 'contoso', 'com'].map((l) => Buffer.concat([Buffer.from([l.length]), Buffer.from(l)]));
 * const header = Buffer.from([0, 1, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0]);
 * const query = Buffer.concat([header, ...labels, Buffer.from([0, 0, 16, 0, 1])]);
 * const reply = dnsAnswerOf(query, new Map([['_atakora.contoso.com', ['atakora-verify=k3x9']]]));
 * // reply: the same id, one TXT answer holding "atakora-verify=k3x9".
 * ```
 */
export function dnsAnswerOf(
  query: Buffer,
  txt: ReadonlyMap<string, readonly string[]>,
): Buffer | undefined {
  if (query.length < 12) return undefined;
  const flags = query.readUInt16BE(2);
  if (flags & 0x8000 || query.readUInt16BE(4) !== 1) return undefined; // a response, or not one question
  const q = readName(query, 12);
  if (!q || q.end + 4 > query.length) return undefined;
  const qtype = query.readUInt16BE(q.end);
  const question = query.subarray(12, q.end + 4);
  const records = txt.get(q.name.toLowerCase());
  const answers = qtype === TXT && records ? records : [];
  const header = Buffer.alloc(12);
  header.writeUInt16BE(query.readUInt16BE(0), 0); // ID
  // QR=1, the query's opcode and RD, AA=1, RA=1; RCODE 3 (NXDOMAIN) when the name has no records at all.
  const rcode = records ? 0 : 3;
  header.writeUInt16BE(0x8000 | (flags & 0x7900) | 0x0400 | 0x0080 | rcode, 2);
  header.writeUInt16BE(1, 4); // QDCOUNT
  header.writeUInt16BE(answers.length, 6); // ANCOUNT; NSCOUNT, ARCOUNT 0
  const rrs = answers.map((value) => {
    const rdata = txtRdata(value);
    const rr = Buffer.alloc(12);
    rr.writeUInt16BE(0xc00c, 0); // NAME: a pointer to the question's name (offset 12)
    rr.writeUInt16BE(TXT, 2);
    rr.writeUInt16BE(IN, 4);
    rr.writeUInt32BE(60, 6); // TTL
    rr.writeUInt16BE(rdata.length, 10);
    return Buffer.concat([rr, rdata]);
  });
  return Buffer.concat([header, question, ...rrs]);
}

/** A DNS name as the table keys it: lower case, without a trailing dot. */
const keyOf = (name: string) => name.trim().toLowerCase().replace(/\.$/, '');

/**
 * Start a loopback DNS server (UDP, 127.0.0.1, a free port) answering the TXT records the test sets: point the
 * runtime at it with `ATAKORA_DNS_SERVER=<address>` (`atakora dev` passes it on to its workers; set it before
 * `startBackend` in a test), publish a domain's proof with `setTxt`, and `close()` it at the end. Verified domains
 * (docs/enterprise.md, "Verified domains under dev and in tests") are proven through it exactly as through Azure's
 * resolver. For tests and local development only: never an address your deployed app points at.
 *
 * @example
 * ```ts
 * import { startDnsStandIn } from '@atakora/component/testing';
 *
 * const dns = await startDnsStandIn();
 * process.env.ATAKORA_DNS_SERVER = dns.address; // '127.0.0.1:53124'
 * // POST api/tenant/domains { domain: 'contoso.com' } answered txt: { name, value }; publish it:
 * dns.setTxt('_atakora.contoso.com', ['atakora-verify=k3x9…']);
 * // POST api/tenant/domains/contoso.com/verify → verified
 * await dns.close();
 * ```
 */
export async function startDnsStandIn(): Promise<DnsStandIn> {
  const socket: Socket = createSocket('udp4');
  const records = new Map<string, readonly string[]>();
  const asked: string[] = [];
  socket.on('message', (msg, rinfo) => {
    const q = readName(msg, 12);
    if (q) asked.push(q.name.toLowerCase());
    const answer = dnsAnswerOf(msg, records);
    if (answer) socket.send(answer, rinfo.port, rinfo.address);
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(0, '127.0.0.1', () => {
      resolve();
    });
  });
  const { port } = socket.address();
  let closed: Promise<void> | undefined;
  return {
    address: `127.0.0.1:${String(port)}`,
    host: '127.0.0.1',
    port,
    setTxt(name, values) {
      records.set(keyOf(name), [...values]);
    },
    txt: (name) => records.get(keyOf(name)),
    deleteTxt(name) {
      records.delete(keyOf(name));
    },
    clear() {
      records.clear();
    },
    asked,
    close() {
      closed ??= new Promise<void>((resolve) => {
        socket.close(() => {
          resolve();
        });
      });
      return closed;
    },
  };
}
