/**
 * The clinic example's page under `atakora dev`, in a real browser (Debian's Chromium through playwright-core):
 * the page uploads a file through the FileStore's SAS flow (create, PUT to Azurite through dev's plain-HTTP door,
 * complete) and shows it back — a text letter as text, a PNG as a decoded image. The browser gets no certificate
 * exception: a developer's browser would refuse Azurite's self-signed certificate, so the page must not need it.
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { deflateSync } from 'node:zlib';
import { type Page } from 'playwright-core';
import { type TestBrowser, testBrowser } from '../support/browser.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDev, type DevSession } from '../../src/cli/dev/session/session.js';
import { devUserOf } from '../../src/cli/dev/sign-in/sign-in.js';

const artifacts = join(resolve(import.meta.dirname, '../..'), 'test-artifacts');
let dev: DevSession;
let browser: TestBrowser | undefined;
beforeAll(async () => {
  dev = await startDev('examples/clinic/backend.ts', {
    user: devUserOf('alice@contoso')!,
    log: () => undefined,
  });
});
afterAll(async () => {
  await browser?.close();
  await dev?.stop();
});

/** A w×h PNG of one colour, built byte by byte (no image library): signature, IHDR, one IDAT, IEND. */
function png(w: number, h: number, rgb: [number, number, number]): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (b: Buffer) => {
    let c = 0xffffffff;
    for (const x of b) c = crcTable[(c ^ x) & 0xff]! ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const sum = Buffer.alloc(4);
    sum.writeUInt32BE(crc(body));
    return Buffer.concat([len, body, sum]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr[8] = 8;
  ihdr[9] = 2; // 8-bit RGB
  const row = Buffer.concat([
    Buffer.from([0]),
    Buffer.from(Array.from({ length: w }, () => rgb).flat()),
  ]);
  const raw = Buffer.concat(Array.from({ length: h }, () => row));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

async function upload(
  page: Page,
  name: string,
  mimeType: string,
  buffer: Buffer,
  problems: string[],
): Promise<void> {
  await page.setInputFiles('#file', { name, mimeType, buffer });
  await page.click('button[type="submit"]');
  await page.waitForSelector(`li.file:has-text("${name}")`).catch(async (e: unknown) => {
    throw new Error(
      `${String(e)}\nstatus: ${String(await page.textContent('#status'))}\nbrowser: ${problems.join('\n')}`,
    );
  });
  // A string: the test's TypeScript has no DOM types; it runs in the page.
  // The page marks the preview with the name of the file it shows, once its content has loaded. (Selectors, not
  // page functions: the site's CSP has no 'unsafe-eval', and Playwright evaluates a string function with eval.)
  await page.waitForSelector(`#preview[data-shown=${JSON.stringify(name)}]`);
}

describe('the clinic page under atakora dev', () => {
  it('uploads a letter and a photo from the browser and shows each back', async () => {
    const site = dev.sites[0]!;
    browser = await testBrowser();
    const page = await browser.newPage({ viewport: { width: 900, height: 700 } });
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(m.text());
    });
    await page.goto(site.url);
    await page.waitForSelector('#who[data-signed-in="true"]');
    await page.waitForSelector('#files[data-loaded="true"]', { state: 'attached' });

    await upload(
      page,
      'referral.txt',
      'text/plain',
      Buffer.from('Referral: Alice, knee, Tuesday 10:00'),
      problems,
    );
    expect(await page.textContent('#preview pre')).toBe('Referral: Alice, knee, Tuesday 10:00');

    await upload(page, 'knee.png', 'image/png', png(24, 16, [200, 40, 40]), problems);
    // Laid out at its own 24×16 pixels: the browser decoded the PNG (a broken image has no such box).
    const box = await page.locator('#preview img').boundingBox();
    expect([box?.width, box?.height]).toEqual([24, 16]);
    // The browser read it from the blob through dev's loopback door with a read SAS, not through the API.
    expect(await page.getAttribute('#preview img', 'src')).toMatch(
      /^http:\/\/127\.0\.0\.1:\d+\/devstoreaccount1\/.+\?.*sp=r/,
    );

    expect(await page.locator('li.file').allTextContents()).toEqual(
      expect.arrayContaining(['referral.txt', 'knee.png']),
    );
    expect(await page.textContent('#status')).toBe('');
    expect(problems, problems.join('\n')).toEqual([]);
    mkdirSync(artifacts, { recursive: true });
    await page.screenshot({ path: join(artifacts, 'clinic.png') });

    // A refused type never reaches storage: the page says why, the list is unchanged.
    await page.setInputFiles('#file', {
      name: 'notes.html',
      mimeType: 'text/html',
      buffer: Buffer.from('<b>x</b>'),
    });
    await page.click('button[type="submit"]');
    await page.waitForSelector('#status:has-text("Could not upload notes.html")');
    expect(await page.locator('li.file').count()).toBe(2);
  });

  it('shows the patient with their bookings, each with its letter, and the count', async () => {
    browser ??= await testBrowser();
    const page = await browser.newPage({ viewport: { width: 900, height: 900 } });
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(e.message));
    await page.goto(dev.sites[0]!.url);
    await page.waitForSelector('#bookings[data-count="0"]', { state: 'attached' });
    expect(await page.textContent('#patient-name')).toBe('alice@contoso');
    await upload(page, 'letter.txt', 'text/plain', Buffer.from('Dear colleague'), problems);
    await page.fill('#starts', '2026-03-02T10:00');
    await page.check('#with-letter');
    await page.click('#book button[type="submit"]');
    await page.waitForSelector('#bookings[data-count="1"]', { state: 'attached' });
    await page.fill('#starts', '2026-03-01T09:00');
    await page.click('#book button[type="submit"]');
    await page.waitForSelector('#bookings[data-count="2"]', { state: 'attached' });
    // Sorted by time through the children route; the letter embedded by $expand, the total from $count.
    expect(await page.locator('li.booking').allTextContents()).toEqual([
      '2026-03-01T09:00: no letter',
      '2026-03-02T10:00: letter.txt',
    ]);
    expect(await page.textContent('#booking-count')).toBe('2 bookings');
    expect(problems, problems.join('\n')).toEqual([]);
    mkdirSync(artifacts, { recursive: true });
    await page.screenshot({ path: join(artifacts, 'clinic-bookings.png') });
    // Another patient can neither list Alice's bookings through her record nor book on it.
    const api = dev.apps[0]!.url;
    const bob = { 'x-atakora-dev-user': 'bob@contoso', 'content-type': 'application/json' };
    const alice = { 'x-atakora-dev-user': 'alice@contoso' };
    const patients = (await (await fetch(`${api}/api/patients`, { headers: alice })).json()) as {
      items: { id: string }[];
    };
    const id = patients.items[0]!.id;
    expect((await fetch(`${api}/api/patients/${id}/bookings`, { headers: bob })).status).toBe(404);
    const booked = await fetch(`${api}/api/bookings`, {
      method: 'POST',
      headers: bob,
      body: JSON.stringify({ patientId: id, startsAt: '2026-03-03T08:00' }),
    });
    expect(booked.status).toBe(422);
  });

  it("another patient's page lists none of them", async () => {
    const res = await fetch(`${dev.apps[0]!.url}/api/attachments`, {
      headers: { 'x-atakora-dev-user': 'bob@contoso' },
    });
    expect(((await res.json()) as { items: unknown[] }).items).toEqual([]);
  });
});
