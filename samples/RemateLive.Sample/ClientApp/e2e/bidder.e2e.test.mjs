// Bidder features in real headless Chromium against the REAL sample host: the catalogue (search, status
// filter, sort, cursor paging), the watchlist, "My bids", raising your own maximum, and honest connection
// state (offline at once; a dead socket found within ~3 s in an auction's final minute).
// Run: npm run e2e   (REMATE_SAMPLE_DLL=/path/RemateLive.Sample.dll to use an existing build)
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { openBidder, priceOf, restClient, shot, signIn, startHost, uniqueName, waitForRoom } from './harness.mjs';

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

/** A bidder who only uses the REST API (signed in, with a token). */
async function restBidder(displayName) {
  const s = await api.login(uniqueName(displayName.toLowerCase().replace(/[^a-z]/g, '').slice(0, 6) + '_'), displayName);
  return { token: s.token, name: displayName };
}

async function closeBidders() {
  while (bidders.length) await bidders.pop().close();
}

const cents = (page, testId) => page.getByTestId(testId).getAttribute('data-cents').then(Number);

async function waitPrice(page, amount, timeout = 5000) {
  await page.waitForFunction((a) => document.querySelector('[data-testid=current-price]')?.dataset.cents === String(a), amount, { timeout });
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

const T = { timeout: 90_000 };

describe('bidder', () => {
  after(closeBidders);

  test('catalogue: debounced search, status filter, sort and "load more" by cursor; watch stars and the Watching list', T, async () => {
    // 14 auctions with a word nobody else uses; 2 of them closed.
    const word = `zq${Date.now().toString(36)}`;
    const made = [];
    for (let i = 0; i < 14; i++) {
      made.push(
        await api.createAuction(adminToken, {
          title: `Brass lamp ${word} ${String(i + 1).padStart(2, '0')}`,
          starting_price_cents: 10_000 + ((i * 7919) % 14) * 1000,
          ends_at: new Date(Date.now() + (20 + i) * 60_000).toISOString(),
        }),
      );
    }
    for (const a of made.slice(0, 2)) await api.close(adminToken, a.id);

    const a = await bidder('Alice Moreno');
    const requests = [];
    a.page.on('request', (r) => {
      const u = new URL(r.url());
      if (u.pathname === '/api/auctions' && r.method() === 'GET') requests.push(u.searchParams);
    });
    await signIn(a.page, host.base, '/', a.username, a.displayName);
    await a.page.getByTestId('auction-list').waitFor();

    // Typed key by key: one request for the settled text, not one per key.
    const before = requests.length;
    await a.page.getByTestId('catalogue-search').pressSequentially(word, { delay: 20 });
    const cards = a.page.locator('[data-testid=auction-card]');
    await a.page.waitForFunction(
      (w) => {
        const titles = [...document.querySelectorAll('[data-testid=auction-card] .auction-card-title')].map((e) => e.textContent);
        return titles.length === 12 && titles.every((t) => t.includes(w));
      },
      word,
      { timeout: 10_000 },
    );
    // (A refresh of the same query may follow; a partial word never goes out.)
    const searches = requests.slice(before).filter((p) => p.get('q'));
    assert.ok(searches.length >= 1);
    assert.deepEqual(new Set(searches.map((p) => p.get('q'))), new Set([word]), 'the search box is debounced');
    assert.equal(searches[0].get('limit'), '12');

    // Page 2 by cursor: the remaining 2, no repeat, then no more pages.
    await a.page.getByTestId('load-more').click();
    await a.page.waitForFunction(() => document.querySelectorAll('[data-testid=auction-card]').length === 14);
    assert.ok(requests.at(-1).get('cursor'), 'page 2 was asked for with the cursor of the Link header');
    const ids = await cards.evaluateAll((els) => els.map((e) => e.dataset.auctionId));
    assert.equal(new Set(ids).size, 14);
    assert.deepEqual([...ids].sort(), made.map((m) => m.id).sort());
    assert.equal(await a.page.getByTestId('load-more').count(), 0);
    // ending_soon (the default): open auctions by end, ascending.
    const openIds = ids.filter((id) => !made.slice(0, 2).some((m) => m.id === id));
    assert.deepEqual(openIds, made.slice(2).map((m) => m.id));

    // Status filter: the two closed ones only.
    await a.page.getByTestId('catalogue-status').selectOption('closed');
    await a.page.waitForFunction(() => document.querySelectorAll('[data-testid=auction-card]').length === 2, null, { timeout: 5000 });
    assert.deepEqual(
      (await cards.evaluateAll((els) => els.map((e) => e.dataset.auctionId))).sort(),
      made.slice(0, 2).map((m) => m.id).sort(),
    );
    assert.deepEqual(await a.page.locator('[data-testid=auction-card] .status').allTextContents(), ['Closed', 'Closed']);

    // Sort by price, highest first, over the open ones.
    await a.page.getByTestId('catalogue-status').selectOption('open');
    await a.page.getByTestId('catalogue-sort').selectOption('price_desc');
    const expected = made
      .slice(2)
      .sort((x, y) => y.current_price_cents - x.current_price_cents || (x.id < y.id ? -1 : 1))
      .slice(0, 12)
      .map((m) => m.current_price_cents);
    await a.page.waitForFunction(
      (want) => {
        const got = [...document.querySelectorAll('[data-testid=list-price]')].map((e) => Number(e.dataset.cents));
        return JSON.stringify(got) === JSON.stringify(want);
      },
      expected,
      { timeout: 5000 },
    );

    // A search that matches nothing says so.
    await a.page.getByTestId('catalogue-search').fill(`${word} nothingmatches`);
    await a.page.getByText('No auctions match your search.').waitFor({ timeout: 5000 });
    await a.page.getByTestId('catalogue-search').fill(word);
    await a.page.waitForFunction(() => document.querySelectorAll('[data-testid=auction-card]').length === 12, null, { timeout: 5000 });

    // Watch two auctions from the list; they show on "Watching", most recent first; the room's star agrees.
    const [w1, w2] = await cards.evaluateAll((els) => els.slice(0, 2).map((e) => e.dataset.auctionId));
    for (const id of [w1, w2]) {
      const star = a.page.locator(`[data-auction-id="${id}"] [data-testid=watch-toggle]`);
      await star.click();
      await a.page.waitForFunction((i) => document.querySelector(`[data-auction-id="${i}"] [data-testid=watch-toggle]`)?.getAttribute('aria-pressed') === 'true', id);
    }
    await shot(a.page, 'catalogue');
    await a.page.getByTestId('nav-watching').click();
    await a.page.waitForFunction(() => document.querySelectorAll('[data-testid=watchlist] [data-testid=auction-card]').length === 2, null, { timeout: 5000 });
    assert.deepEqual(await a.page.locator('[data-testid=watchlist] [data-testid=auction-card]').evaluateAll((els) => els.map((e) => e.dataset.auctionId)), [w2, w1]);
    assert.equal(await a.page.getByTestId('nav-watching').getAttribute('aria-current'), 'page');
    await shot(a.page, 'watchlist');
    // The server has it too (not just this page).
    const session = await a.page.evaluate(() => JSON.parse(localStorage.getItem('remate.session')));
    assert.deepEqual((await api.call('GET', '/api/me/watchlist', undefined, session.token)).map((x) => x.id), [w2, w1]);

    // Unwatch from the room.
    await a.page.locator(`[data-auction-id="${w1}"] a`).first().click();
    await waitForRoom(a.page);
    const roomStar = a.page.getByTestId('watch-toggle');
    assert.equal(await roomStar.getAttribute('aria-pressed'), 'true');
    await roomStar.click();
    await a.page.waitForFunction(() => document.querySelector('[data-testid=watch-toggle]')?.getAttribute('aria-pressed') === 'false');
    for (let i = 0; i < 20; i++) {
      if ((await api.call('GET', '/api/me/watchlist', undefined, session.token)).length === 1) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.deepEqual((await api.call('GET', '/api/me/watchlist', undefined, session.token)).map((x) => x.id), [w2]);
    assert.deepEqual(a.errors, []);
    await closeBidders();
  });

  test('"My bids" shows outbid, then leading, then won — each with a link to its room', T, async () => {
    const auction = await api.createAuction(adminToken);
    const other = await restBidder('Carla Soto');
    const a = await bidder('Alice Moreno');
    await signIn(a.page, host.base, `/auctions/${auction.id}`, a.username, a.displayName);
    await waitForRoom(a.page);
    await a.page.getByTestId('quick-bid').click();
    await a.page.getByTestId('you-lead').waitFor({ timeout: 3000 });

    // Someone outbids Alice over REST.
    await api.placeBid(other.token, auction.id, 130_000);
    await a.page.getByTestId('notice-outbid').waitFor({ timeout: 3000 });

    await a.page.getByTestId('nav-my-bids').click();
    const row = a.page.locator(`[data-testid=my-bid][data-auction-id="${auction.id}"]`);
    await row.waitFor({ timeout: 5000 });
    assert.equal(await row.getAttribute('data-status'), 'outbid');
    assert.equal(await row.getByTestId('my-bid-status').textContent(), 'Outbid');
    assert.equal(await row.getByTestId('my-bid-highest').textContent(), '$1,200.00');
    assert.equal(await row.getByTestId('my-bid-price').textContent(), '$1,300.00');
    assert.equal(await row.getByTestId('my-bid-max').count(), 0);
    await shot(a.page, 'my-bids-outbid');

    // Back to the room through the row's link; Alice bids with a maximum and leads again.
    await row.getByRole('link', { name: auction.title }).click();
    await waitForRoom(a.page);
    assert.equal(new URL(a.page.url()).pathname, `/auctions/${auction.id}`);
    await a.page.getByTestId('bid-amount').fill('1400');
    await a.page.getByTestId('bid-max').fill('1800');
    await a.page.getByTestId('bid-submit').click();
    await a.page.getByTestId('you-lead').waitFor({ timeout: 3000 });
    await a.page.getByTestId('nav-my-bids').click();
    await a.page.waitForFunction(
      (id) => document.querySelector(`[data-testid=my-bid][data-auction-id="${id}"]`)?.dataset.status === 'leading',
      auction.id,
      { timeout: 5000 },
    );
    // Her own maximum, only to her.
    assert.equal(await row.getByTestId('my-bid-max').textContent(), '$1,800.00');
    const otherView = await api.call('GET', '/api/me/bids', undefined, other.token);
    assert.equal(otherView.find((x) => x.auction.id === auction.id).max_cents, null);

    // The admin closes it: the page (refreshing by itself) says won; the other bidder lost.
    await api.close(adminToken, auction.id);
    await a.page.waitForFunction(
      (id) => document.querySelector(`[data-testid=my-bid][data-auction-id="${id}"]`)?.dataset.status === 'won',
      auction.id,
      { timeout: 10_000 },
    );
    assert.equal(await row.getByTestId('my-bid-status').textContent(), 'Won');
    assert.equal(await a.page.locator('[data-testid=my-bids-finished] [data-testid=my-bid]').count(), 1);
    assert.equal((await api.call('GET', '/api/me/bids', undefined, other.token)).find((x) => x.auction.id === auction.id).status, 'lost');
    await shot(a.page, 'my-bids');
    assert.deepEqual(a.errors, []);
    await closeBidders();
  });

  test('raising your maximum defends the lead without moving the price; nobody else sees it', T, async () => {
    const auction = await api.createAuction(adminToken); // USD 1,200.00, fixed increment 25.00
    const a = await bidder('Alice Moreno');
    const b = await bidder('Bruno Díaz', { locale: 'es-CL' });
    await Promise.all([
      signIn(a.page, host.base, `/auctions/${auction.id}`, a.username, a.displayName),
      signIn(b.page, host.base, `/auctions/${auction.id}`, b.username, b.displayName),
    ]);
    await Promise.all([waitForRoom(a.page), waitForRoom(b.page)]);

    await a.page.getByTestId('quick-bid').click();
    await a.page.getByTestId('you-lead').waitFor({ timeout: 3000 });
    await a.page.getByTestId('raise-max').waitFor();
    assert.equal(await cents(a.page, 'your-max'), 120_000);
    const versionBefore = (await api.auction(auction.id)).version;

    // Too low is refused before sending.
    await a.page.getByTestId('raise-max-amount').fill('1100');
    await a.page.getByTestId('raise-max-submit').click();
    assert.match(await a.page.getByTestId('raise-max-error').textContent(), /above your current maximum \(\$1,200\.00\)/);

    await a.page.getByTestId('raise-max-amount').fill('2000');
    await a.page.getByTestId('raise-max-submit').click();
    await a.page.waitForFunction(() => document.querySelector('[data-testid=your-max]')?.dataset.cents === '200000', null, { timeout: 5000 });
    await a.page.locator('[data-testid=notice-success][data-key="notice.maxRaised"]').waitFor({ timeout: 3000 });
    // The price did not move; the raise is a sequenced event (the version advanced) on both screens.
    const afterRaise = await api.auction(auction.id);
    assert.equal(afterRaise.current_price_cents, 120_000);
    assert.equal(afterRaise.version, versionBefore + 1);
    assert.equal(await priceOf(a.page), 120_000);
    assert.equal(await priceOf(b.page), 120_000);
    await shot(a.page, 'room-raise-max');

    // Bruno sees nothing of it: no panel, no amount.
    assert.equal(await b.page.getByTestId('raise-max').count(), 0);
    assert.equal(await b.page.getByTestId('your-max').count(), 0);
    const bText = await b.page.locator('body').innerText();
    assert.ok(!/2\.000|2,000/.test(bText), 'the maximum is not shown to another bidder');

    // Bruno bids 1,500.00; Alice's maximum answers at once with 1,525.00: she still leads.
    await b.page.getByTestId('bid-amount').fill('1500');
    await b.page.getByTestId('bid-submit').click();
    await waitPrice(b.page, 152_500);
    await waitPrice(a.page, 152_500);
    await b.page.getByTestId('notice-outbid').waitFor({ timeout: 3000 });
    await a.page.getByTestId('you-lead').waitFor();
    assert.equal(await cents(a.page, 'your-max'), 200_000);
    const bids = await api.bids(auction.id);
    assert.deepEqual(
      bids.map((x) => [x.amount_cents, x.kind]),
      [
        [152_500, 'proxy'],
        [150_000, 'manual'],
        [120_000, 'manual'],
      ],
    );
    assert.deepEqual(a.errors, []);
    assert.deepEqual(b.errors, []);
    await closeBidders();
  });

  test('offline: the room says "Offline" within 2 s of the network going, a bid waits, and is placed once when back', T, async () => {
    const auction = await api.createAuction(adminToken);
    const a = await bidder('Alice Moreno');
    await signIn(a.page, host.base, `/auctions/${auction.id}`, a.username, a.displayName);
    await waitForRoom(a.page);

    const t0 = Date.now();
    await a.context.setOffline(true); // only the browser's own signal; nothing drops the socket by hand
    await a.page.locator('[data-testid=connection][data-state=offline]').waitFor({ timeout: 2000 });
    const took = Date.now() - t0;
    assert.ok(took <= 2000, `"Offline" after ${took} ms`);
    assert.equal(await a.page.getByTestId('connection').textContent(), 'Offline');
    await a.page.getByTestId('offline-notice').waitFor();

    await a.page.getByTestId('quick-bid').click();
    await a.page.getByTestId('bid-waiting').waitFor({ timeout: 2000 });
    assert.match(await a.page.getByTestId('bid-waiting').textContent(), /waiting for the connection/);
    await shot(a.page, 'room-offline-waiting');
    assert.equal((await api.bids(auction.id)).length, 0);

    await a.context.setOffline(false);
    await a.page.locator('[data-testid=connection][data-state=open]').waitFor({ timeout: 5000 });
    await waitPrice(a.page, auction.min_next_bid_cents);
    await a.page.getByTestId('bid-waiting').waitFor({ state: 'detached', timeout: 3000 });
    assert.equal((await api.bids(auction.id)).length, 1);
    assert.deepEqual(a.errors, []);
    await closeBidders();
  });

  test("final minute: the client pings every second and finds a dead socket within ~3 s, then reconnects", T, async () => {
    const auction = await api.createAuction(adminToken, { ends_at: new Date(Date.now() + 50_000).toISOString() });
    const a = await bidder('Alice Moreno');
    // A proxy in front of the room's socket: it can go silent (as a dead network does, with no close).
    const conns = [];
    await a.page.routeWebSocket(/\/ws\/auctions\//, (ws) => {
      const c = { pings: 0, pongs: 0, silent: false, at: Date.now() };
      conns.push(c);
      const server = ws.connectToServer();
      ws.onMessage((m) => {
        if (String(m).includes('"type":"ping"')) c.pings++;
        server.send(m);
      });
      server.onMessage((m) => {
        if (c.silent) return;
        if (String(m).includes('"type":"pong"')) c.pongs++;
        ws.send(m);
      });
    });
    await signIn(a.page, host.base, `/auctions/${auction.id}`, a.username, a.displayName);
    await waitForRoom(a.page);
    await new Promise((r) => setTimeout(r, 3200));
    const first = conns.at(-1);
    assert.ok(first.pings >= 3 && first.pings <= 5, `pings in ~3 s: ${first.pings}`);
    assert.ok(first.pongs >= 3, `pongs: ${first.pongs}`);
    assert.equal(conns.length, 1);

    const t0 = Date.now();
    first.silent = true;
    await a.page.locator('[data-testid=connection]:not([data-state=open])').waitFor({ timeout: 5000 });
    const detected = Date.now() - t0;
    // The next ping goes out within 1 s of the silence; 3 s later it is declared dead.
    assert.ok(detected >= 2000 && detected <= 5000, `dead socket detected after ${detected} ms`);
    await a.page.locator('[data-testid=connection][data-state=open]').waitFor({ timeout: 5000 });
    assert.equal(conns.length, 2, 'a new connection replaced the dead one');
    assert.deepEqual(a.errors, []);
    await closeBidders();
  });
});

