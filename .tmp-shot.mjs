import { chromium } from 'playwright-core';
const b = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
for (const [w, h, name] of [[1280, 900, 'laptop'], [390, 844, 'phone']]) {
  const p = await b.newPage({ viewport: { width: w, height: h } });
  const reqs = []; const errs = [];
  p.on('request', (r) => reqs.push(r.url()));
  p.on('console', (m) => errs.push(m.type() + ' ' + m.text()));
  p.on('pageerror', (e) => errs.push(e.message));
  await p.goto('file:///tmp/pv/plan.html');
  await p.screenshot({ path: `/tmp/pv/${name}.png`, fullPage: process.argv[2] === 'full' });
  console.log(name, reqs, errs);
}
await b.close();
