// The reference page in a real browser (headless Chromium through puppeteer-core), as a first-time user meets it.
//   node tests/browser/reference-page.mjs <base url, e.g. http://127.0.0.1:7071/> <output folder> [chromium path]
// Prints one JSON summary line: each check, and the weight and time of a cold and a repeat visit. Exits 1 on a failed check.
import fs from 'node:fs';
import path from 'node:path';
import puppeteer from 'puppeteer-core';

const [base, out, executablePath = process.env.CHROMIUM_PATH || '/usr/bin/chromium'] = process.argv.slice(2);
const origin = new URL(base).origin;
const docs = new URL('api/docs', base).href;
fs.mkdirSync(out, { recursive: true });

const failures = [];
const check = (ok, what) => { if (!ok) failures.push(what); };
const sleep = ms => new Promise(r => setTimeout(r, ms));

const browser = await puppeteer.launch({ executablePath, headless: true, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
try {
  const consoleErrors = [];
  const foreign = [];

  /** Opens the page in a new tab of the one browser (one HTTP cache): bytes on the wire and time to the first operation shown. */
  async function visit(name, width) {
    const page = await browser.newPage();
    await page.setViewport({ width, height: 900 });
    page.on('console', m => { if (m.type() === 'error') consoleErrors.push(`${name}: ${m.text()}`); });
    page.on('pageerror', e => consoleErrors.push(`${name}: ${e.message}`));
    page.on('request', r => { const u = new URL(r.url()); if (/^https?:$/.test(u.protocol) && u.origin !== origin) foreign.push(r.url()); });
    const cdp = await page.createCDPSession();
    await cdp.send('Network.enable');
    let bytes = 0;
    const requests = [];
    cdp.on('Network.responseReceived', e => requests.push({ url: e.response.url, status: e.response.status, fromCache: e.response.fromDiskCache || e.response.fromMemoryCache }));
    cdp.on('Network.loadingFinished', e => { bytes += e.encodedDataLength; });
    const started = Date.now();
    await page.goto(docs, { waitUntil: 'domcontentloaded' });
    await page.waitForFunction(() => document.body.innerText.includes('List zones'), { timeout: 60000 });
    const ms = Date.now() - started;
    await page.waitForNetworkIdle({ idleTime: 500, timeout: 60000 });
    await page.screenshot({ path: path.join(out, `${name}.png`) });
    return { page, bytes, ms, requests };
  }

  const cold = await visit('cold-1440', 1440);
  const repeat = await visit('repeat-1440', 1440);
  await repeat.page.close();
  const mobile = await visit('mobile-390', 390);
  await mobile.page.close();
  const page = cold.page;

  // Operations grouped by tag, the tags in reading order.
  const groups = await page.evaluate(() => [...document.querySelectorAll('button')]
    .map(b => b.innerText.trim()).filter(t => t.startsWith('Close Group - ') || t.startsWith('Open Group - ')).map(t => t.replace(/^(Close|Open) Group - /, '')));
  const tags = ['Zones', 'Organizations', 'Cities', 'Metrics', 'Industries', 'Stats', 'Changes', 'Import', 'Export', 'Health', 'Reference'];
  check(JSON.stringify(groups.slice(0, tags.length)) === JSON.stringify(tags), `tags in order: ${JSON.stringify(groups)}`);
  const sidebar = await page.evaluate(() => document.querySelector('.t-doc__sidebar')?.innerText ?? document.body.innerText);
  const at = text => sidebar.indexOf(text);
  check(at('Zones') < at('List zones') && at('List zones') < at('Get a zone') && at('Get a zone') < at('Organizations'), 'zone operations under Zones');
  check(at('Organizations') < at('List organizations') && at('List organizations') < at('Cities'), 'organization operations under Organizations');
  check(!(await page.evaluate(() => document.body.innerText.includes('Open API Client'))), 'no button that leaves the API');

  /** Opens an operation's test client, sends it as it is, and answers the response to its request. */
  async function send(operation, urlPart) {
    const opened = await page.evaluate(op => {
      const button = [...document.querySelectorAll('button')].find(b => b.innerText.includes('Test Request') && b.innerText.includes(`(${op})`));
      button?.scrollIntoView();
      button?.click();
      return !!button;
    }, operation);
    if (!opened) { failures.push(`no Test Request button for ${operation}`); return null; }
    await sleep(1500);
    const response = page.waitForResponse(r => r.url().includes(urlPart) && r.request().method() !== 'OPTIONS', { timeout: 30000 });
    const clicked = await page.evaluate(() => {
      const button = [...document.querySelectorAll('button')].find(b => /^Send/.test(b.innerText.trim()) && b.innerText.includes('request to'));
      button?.click();
      return !!button;
    });
    if (!clicked) { failures.push(`no Send button for ${operation}`); return null; }
    const answered = await response;
    const result = { status: answered.status(), url: answered.url(), method: answered.request().method(), body: await answered.text() };
    await sleep(1000);
    await page.screenshot({ path: path.join(out, `sent-${operation.replace(/[^a-z0-9]+/gi, '-')}.png`) });
    await page.evaluate(() => [...document.querySelectorAll('button')].find(b => b.innerText.trim() === 'Close Client')?.click());
    await page.keyboard.press('Escape');
    await sleep(800);
    return result;
  }

  const list = await send('get /v1/zones', '/api/v1/zones');
  if (list) {
    const value = JSON.parse(list.body).value ?? [];
    check(list.status === 200, `List zones: ${list.status}`);
    check(new URL(list.url).search === '', `List zones sent only what was asked: ${list.url}`);
    check(value.length === 4 && !JSON.parse(list.body).nextLink, `List zones lists all 4 zones: ${value.length}`);
  }

  const zone = await send('get /v1/zones/{zoneId}', '/api/v1/zones/zhongguancun-science-city');
  if (zone) {
    check(zone.status === 200, `Get a zone: ${zone.status}`);
    check(zone.status === 200 && JSON.parse(zone.body).id === 'zhongguancun-science-city', 'Get a zone answers the zone');
  }

  const write = await send('put /v1/zones/{zoneId}', '/api/v1/zones/zhongguancun-science-city');
  if (write) {
    check(write.method === 'PUT' && (write.status === 200 || write.status === 201), `the example body of Create or replace a zone is accepted: ${write.method} ${write.status} ${write.body.slice(0, 300)}`);
  }

  check(consoleErrors.length === 0, `console errors: ${consoleErrors.join(' | ')}`);
  check(foreign.length === 0, `requests to other hosts: ${foreign.join(' ')}`);
  check(repeat.bytes < 10 * 1024, `a repeat visit transfers under 10 KB: ${repeat.bytes} bytes`);

  const summary = {
    failures,
    cold: { bytes: cold.bytes, ms: cold.ms, requests: cold.requests.length },
    repeat: { bytes: repeat.bytes, ms: repeat.ms, requests: repeat.requests.map(r => `${r.status}${r.fromCache ? ' (cache)' : ''} ${new URL(r.url).pathname}`) },
    mobile: { bytes: mobile.bytes, ms: mobile.ms },
  };
  fs.writeFileSync(path.join(out, 'summary.json'), JSON.stringify(summary, null, 2));
  console.log(JSON.stringify(summary));
} finally {
  await browser.close();
}
process.exit(failures.length === 0 ? 0 : 1);
