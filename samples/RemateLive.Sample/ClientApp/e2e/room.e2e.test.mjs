// Browser end-to-end tests: real headless Chromium (playwright-core) against the REAL sample host.
// Run: npm run e2e   (REMATE_SAMPLE_DLL=/path/RemateLive.Sample.dll to use an existing build)
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  historyOf,
  openBidder,
  priceOf,
  restClient,
  shot,
  signIn,
  startHost,
  uniqueName,
  waitForRoom,
} from './harness.mjs';

let host;
let api;
let adminToken;
const bidders = [];

async function bidder(displayName, opts) {
  const b = await openBidder(opts);
  bidders.push(b);
  b.username = uniqueName(displayName.toLowerCase().replace(/[^a-z]/g, '').slice(0, 8) + '_');
  b.displayName = displayName;
  return b;
}

/** A fresh auction and two signed-in bidders in its room (A in English, B in Spanish). */
async function roomWithTwoBidders(over = {}) {
  const auction = await api.createAuction(adminToken, over);
  const a = await bidder('Alice Moreno');
  const b = await bidder('Bruno Díaz', { locale: 'es-CL' });
  await Promise.all([
    signIn(a.page, host.base, `/auctions/${auction.id}`, a.username, a.displayName),
    signIn(b.page, host.base, `/auctions/${auction.id}`, b.username, b.displayName),
  ]);
  await Promise.all([waitForRoom(a.page), waitForRoom(b.page)]);
  return { auction, a, b };
}

async function closeBidders() {
  while (bidders.length) await bidders.pop().close();
}

before(async () => {
  host = await startHost();
  api = restClient(host.base);
  adminToken = await api.adminToken();
});

after(async () => {
  await closeBidders();
  await host?.stop();
});

// Each test has its own time budget (a suite-level timeout would cover all of them together).
const T = { timeout: 60_000 };

describe('auction room', () => {
  after(closeBidders);

  test('both bidders see the auction; a bid reaches the other within 1 s; outbid notice', T, async () => {
    const { auction, a, b } = await roomWithTwoBidders();
    for (const p of [a.page, b.page]) {
      assert.equal(await p.locator('#item-title').textContent(), auction.title);
      assert.equal(await priceOf(p), auction.current_price_cents);
    }
    // Spanish for B (from the browser language), English for A.
    assert.match(await b.page.locator('#history-heading').textContent(), /Historial de ofertas/);
    assert.match(await a.page.locator('#history-heading').textContent(), /Bid history/);

    // A: quick bid at the minimum next bid.
    const min = auction.min_next_bid_cents;
    const t0 = Date.now();
    await a.page.getByTestId('quick-bid').click();
    await b.page.waitForFunction(
      (amount) =>
        document.querySelector('[data-testid=current-price]')?.dataset.cents === String(amount) &&
        document.querySelector('[data-testid=bid-history] li[data-seq]')?.dataset.amount === String(amount),
      min,
      { timeout: 1000 },
    );
    const latency = Date.now() - t0;
    assert.ok(latency <= 1000, `B saw A's bid after ${latency} ms`);
    const bHistory = await historyOf(b.page);
    assert.equal(bHistory[0].bidder, a.displayName);
    await a.page.getByTestId('you-lead').waitFor({ timeout: 2000 });

    // B outbids A with a custom amount typed the Chilean way ("1.300,00" is 1300.00 USD).
    await b.page.getByTestId('bid-amount').fill('1.300,00');
    await b.page.getByTestId('bid-submit').click();
    await a.page.getByTestId('notice-outbid').waitFor({ timeout: 2000 });
    assert.match(await a.page.getByTestId('notice-outbid').textContent(), /outbid.*Bruno Díaz.*\$1,300\.00/);
    await a.page.waitForFunction(() => document.querySelector('[data-testid=current-price]')?.dataset.cents === '130000');
    assert.equal(await a.page.getByTestId('you-lead').count(), 0);

    // A few more bids make a chart worth looking at.
    for (const [who, amount] of [
      [a, '1350'],
      [b, '1425.50'],
      [a, '1510'],
    ]) {
      const before = (await historyOf(who.page)).length;
      await who.page.getByTestId('bid-amount').fill(amount);
      await who.page.getByTestId('bid-submit').click();
      await who.page.waitForFunction((n) => document.querySelectorAll('[data-testid=bid-history] li[data-seq]').length > n, before);
    }
    await b.page.waitForFunction(() => document.querySelector('[data-testid=current-price]')?.dataset.cents === '151000');
    const historyA = await historyOf(a.page);
    assert.deepEqual(await historyOf(b.page), historyA);
    assert.deepEqual(
      historyA.map((h) => h.amount),
      [151000, 142550, 135000, 130000, min],
    );
    await a.page.getByTestId('price-chart').waitFor();
    await shot(a.page, 'room-desktop-en');
    await shot(b.page, 'room-desktop-es');

    // A reload keeps A signed in and back in the same room with the same history.
    await a.page.reload();
    await waitForRoom(a.page);
    assert.deepEqual(await historyOf(a.page), historyA);
    assert.deepEqual(a.errors, []);
    assert.deepEqual(b.errors, []);
    await closeBidders();
  });

  test('a too-low custom amount shows an error and places nothing', T, async () => {
    const { auction, a } = await roomWithTwoBidders();
    await a.page.getByTestId('bid-amount').fill('5.00');
    await a.page.getByTestId('bid-submit').click();
    const err = a.page.getByTestId('bid-form-error');
    await err.waitFor({ timeout: 2000 });
    assert.match(await err.textContent(), /minimum bid is \$1,200\.00/);
    assert.equal(await a.page.getByTestId('bid-amount').getAttribute('aria-invalid'), 'true');
    // Nonsense input is rejected with a different message.
    await a.page.getByTestId('bid-amount').fill('12,34,5x');
    await a.page.getByTestId('bid-submit').click();
    assert.match(await err.textContent(), /not a valid amount/);
    const bids = await api.bids(auction.id);
    assert.equal(bids.length, 0);
    await shot(a.page, 'room-too-low');
    await closeBidders();
  });

  test('the server rejects a stale bid: BID_TOO_LOW becomes a readable notice', T, async () => {
    const { auction, a, b } = await roomWithTwoBidders();
    // B bids over REST behind A's back while A's socket is cut, so A's view is stale when A bids.
    await a.context.setOffline(true);
    await a.page.evaluate(() => window.__remate?.drop());
    await a.page.locator('[data-testid=connection]:not([data-state=open])').waitFor();
    const session = await b.page.evaluate(() => JSON.parse(localStorage.getItem('remate.session')));
    await api.placeBid(session.token, auction.id, 200000);
    // A bids its (stale) minimum while offline: the bid waits, is sent after the reconnect, the server says no.
    await a.page.getByTestId('quick-bid').click();
    await a.context.setOffline(false);
    const notice = a.page.getByTestId('notice-error');
    await notice.waitFor({ timeout: 15_000 });
    assert.match(await notice.textContent(), /too low.*minimum is now \$2,025\.00/);
    await a.page.waitForFunction(() => document.querySelector('[data-testid=current-price]')?.dataset.cents === '200000');
    assert.equal((await api.bids(auction.id)).length, 1);
    await shot(a.page, 'room-bid-error');
    await closeBidders();
  });

  test('the socket is cut and restored: history has no gap and no duplicate; a queued bid is placed once', T, async () => {
    const { auction, a, b } = await roomWithTwoBidders();
    await a.page.getByTestId('quick-bid').click();
    await b.page.waitForFunction(() => document.querySelectorAll('[data-testid=bid-history] li[data-seq]').length === 1);

    await a.context.setOffline(true);
    await a.page.evaluate(() => window.__remate?.drop());
    await a.page.locator('[data-testid=connection]:not([data-state=open])').waitFor();

    // While A is away, B bids three times.
    for (let i = 0; i < 3; i++) {
      const n = (await historyOf(b.page)).length;
      await b.page.getByTestId('quick-bid').click();
      await b.page.waitForFunction((k) => document.querySelectorAll('[data-testid=bid-history] li[data-seq]').length === k + 1, n);
    }
    // A bids a high amount while offline: it waits for the connection and must be placed exactly once.
    await a.page.getByTestId('bid-amount').fill('5000');
    await a.page.getByTestId('bid-submit').click();
    await shot(a.page, 'room-offline');

    await a.context.setOffline(false);
    await a.page.locator('[data-testid=connection][data-state=open]').waitFor({ timeout: 20_000 });
    await b.page.waitForFunction(() => document.querySelector('[data-testid=current-price]')?.dataset.cents === '500000', null, {
      timeout: 10_000,
    });
    await a.page.waitForFunction(() => document.querySelector('[data-testid=current-price]')?.dataset.cents === '500000');

    const server = (await api.bids(auction.id)).map((x) => ({ seq: x.seq, amount: x.amount_cents, bidder: x.bidder_name }));
    const seenA = await historyOf(a.page);
    const seenB = await historyOf(b.page);
    assert.equal(server.length, 5);
    assert.deepEqual(seenA, server, 'A: same bids as the server, in order, none missing, none doubled');
    assert.deepEqual(seenB, server);
    assert.equal(new Set(seenA.map((h) => h.seq)).size, seenA.length);
    assert.equal(server.filter((x) => x.amount === 500000).length, 1, 'the queued bid was placed once');
    assert.equal(await a.page.evaluate(() => window.__remate?.lastSeq()), (await api.auction(auction.id)).version);
    await shot(a.page, 'room-after-reconnect');
    await closeBidders();
  });

  test('soft close: a late bid extends the auction and both see it', T, async () => {
    const { a, b } = await roomWithTwoBidders({
      ends_at: new Date(Date.now() + 12_000).toISOString(),
      soft_close: { window_seconds: 60, extension_seconds: 60, max_extensions: 5 },
    });
    await a.page.getByTestId('quick-bid').click();
    for (const p of [a.page, b.page]) {
      await p.getByTestId('notice-extended').waitFor({ timeout: 3000 });
    }
    const left = await b.page.locator('[role=timer]').textContent();
    const [mm, ss] = left.split(':').map(Number);
    assert.ok(mm * 60 + ss > 30, `the countdown moved past the original 12 s: ${left}`);
    await shot(b.page, 'room-extended');
    await closeBidders();
  });

  test('the admin closes the auction: both see the winner', T, async () => {
    const { auction, a, b } = await roomWithTwoBidders();
    await a.page.getByTestId('quick-bid').click();
    await b.page.waitForFunction(() => document.querySelectorAll('[data-testid=bid-history] li[data-seq]').length === 1);
    await api.close(adminToken, auction.id);
    const bannerA = a.page.getByTestId('result-banner');
    const bannerB = b.page.getByTestId('result-banner');
    await Promise.all([bannerA.waitFor({ timeout: 3000 }), bannerB.waitFor({ timeout: 3000 })]);
    assert.equal(await bannerA.getAttribute('data-tone'), 'won');
    assert.match(await bannerA.textContent(), /You won! Final price \$1,200\.00/);
    assert.equal(await bannerB.getAttribute('data-tone'), 'sold');
    assert.match(await bannerB.textContent(), /Adjudicado a Alice Moreno por US\$\s?1\.200/);
    assert.equal(await b.page.getByTestId('quick-bid').count(), 0, 'no bidding after the close');
    await shot(a.page, 'room-closed-winner');
    await shot(b.page, 'room-closed-other');
    await closeBidders();
  });

  test('signing out revokes the token on the server (a copied token stops working)', T, async () => {
    const auction = await api.createAuction(adminToken);
    const p = await bidder('Dana Vidal');
    await signIn(p.page, host.base, `/auctions/${auction.id}`, p.username, p.displayName);
    await waitForRoom(p.page);
    const session = await p.page.evaluate(() => JSON.parse(localStorage.getItem('remate.session')));
    await api.placeBid(session.token, auction.id, 120000); // the token works
    await p.page.getByRole('button', { name: 'Sign out' }).click();
    await p.page.waitForFunction(() => !localStorage.getItem('remate.session'));
    let status = 0;
    for (let i = 0; i < 150 && status !== 401; i++) { // nodes trust a cached stamp for at most 10 s
      const r = await fetch(`${host.base}/api/auctions/${auction.id}/bids`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${session.token}` },
        body: JSON.stringify({ amount_cents: 130000 + i * 2500 }),
      });
      status = r.status;
      if (status !== 401) await new Promise((res) => setTimeout(res, 100));
    }
    assert.equal(status, 401, 'the old token is refused after signing out');
    await closeBidders();
  });

  test('phone width: the room stays usable', T, async () => {
    const auction = await api.createAuction(adminToken, { currency: 'CLP', starting_price_cents: 1500000, increment: { kind: 'fixed', amount_cents: 50000 } });
    const p = await bidder('Carla Rojas', { locale: 'es-CL', viewport: { width: 375, height: 780 } });
    await signIn(p.page, host.base, `/auctions/${auction.id}`, p.username, p.displayName);
    await waitForRoom(p.page);
    // CLP has no minor unit: whole pesos, no decimals.
    assert.match(await p.page.getByTestId('quick-bid').textContent(), /\$1\.500\.000$/);
    await p.page.getByTestId('bid-amount').fill('1.600.000');
    await p.page.getByTestId('bid-submit').click();
    await p.page.waitForFunction(() => document.querySelector('[data-testid=current-price]')?.dataset.cents === '1600000');
    const overflow = await p.page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `no horizontal scroll at 375 px (overflow ${overflow}px)`);
    await shot(p.page, 'room-phone');
    await closeBidders();
  });
});
