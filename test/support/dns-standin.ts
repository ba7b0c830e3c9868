/**
 * A loopback DNS server answering TXT questions from a table the test edits — what `ATAKORA_DNS_SERVER` points the
 * runtime's resolver (node:dns, c-ares) at, so a domain's proof is resolved over the real wire without the internet.
 * The wire format is written by hand from RFC 1035 (https://www.rfc-editor.org/rfc/rfc1035): §4.1.1 the header,
 * §4.1.2 the question, §4.1.3 the resource record, §4.1.4 name compression (the answer's name a pointer to the
 * question at offset 12), §3.3.14 TXT RDATA as <character-string>s of at most 255 octets each. UDP only (answers stay
 * far below 512 octets), one question per message; a name without records answers NXDOMAIN (RCODE 3), another type
 * than TXT (16) an empty NOERROR.
 */
import { createSocket, type Socket } from 'node:dgram';

/** The stand-in: its `ip:port`, the TXT table (lower-case name → records, each record one string) and a stop. */
export interface DnsStandIn {
  readonly server: string;
  readonly txt: Map<string, string[]>;
  /** Questions answered, by name (lower case): what a test counts. */
  readonly asked: string[];
  stop(): Promise<void>;
}

const TXT = 16;
const IN = 1;

/** The question's name (labels joined by `.`) and where the question's type starts, or undefined when malformed. */
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

/** The answer to one query message, or undefined for a message that is no query we can read. */
export function answerOf(query: Buffer, txt: ReadonlyMap<string, string[]>): Buffer | undefined {
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

/**
 * Start the stand-in on 127.0.0.1 (a free port).
 *
 * @example
 * ```ts
 * const dns = await startDnsStandIn();
 * dns.txt.set('_atakora.contoso.com', ['atakora-verify=…']);
 * process.env.ATAKORA_DNS_SERVER = dns.server; // '127.0.0.1:53124'
 * ```
 */
export async function startDnsStandIn(): Promise<DnsStandIn> {
  const socket: Socket = createSocket('udp4');
  const txt = new Map<string, string[]>();
  const asked: string[] = [];
  socket.on('message', (msg, rinfo) => {
    const q = readName(msg, 12);
    if (q) asked.push(q.name.toLowerCase());
    const answer = answerOf(msg, txt);
    if (answer) socket.send(answer, rinfo.port, rinfo.address);
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(0, '127.0.0.1', () => resolve());
  });
  const { port } = socket.address();
  return {
    server: `127.0.0.1:${String(port)}`,
    txt,
    asked,
    stop: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}
