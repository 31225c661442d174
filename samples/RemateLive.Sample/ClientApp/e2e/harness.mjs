// Test harness for the browser end-to-end tests: starts the REAL sample host, talks to its REST API
// as the admin, and opens isolated Chromium profiles (one per bidder) with playwright-core.
import { spawn, spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
export const clientDir = resolve(here, '..');
export const sampleDir = resolve(clientDir, '..');
export const repoRoot = resolve(sampleDir, '..', '..');
export const screenshotDir = join(clientDir, 'screenshots');
export const ADMIN_PASSWORD = 'e2e-admin-pass';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

function log(...args) {
  if (process.env.E2E_VERBOSE) console.error('[e2e]', ...args);
}

async function freePort() {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', rej);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => res(port));
    });
  });
}

function run(cmd, args, opts) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', ...opts });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed with ${r.status ?? r.signal}`);
}

/** The sample host's dll: REMATE_SAMPLE_DLL, or a Release build of samples/RemateLive.Sample. */
function sampleDll() {
  const fromEnv = process.env.REMATE_SAMPLE_DLL;
  if (fromEnv) {
    if (!existsSync(fromEnv)) throw new Error(`REMATE_SAMPLE_DLL does not exist: ${fromEnv}`);
    return resolve(fromEnv);
  }
  run('dotnet', ['build', 'samples/RemateLive.Sample', '-c', 'Release', '-nologo', '-v', 'q'], { cwd: repoRoot });
  // Classic output, or the artifacts layout should the repository switch to UseArtifactsOutput.
  const candidates = [
    join(sampleDir, 'bin', 'Release', 'net10.0', 'RemateLive.Sample.dll'),
    join(repoRoot, 'artifacts', 'bin', 'RemateLive.Sample', 'release', 'RemateLive.Sample.dll'),
  ];
  const dll = candidates.find((p) => existsSync(p));
  if (!dll) throw new Error(`built, but none of ${candidates.join(', ')} exists`);
  return dll;
}

/** Starts the host on a free loopback port; resolves when /health answers. */
export async function startHost() {
  mkdirSync(screenshotDir, { recursive: true });
  if (!process.env.E2E_SKIP_UI_BUILD) {
    // Serve exactly the UI in this working tree (vite → ../wwwroot).
    // Through the lock: a host build running at the same time may be rebuilding it too.
    run(process.execPath, [join(clientDir, 'scripts', 'run-locked.mjs'), 'build'], { cwd: clientDir, stdio: ['ignore', 'ignore', 'inherit'] });
  }
  const external = process.env.REMATE_E2E_BASE_URL;
  if (external) {
    // An already running host (e.g. `dotnet run` during development); nothing to start or stop.
    return { base: external.replace(/\/$/, ''), logPath: null, async stop() {} };
  }
  const dll = sampleDll();
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const logPath = join(screenshotDir, 'host.log');
  const out = createWriteStream(logPath);
  // The sample's folder is the content root, so wwwroot (the built UI) is served from there.
  const proc = spawn('dotnet', [dll, '--urls', base, '--contentRoot', sampleDir], {
    cwd: sampleDir,
    env: {
      ...process.env,
      RemateLive__Admin__Password: ADMIN_PASSWORD,
      DOTNET_NOLOGO: '1',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  proc.stdout.pipe(out);
  proc.stderr.pipe(out);
  let exited = null;
  proc.on('exit', (code, signal) => (exited = code ?? signal));
  const killOnExit = () => proc.exitCode === null && proc.kill('SIGKILL');
  process.on('exit', killOnExit);

  const deadline = Date.now() + 60_000;
  for (;;) {
    if (exited !== null) throw new Error(`the host exited (${exited}) before it was ready; see ${logPath}`);
    try {
      const r = await fetch(`${base}/health`);
      if (r.status < 500 || r.status === 503) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) throw new Error(`the host did not answer ${base}/health within 60 s; see ${logPath}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  log('host up at', base);

  return {
    base,
    logPath,
    async stop() {
      process.off('exit', killOnExit);
      if (proc.exitCode !== null || proc.signalCode) return;
      const done = new Promise((r) => proc.once('exit', r));
      proc.kill('SIGTERM');
      const timer = setTimeout(() => proc.kill('SIGKILL'), 8000);
      await done;
      clearTimeout(timer);
    },
  };
}

/** Minimal REST client for the test setup (snake_case JSON, bearer token). */
export function restClient(base) {
  async function call(method, path, body, token) {
    const headers = { Accept: 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (token) headers.Authorization = `Bearer ${token}`;
    const r = await fetch(base + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await r.text();
    const data = text ? JSON.parse(text) : null;
    if (!r.ok) throw new Error(`${method} ${path} → ${r.status} ${text}`);
    return data;
  }
  return {
    call,
    login: (username, display_name, password) =>
      call('POST', '/api/auth/login', { username, display_name, ...(password ? { password } : {}) }),
    async adminToken() {
      const s = await call('POST', '/api/auth/login', { username: 'admin', display_name: 'Admin', password: ADMIN_PASSWORD });
      return s.token;
    },
    createAuction: (token, over = {}) =>
      call(
        'POST',
        '/api/auctions',
        {
          title: 'Leica M3 rangefinder, 1957',
          description: 'Double-stroke body with a Summicron 50 mm f/2. Serviced in 2025, shutter accurate at all speeds.',
          image_url: null,
          currency: 'USD',
          starting_price_cents: 120000,
          increment: { kind: 'fixed', amount_cents: 2500 },
          ends_at: new Date(Date.now() + 15 * 60_000).toISOString(),
          ...over,
        },
        token,
      ),
    close: (token, id) => call('POST', `/api/auctions/${id}/close`, {}, token),
    bids: (id) => call('GET', `/api/auctions/${id}/bids?limit=200`),
    auction: (id) => call('GET', `/api/auctions/${id}`),
    placeBid: (token, id, amount_cents, extra = {}) =>
      call('POST', `/api/auctions/${id}/bids`, { amount_cents, ...extra }, token),
  };
}

/** One bidder = one fresh Chromium profile (its own localStorage, cookies and network state). */
export async function openBidder({ locale = 'en-US', viewport = { width: 1280, height: 900 } } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'rl-e2e-profile-'));
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport,
    locale,
    timezoneId: 'America/Santiago',
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  if (process.env.E2E_VERBOSE) {
    const tag = Math.random().toString(36).slice(2, 6);
    page.on('websocket', (ws) => {
      log(tag, 'ws open', ws.url());
      ws.on('framesent', (f) => log(tag, '→', String(f.payload).slice(0, 300)));
      ws.on('framereceived', (f) => log(tag, '←', String(f.payload).slice(0, 300)));
      ws.on('close', () => log(tag, 'ws closed'));
    });
    page.on('console', (m) => log(tag, 'console', m.text()));
  }
  return {
    context,
    page,
    errors,
    async close() {
      await context.close().catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Signs in through the login form (the room URL is kept, so the room opens right after). */
export async function signIn(page, base, path, username, displayName) {
  await page.goto(base + path);
  await page.getByLabel(/^(Username|Usuario)$/).fill(username);
  await page.getByLabel(/^(Display name|Nombre visible)$/).fill(displayName);
  await page.getByRole('button', { name: /Enter the auction house|Entrar a la casa de remates/ }).click();
}

export async function waitForRoom(page, timeout = 10_000) {
  await page.locator('[data-testid=connection][data-state=open]').waitFor({ timeout });
  await page.locator('[data-testid=current-price]').waitFor({ timeout });
}

/** The bid history as rendered: [{seq, amount, bidder}], newest first. */
export function historyOf(page) {
  return page.$$eval('[data-testid=bid-history] li[data-seq]', (lis) =>
    lis.map((li) => ({ seq: Number(li.dataset.seq), amount: Number(li.dataset.amount), bidder: li.dataset.bidder })),
  );
}

export function priceOf(page) {
  return page.$eval('[data-testid=current-price]', (el) => Number(el.dataset.cents));
}

export function uniqueName(prefix) {
  return `${prefix}${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`.slice(0, 32);
}

export async function shot(page, name) {
  await page.evaluate(() => window.scrollTo(0, 0));
  return page.screenshot({ path: join(screenshotDir, `${name}.png`), fullPage: true });
}

// --- admin console and accessibility (ui-admin) ---------------------------------------------------
// (Import declarations are hoisted: these sit here so this block stays self-contained.)
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/**
 * Runs axe-core in the page (evaluated over the DevTools protocol, so no page CSP is in the way) and
 * returns its serious and critical violations as readable lines ([] when there are none).
 */
export async function axeViolations(page) {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => (await window.axe.run(document, { resultTypes: ['violations'] })).violations);
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
}

/** Signs the admin in through the login form (username, display name and the host's admin password). */
export async function signInAdmin(page, base, path) {
  await page.goto(base + path);
  await page.getByLabel(/^(Username|Usuario)$/).fill('admin');
  await page.getByLabel(/^(Display name|Nombre visible)$/).fill('Admin');
  await page.getByLabel(/^(Password|Contraseña)/).fill(ADMIN_PASSWORD);
  await page.getByRole('button', { name: /Enter the auction house|Entrar a la casa de remates/ }).click();
}

/** A small screenshot for docs/ (viewport only), next to the others in screenshots/. */
export async function docShot(page, name) {
  await page.evaluate(() => window.scrollTo(0, 0));
  return page.screenshot({ path: join(screenshotDir, `${name}.png`) });
}
