// Live sale in real headless Chromium against the REAL sample host: an auctioneer (the admin, in the
// console) and two bidders (English and Spanish) run a three-lot sale — lot 1 sold to an absentee bid,
// lot 2 sold on the floor, lot 3 passed — and both bidders' views follow the lots by themselves.
// Run: npm run e2e   (REMATE_SAMPLE_DLL=/path/RemateLive.Sample.dll to use an existing build)
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ADMIN_PASSWORD, axeViolations, openBidder, restClient, shot, signIn, startHost, uniqueName } from './harness.mjs';

let host;
let api;
let adminToken;
const browsers = [];

async function browser(opts) {
  const b = await openBidder(opts);
  browsers.push(b);
  return b;
}

before(async () => {
  host = await startHost();
  api = restClient(host.base);
  adminToken = await api.adminToken();
});

after(async () => {
  while (browsers.length) await browsers.pop().close();
  await host?.stop();
});

const T = { timeout: 120_000 };
const WAIT = 10_000;

/** Waits until the element's data attribute has the value (as a string). */
function attr(page, selector, name, value) {
  return page.waitForFunction(
    ([sel, n, v]) => document.querySelector(sel)?.getAttribute(`data-${n}`) === v,
    [selector, name, String(value)],
    { timeout: WAIT },
  );
}

const lotResult = (page, n, outcome) => attr(page, '[data-testid=lot-result]', 'lot-number', n).then(() => attr(page, '[data-testid=lot-result]', 'outcome', outcome));
const onRostrum = (page, n) => attr(page, '[data-testid=current-lot]', 'lot-number', n);
const leading = (page) =>
  page.$eval('[data-testid=leading-bid]', (el) => ({ cents: Number(el.dataset.cents), paddle: Number(el.dataset.paddle), source: el.dataset.source }));

describe('live sale', () => {
  test('auctioneer and two bidders: absentee sale, floor sale, passed lot', T, async () => {
    const sale = await api.call(
      'POST',
      '/api/sales',
      {
        title: `E2E estate sale ${uniqueName('')}`,
        currency: 'USD',
        increment: { kind: 'fixed', amount_cents: 1000 },
        lots: [
          { title: 'Oak writing desk', starting_price_cents: 20000, description: 'c. 1900' },
          { title: 'Silver tea set', starting_price_cents: 30000 },
          { title: 'Harbour at dusk, oil on canvas', starting_price_cents: 120000 },
        ],
      },
      adminToken,
    );
    const [lot1, lot2, lot3] = sale.lots;
    assert.equal(sale.status, 'scheduled');

    // The auctioneer signs in as the admin (with the password) and opens the console.
    const auctioneer = await browser({ viewport: { width: 1360, height: 900 } });
    await auctioneer.page.goto(`${host.base}/sales/${sale.id}/console`);
    await auctioneer.page.getByLabel(/^(Username|Usuario)$/).fill('admin');
    await auctioneer.page.getByLabel(/^(Display name|Nombre visible)$/).fill('Admin');
    await auctioneer.page.getByLabel(/^(Password|Contraseña)/).fill(ADMIN_PASSWORD);
    await auctioneer.page.getByRole('button', { name: /Enter the auction house/ }).click();
    const console_ = auctioneer.page;
    await console_.locator('[data-testid=connection][data-state=open]').waitFor({ timeout: WAIT });
    await console_.getByTestId('console-open-next').waitFor({ timeout: WAIT });

    // Two bidders, A in English and B in Spanish, reach the sale from the main page's entry point.
    const a = await browser();
    const b = await browser({ locale: 'es-CL' });
    a.username = uniqueName('ana_');
    b.username = uniqueName('bruno_');
    await Promise.all([signIn(a.page, host.base, '/', a.username, 'Ana Soto'), signIn(b.page, host.base, '/', b.username, 'Bruno Díaz')]);
    for (const p of [a.page, b.page]) {
      await p.getByTestId('sales-entry-link').click();
      await p.locator(`[data-sale-id="${sale.id}"] [data-testid=sale-enter]`).click();
      await p.locator('[data-testid=connection][data-state=open]').waitFor({ timeout: WAIT });
      assert.equal(await p.getByTestId('sale-title').textContent(), sale.title);
      assert.equal(new URL(p.url()).pathname, `/sales/${sale.id}`);
    }
    assert.match(await b.page.locator('#catalogue-heading').textContent(), /Catálogo/);
    assert.match(await a.page.locator('#catalogue-heading').textContent(), /Catalogue/);
    // Bidders see no console controls.
    assert.equal(await a.page.getByTestId('to-console').count(), 0);

    // A leaves an absentee maximum of 220.00 on lot 1 before it opens.
    const row1 = a.page.locator('[data-testid=lot-list] li[data-lot-number="1"]');
    await row1.getByTestId('absentee-amount').fill('150');
    await row1.getByTestId('absentee-submit').click();
    await row1.getByTestId('absentee-error').waitFor({ timeout: WAIT }); // below the starting price: refused in the form
    await row1.getByTestId('absentee-amount').fill('220');
    await row1.getByTestId('absentee-submit').click();
    await attr(a.page, '[data-testid=lot-list] li[data-lot-number="1"] [data-testid=absentee-placed]', 'cents', 22000);
    const paddleA = Number(await a.page.getByTestId('your-paddle').getAttribute('data-paddle'));
    assert.ok(paddleA >= 1001, `online/absentee paddles start at 1001, got ${paddleA}`);
    await shot(a.page, 'sale-bidder-before');

    // ---- Lot 1: opened; the book bids the starting price for A; B bids; the book answers; sold to the absentee.
    await console_.getByTestId('console-open-next').click();
    for (const p of [a.page, b.page, console_]) await onRostrum(p, 1);
    await attr(b.page, '[data-testid=leading-bid]', 'source', 'absentee');
    assert.deepEqual(await leading(b.page), { cents: 20000, paddle: paddleA, source: 'absentee' });
    await a.page.getByTestId('sale-you-lead').waitFor({ timeout: WAIT });
    assert.equal(await a.page.getByTestId('sale-bid').isDisabled(), true, 'the leader cannot bid against themselves');
    await attr(b.page, '[data-testid=asking-price]', 'cents', 21000);
    await b.page.getByTestId('sale-bid').click(); // 210.00 online; the book answers at 220.00 (A's maximum)
    await attr(b.page, '[data-testid=leading-bid]', 'cents', 22000);
    assert.deepEqual(await leading(b.page), { cents: 22000, paddle: paddleA, source: 'absentee' });
    // B's paddle comes with bid_ok, which may arrive after the events it caused.
    await b.page.waitForFunction(() => document.querySelector('[data-testid=your-paddle]')?.dataset.paddle !== '', null, { timeout: WAIT });
    const paddleB = Number(await b.page.getByTestId('your-paddle').getAttribute('data-paddle'));
    assert.ok(paddleB >= 1001 && paddleB !== paddleA, `B's paddle ${paddleB} (A's ${paddleA})`);
    await attr(a.page, '[data-testid=asking-price]', 'cents', 23000);
    await console_.getByTestId('console-fair-warning').click();
    for (const p of [a.page, b.page]) await p.getByTestId('fair-warning').waitFor({ timeout: WAIT });
    await console_.getByTestId('console-sold').click();
    for (const p of [a.page, b.page, console_]) await lotResult(p, 1, 'sold');
    assert.match(await a.page.getByTestId('lot-result').textContent(), /Lot 1 is yours for \$220\.00/);
    assert.match(await b.page.getByTestId('lot-result').textContent(), new RegExp(`Lote 1 adjudicado en .*220.* paleta ${paddleA} \\(en ausencia\\)`));

    // ---- Lot 2: B bids online; the auctioneer jumps the asking price; a floor bid by paddle; pause/resume; sold on the floor.
    await console_.getByTestId('console-open-next').click();
    for (const p of [a.page, b.page]) await onRostrum(p, 2); // the views move on by themselves
    await lotResult(b.page, 1, 'sold'); // the last result stays in view
    await b.page.getByTestId('sale-bid').click(); // 300.00
    await attr(console_, '[data-testid=leading-bid]', 'cents', 30000);
    assert.equal(await console_.getByTestId('console-jump-0').getAttribute('data-cents'), '32000');
    await console_.getByTestId('console-jump-0').click(); // ask 320.00
    for (const p of [a.page, b.page]) await attr(p, '[data-testid=asking-price]', 'cents', 32000);
    await console_.getByTestId('console-paddle').fill('12');
    await console_.getByTestId('console-floor-bid').click();
    for (const p of [a.page, b.page]) await attr(p, '[data-testid=leading-bid]', 'paddle', 12);
    assert.deepEqual(await leading(a.page), { cents: 32000, paddle: 12, source: 'floor' });
    await console_.getByTestId('console-pause').click();
    for (const p of [a.page, b.page]) await p.getByTestId('sale-paused').waitFor({ timeout: WAIT });
    assert.equal(await a.page.getByTestId('sale-bid').isDisabled(), true, 'no bids while paused');
    await console_.getByTestId('console-resume').click();
    for (const p of [a.page, b.page]) await attr(p, '[data-testid=sale-status]', 'status', 'running');
    await console_.getByTestId('console-fair-warning').click();
    for (const p of [a.page, b.page]) await p.getByTestId('fair-warning').waitFor({ timeout: WAIT });
    await console_.locator('[data-testid=sale-log] li[data-type=fair_warning]').first().waitFor({ timeout: WAIT });
    for (const [p, screen] of [[console_, 'console'], [a.page, 'bidder view (en)'], [b.page, 'bidder view (es)']]) {
      const found = await axeViolations(p);
      assert.deepEqual(found, [], `axe on the ${screen}:\n${found.join('\n')}`);
    }
    await shot(console_, 'sale-console');
    await shot(b.page, 'sale-bidder-es');
    await shot(a.page, 'sale-bidder-en');
    await console_.getByTestId('console-sold').click();
    for (const p of [a.page, b.page]) await lotResult(p, 2, 'sold');
    assert.match(await a.page.getByTestId('lot-result').textContent(), /Lot 2 sold for \$320\.00 to paddle 12 \(in the room\)/);

    // ---- Lot 3: nobody bids; "sold" is not offered; passed. The sale then ends.
    await console_.getByTestId('console-open-next').click();
    for (const p of [a.page, b.page]) await onRostrum(p, 3);
    assert.equal(await console_.getByTestId('console-sold').isDisabled(), true, 'no hammer without a bid');
    await console_.getByTestId('console-pass').click();
    for (const p of [a.page, b.page, console_]) await lotResult(p, 3, 'passed');
    for (const p of [a.page, b.page, console_]) await attr(p, '[data-testid=sale-status]', 'status', 'ended');
    assert.match(await b.page.getByTestId('lot-result').textContent(), /lote 3 quedó sin venta/);

    // Every view's catalogue shows each result; the server agrees.
    for (const p of [a.page, b.page]) {
      const statuses = await p.$$eval('[data-testid=lot-list] li', (lis) => lis.map((li) => li.dataset.status));
      assert.deepEqual(statuses, ['sold', 'sold', 'passed']);
    }
    const final = await api.call('GET', `/api/sales/${sale.id}`);
    assert.deepEqual(
      final.lots.map((l) => [l.id, l.status, l.leading_bid_cents, l.leading_paddle, l.leading_source]),
      [
        [lot1.id, 'sold', 22000, paddleA, 'absentee'],
        [lot2.id, 'sold', 32000, 12, 'floor'],
        [lot3.id, 'passed', null, null, null],
      ],
    );
    // The console's stream holds every event of the sale, in order.
    const seqs = await console_.$$eval('[data-testid=sale-log] li', (lis) => lis.map((li) => Number(li.dataset.seq)));
    assert.deepEqual(seqs, Array.from({ length: final.seq }, (_, i) => final.seq - i));
    for (const x of [auctioneer, a, b]) assert.deepEqual(x.errors, [], 'no page errors');
  });

  test('a bidder who loses the connection resumes by last_seq and misses nothing', T, async () => {
    const sale = await api.call(
      'POST',
      '/api/sales',
      {
        title: `E2E resume ${uniqueName('')}`,
        currency: 'USD',
        increment: { kind: 'fixed', amount_cents: 500 },
        lots: [{ title: 'Brass lamp', starting_price_cents: 5000 }, { title: 'Clock', starting_price_cents: 8000 }],
      },
      adminToken,
    );
    const c = await browser();
    c.username = uniqueName('carla_');
    await signIn(c.page, host.base, `/sales/${sale.id}`, c.username, 'Carla');
    await c.page.locator('[data-testid=connection][data-state=open]').waitFor({ timeout: WAIT });
    const command = (body) => api.call('POST', `/api/sales/${sale.id}/auctioneer`, body, adminToken);
    await command({ action: 'open_lot' });
    await onRostrum(c.page, 1);
    // Drop the socket and change the sale meanwhile: the view catches up on reconnect.
    await c.page.evaluate(() => window.__remateSale.drop());
    await command({ action: 'floor_bid', paddle: 3, amount_cents: 5000 });
    await command({ action: 'sold' });
    await command({ action: 'open_lot' });
    await c.page.locator('[data-testid=connection][data-state=open]').waitFor({ timeout: WAIT });
    await onRostrum(c.page, 2);
    await lotResult(c.page, 1, 'sold');
    assert.equal(await c.page.evaluate(() => window.__remateSale.lastSeq()), 4);
    // A reload starts from the snapshot and reads the earlier events: the last result is still shown.
    await c.page.reload();
    await c.page.locator('[data-testid=connection][data-state=open]').waitFor({ timeout: WAIT });
    await onRostrum(c.page, 2);
    await lotResult(c.page, 1, 'sold');
    assert.match(await c.page.getByTestId('lot-result').textContent(), /Lot 1 sold for \$50\.00 to paddle 3 \(in the room\)/);
    assert.deepEqual(c.errors, []);
  });
});
