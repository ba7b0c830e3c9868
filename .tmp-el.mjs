import { chromium } from 'playwright-core';
const b = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
const [w, sel, out] = [Number(process.argv[2]), process.argv[3], process.argv[4]];
const p = await b.newPage({ viewport: { width: w, height: 900 } });
await p.goto('file:///tmp/pv/plan.html');
await p.locator(sel).screenshot({ path: out });
await b.close();
