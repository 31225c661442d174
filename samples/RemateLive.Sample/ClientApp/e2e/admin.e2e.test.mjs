// Browser end-to-end tests of the admin console and buy-now: real headless Chromium (playwright-core)
// against the REAL sample host, with axe-core accessibility checks on every screen they visit.
// Run: npm run e2e   (REMATE_SAMPLE_DLL=/path/RemateLive.Sample.dll to use an existing build)
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  axeViolations,
  docShot,
  openBidder,
  priceOf,
  restClient,
  screenshotDir,
  signIn,
  signInAdmin,
  startHost,
  uniqueName,
  waitForRoom,
} from './harness.mjs';

let host;
let api;
let adminToken;
const browsers = [];

async function browser(displayName, opts) {
  const b = await openBidder(opts);
  browsers.push(b);
  b.username = uniqueName(displayName.toLowerCase().replace(/[^a-z]/g, '').slice(0, 8) + '_');
  b.displayName = displayName;
  return b;
}

async function closeBrowsers() {
  while (browsers.length) await browsers.pop().close();
}

/** No serious or critical axe violation on the screen the page shows now. */
async function assertAccessible(page, screen) {
  const found = await axeViolations(page);
  assert.deepEqual(found, [], `axe on ${screen}:\n${found.join('\n')}`);
}

/** Two signed-in bidders in an auction's room (A in English, B in Spanish). */
async function twoBidders(auctionId) {
  const a = await browser('Alice Moreno');
  const b = await browser('Bruno Díaz', { locale: 'es-CL' });
  await Promise.all([
    signIn(a.page, host.base, `/auctions/${auctionId}`, a.username, a.displayName),
    signIn(b.page, host.base, `/auctions/${auctionId}`, b.username, b.displayName),
  ]);
  await Promise.all([waitForRoom(a.page), waitForRoom(b.page)]);
  return { a, b };
}

/** The admin in a fresh browser, on `path`; returns the browser and the admin's display name. */
async function adminAt(path) {
  const admin = await browser('Admin');
  await signInAdmin(admin.page, host.base, path);
  const session = await admin.page.waitForFunction(() => JSON.parse(localStorage.getItem('remate.session') ?? 'null'));
  admin.displayName = (await session.jsonValue()).display_name;
  return admin;
}

/** The audit table as rendered: [{type, actor, details}] in seq order. */
function auditOf(page) {
  return page.$$eval('[data-testid=audit] tbody tr', (rows) =>
    rows.map((r) => ({ type: r.dataset.type, actor: r.querySelector('[data-testid=audit-actor]').textContent, details: r.cells[3].textContent })),
  );
}

before(async () => {
  host = await startHost();
  api = restClient(host.base);
  adminToken = await api.adminToken();
});

after(async () => {
  await closeBrowsers();
  await host?.stop();
});

const T = { timeout: 90_000 };

describe('admin console', () => {
  after(closeBrowsers);

  test('the admin creates a tiered auction in the console; two bidders bid; close now; both see the result; the audit names the admin', T, async () => {
    const admin = await adminAt('/admin');
    const p = admin.page;
    await p.getByTestId('admin-console').waitFor();
    await assertAccessible(p, 'the admin console');

    // Client-side checks mirror the server's: nothing is sent while fields are wrong.
    await p.getByTestId('f-submit').click();
    await p.getByTestId('form-summary').waitFor();
    await p.getByTestId('err-title').waitFor();
    assert.match(await p.getByTestId('err-starting_price_cents').textContent(), /required/);
    await p.getByTestId('f-start').fill('100');
    await p.getByTestId('f-buy-now').fill('90');
    await p.getByTestId('f-submit').click();
    assert.match(await p.getByTestId('err-buy_now_price_cents').textContent(), /above the starting price/);
    assert.equal(await p.getByTestId('f-buy-now').getAttribute('aria-invalid'), 'true');
    await assertAccessible(p, 'the admin console with errors');

    // A tiered increment: +10.00 from 0, +25.00 from 150.00.
    const title = `Console lot ${uniqueName('')}`;
    await p.getByTestId('f-title').fill(title);
    await p.getByTestId('f-description').fill('Created in the admin console by the browser test.');
    await p.getByTestId('f-buy-now').fill('');
    await p.getByTestId('f-increment-kind').selectOption('tiered');
    await p.getByTestId('tier-inc-0').fill('10');
    await p.getByTestId('tier-from-1').fill('150');
    await p.getByTestId('tier-inc-1').fill('25');
    await p.getByTestId('f-window').fill('60');
    await p.getByTestId('f-extension').fill('30');
    await p.getByTestId('f-cap').fill('3');
    assert.equal(await p.getByTestId('err-buy_now_price_cents').count(), 0, 'an edited field drops its stale error');
    await p.getByTestId('tier-editor').scrollIntoViewIfNeeded();
    await p.screenshot({ path: join(screenshotDir, 'admin-console.png') });
    await p.getByTestId('f-submit').click();
    await p.getByTestId('admin-auction').waitFor();
    const id = /\/admin\/auctions\/([^/]+)$/.exec(new URL(p.url()).pathname)[1];
    const created = await api.auction(id);
    assert.equal(created.title, title);
    assert.equal(created.starting_price_cents, 10000);
    assert.equal(created.status, 'open');
    await assertAccessible(p, 'the admin auction page');

    const { a, b } = await twoBidders(id);
    await assertAccessible(a.page, 'the auction room');
    await a.page.getByTestId('quick-bid').click(); // 100.00
    await b.page.waitForFunction(() => document.querySelectorAll('[data-testid=bid-history] li[data-seq]').length === 1);
    assert.match(await b.page.getByTestId('quick-bid').textContent(), /110/, 'the first band: +10.00');
    await b.page.getByTestId('quick-bid').click();
    await a.page.waitForFunction(() => document.querySelector('[data-testid=current-price]')?.dataset.cents === '11000', null, { timeout: 10_000 });
    await a.page.getByTestId('bid-amount').fill('160');
    await a.page.getByTestId('bid-submit').click();
    await b.page.waitForFunction(() => document.querySelector('[data-testid=current-price]')?.dataset.cents === '16000');
    assert.equal((await api.auction(id)).min_next_bid_cents, 18500, 'from 150.00 the increment is the second band’s 25.00');

    // Close now, from the console, through the confirmation dialog.
    await p.reload();
    await p.getByTestId('admin-close').click();
    const dialog = p.getByTestId('admin-confirm');
    await dialog.waitFor();
    await assertAccessible(p, 'the close confirmation');
    await p.getByTestId('admin-confirm-confirm').click();
    await p.getByTestId('admin-done').waitFor();
    assert.equal(await p.getByTestId('admin-status').getAttribute('class'), 'status status-closed');

    const [bannerA, bannerB] = [a.page.getByTestId('result-banner'), b.page.getByTestId('result-banner')];
    await Promise.all([bannerA.waitFor({ timeout: 3000 }), bannerB.waitFor({ timeout: 3000 })]);
    assert.equal(await bannerA.getAttribute('data-tone'), 'won');
    assert.match(await bannerA.textContent(), /You won! Final price \$160\.00/);
    assert.equal(await bannerB.getAttribute('data-tone'), 'sold');
    assert.match(await bannerB.textContent(), /Adjudicado a Alice Moreno por US\$\s?160/);

    const audit = await auditOf(p);
    assert.deepEqual(audit.map((e) => e.type), ['bid_placed', 'bid_placed', 'bid_placed', 'auction_closed']);
    assert.equal(audit[3].actor, admin.displayName, 'the close names the admin who did it');
    assert.match(audit[3].details, /Closed by an admin.*Alice Moreno/);
    assert.equal(audit[0].actor, 'Alice Moreno (Paddle 1)');
    await assertAccessible(p, 'the audit trail');
    await docShot(p, 'admin-auction-closed');
    for (const x of [admin, a, b]) assert.deepEqual(x.errors, []);
    await closeBrowsers();
  });

  test('buy-now: a confirmed buy ends the auction at that price; both bidders see it', T, async () => {
    const auction = await api.createAuction(adminToken, { buy_now_price_cents: 300000 });
    const { a, b } = await twoBidders(auction.id);
    for (const x of [a, b]) await x.page.getByTestId('buy-now').waitFor();
    assert.match(await a.page.getByTestId('buy-now').textContent(), /Buy now for \$3,000\.00/);
    assert.match(await b.page.getByTestId('buy-now').textContent(), /Comprar ahora por US\$\s?3\.000/);

    // The dialog: modal, labelled, focus inside; Escape backs out and nothing is bought.
    await a.page.getByTestId('buy-now').click();
    const dialog = a.page.getByTestId('buy-now-dialog');
    await dialog.waitFor();
    const info = await a.page.evaluate(() => {
      const d = document.querySelector('[data-testid=buy-now-dialog]');
      return {
        modal: d.matches(':modal'),
        label: document.getElementById(d.getAttribute('aria-labelledby'))?.textContent,
        focusInside: d.contains(document.activeElement),
      };
    });
    assert.deepEqual(info, { modal: true, label: 'Buy now for $3,000.00?', focusInside: true });
    await assertAccessible(a.page, 'the buy-now dialog');
    const box = await dialog.boundingBox(); // the dialog with a margin of the dimmed room around it
    await a.page.screenshot({
      path: join(screenshotDir, 'room-buy-now-dialog.png'),
      clip: { x: Math.max(0, box.x - 120), y: Math.max(0, box.y - 80), width: box.width + 240, height: box.height + 160 },
    });
    await a.page.keyboard.press('Tab');
    await a.page.keyboard.press('Tab');
    assert.ok(await a.page.evaluate(() => document.querySelector('[data-testid=buy-now-dialog]').contains(document.activeElement)), 'Tab stays in the dialog');
    await a.page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    assert.equal((await api.bids(auction.id)).length, 0, 'backing out buys nothing');

    await a.page.getByTestId('buy-now').click();
    await a.page.getByTestId('buy-now-dialog-confirm').click();
    const [bannerA, bannerB] = [a.page.getByTestId('result-banner'), b.page.getByTestId('result-banner')];
    await Promise.all([bannerA.waitFor({ timeout: 3000 }), bannerB.waitFor({ timeout: 3000 })]);
    assert.equal(await bannerA.getAttribute('data-tone'), 'won');
    assert.match(await bannerA.textContent(), /You won! Final price \$3,000\.00/);
    assert.match(await bannerB.textContent(), /Adjudicado a Alice Moreno por US\$\s?3\.000/);
    for (const x of [a, b]) {
      assert.equal(await priceOf(x.page), 300000);
      assert.equal(await x.page.getByTestId('buy-now').count(), 0, 'no buy-now once closed');
      assert.equal(await x.page.getByTestId('quick-bid').count(), 0, 'no bidding once closed');
    }
    const closed = await api.auction(auction.id);
    assert.equal(closed.status, 'closed');
    const events = await api.call('GET', `/api/auctions/${auction.id}/events`);
    const last = events.at(-1);
    assert.equal(last.type, 'auction_closed');
    assert.equal(last.payload.reason, 'buy_now');
    assert.equal(last.payload.actor_name, null, 'a buy-now has no admin actor');
    await assertAccessible(b.page, 'the room after a buy-now');
    await closeBrowsers();
  });

  test('buy-now goes away for both bidders at the first bid', T, async () => {
    const auction = await api.createAuction(adminToken, { buy_now_price_cents: 300000 });
    const { a, b } = await twoBidders(auction.id);
    await b.page.getByTestId('buy-now').waitFor();
    await a.page.getByTestId('quick-bid').click();
    for (const x of [a, b]) await x.page.getByTestId('buy-now-panel').waitFor({ state: 'detached', timeout: 3000 });
    await closeBrowsers();
  });

  test('a server problem is shown readably: the admin’s token was revoked elsewhere', T, async () => {
    const admin = await adminAt('/admin');
    const p = admin.page;
    await p.getByTestId('admin-console').waitFor();
    const { token } = await p.evaluate(() => JSON.parse(localStorage.getItem('remate.session')));
    await api.call('POST', '/api/auth/logout', undefined, token); // "sign out everywhere" from another device
    adminToken = await api.adminToken(); // the suite's own admin token went with it
    // Nodes trust a cached token stamp for at most 10 s: wait until the server refuses the token.
    let status = 0;
    for (let i = 0; i < 150 && status !== 401; i++) {
      status = (await fetch(`${host.base}/api/me/bids`, { headers: { Authorization: `Bearer ${token}` } })).status;
      if (status !== 401) await new Promise((r) => setTimeout(r, 100));
    }
    assert.equal(status, 401);
    await p.getByTestId('f-title').fill('Never created');
    await p.getByTestId('f-start').fill('100');
    await p.getByTestId('f-increment-amount').fill('5');
    await p.getByTestId('f-submit').click();
    const summary = p.getByTestId('form-summary');
    await summary.waitFor();
    assert.match(await summary.textContent(), /Your session has ended: sign in again/);
    assert.equal(await p.getByTestId('admin-console').count(), 1, 'the form stays, with what was typed');
    assert.equal(await p.getByTestId('f-title').inputValue(), 'Never created');
    await assertAccessible(p, 'the console with a server error');
    await closeBrowsers();
  });

  test('cancel with a reason: the bidder sees it; the audit shows the reason and the admin; bidders have no console', T, async () => {
    const auction = await api.createAuction(adminToken);
    const bidder = await browser('Carla Rojas');
    await signIn(bidder.page, host.base, `/auctions/${auction.id}`, bidder.username, bidder.displayName);
    await waitForRoom(bidder.page);
    assert.equal(await bidder.page.getByRole('link', { name: 'Admin' }).count(), 0, 'no console link for a bidder');

    const admin = await adminAt('/');
    const p = admin.page;
    await p.getByRole('link', { name: 'Admin' }).click();
    await p.getByTestId('admin-console').waitFor();
    await p.locator(`[data-testid=admin-auctions] tr[data-auction-id="${auction.id}"] a`).click();
    await p.getByTestId('admin-auction').waitFor();
    await p.getByTestId('admin-cancel').click(); // no reason yet
    assert.match(await p.getByTestId('admin-reason').getAttribute('aria-invalid'), /true/);
    assert.equal(await p.getByTestId('admin-confirm').isVisible(), false);
    const reason = 'Consignor withdrew the lot';
    await p.getByTestId('admin-reason').fill(reason);
    await p.getByTestId('admin-cancel').click();
    await p.getByTestId('admin-confirm').waitFor();
    assert.match(await p.getByTestId('admin-confirm').textContent(), new RegExp(reason));
    await assertAccessible(p, 'the cancel confirmation');
    await p.getByTestId('admin-confirm-confirm').click();
    await p.getByTestId('admin-done').waitFor();

    const banner = bidder.page.getByTestId('result-banner');
    await banner.waitFor({ timeout: 3000 });
    assert.equal(await banner.getAttribute('data-tone'), 'cancelled');
    assert.match(await banner.textContent(), new RegExp(`cancelled: ${reason}`));

    const audit = await auditOf(p);
    assert.equal(audit.length, 1);
    assert.deepEqual(audit[0], { type: 'auction_cancelled', actor: admin.displayName, details: `Reason: ${reason}` });
    await assertAccessible(p, 'the audit trail after a cancel');
    await docShot(p, 'admin-auction-cancelled');

    // Phone width: the audit and the console (with the band editor) need no horizontal scroll.
    await p.setViewportSize({ width: 375, height: 780 });
    const overflow = () => p.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok((await overflow()) <= 0, `audit at 375 px overflows by ${await overflow()} px`);
    await p.getByRole('link', { name: /Admin console/ }).click();
    await p.getByTestId('f-increment-kind').selectOption('tiered');
    await p.getByTestId('tier-editor').waitFor();
    assert.ok((await overflow()) <= 0, `console at 375 px overflows by ${await overflow()} px`);
    const right = await p.getByTestId('tier-editor').evaluate((e) => e.closest('section').getBoundingClientRect().right);
    assert.ok(right <= 375, `the form's card ends at ${right} px, past the 375 px screen`);
    await assertAccessible(p, 'the console at phone width');

    // A bidder who opens /admin gets the catalogue, not the console.
    await bidder.page.goto(`${host.base}/admin`);
    await bidder.page.getByTestId('auction-list').waitFor();
    assert.equal(await bidder.page.getByTestId('admin-console').count(), 0);
    await closeBrowsers();
  });
});
