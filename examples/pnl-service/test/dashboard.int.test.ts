import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { EventPublisher, EventStream, PositionEvent, RedisClient, silentLogger } from '@trading-platform/redis-client';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { browserSkipReason, launchChromium, watchPage } from '../../../test/harness/browser.js';
import type { PageWatch } from '../../../test/harness/browser.js';
import { findFreePort, keygen, useRedisServer, waitFor } from '../../../test/harness/index.js';
import { buildPnlService } from '../src/app.js';
import type { PnlService } from '../src/app.js';

const skipReason = browserSkipReason();
if (skipReason !== undefined) console.warn(skipReason);

/** The REST body (upstream RealtimePnLResponse + realized/total). */
interface RealtimePnl {
  positions: RestRow[];
  total_positions: number;
  total_unrealized_pl: string;
  total_unrealized_pl_pct: string | null;
  realtime_prices_available: number;
  timestamp: string;
  realized_pl: string;
  total_pl: string;
}
interface RestRow {
  symbol: string;
  qty: string;
  avg_entry_price: string;
  current_price: string;
  price_source: 'real-time' | 'fallback';
  unrealized_pl: string;
  unrealized_pl_pct: string;
  last_price_update: string | null;
}
/** One table cell as shown: its text and the server's decimal string it was formatted from. */
interface ShownCell {
  text: string;
  value: string;
}
type ShownRow = Record<string, ShownCell>;

// The page's display rules, restated: money with 2 decimals and a sign, prices 2-4 decimals,
// percentages with a sign. Strings are formatted as exact decimals (no float on the way).
const money = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', minimumFractionDigits: 2, maximumFractionDigits: 2, signDisplay: 'exceptZero' });
const price = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', minimumFractionDigits: 2, maximumFractionDigits: 4 });
const qty = new Intl.NumberFormat('en-US', { maximumFractionDigits: 8 });
const pct = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2, signDisplay: 'exceptZero' });
const exact = (value: string): Intl.StringNumericLiteral => value as Intl.StringNumericLiteral;

const PILL = '[data-testid="connection-pill"]';
const ROW = '[data-testid="position-row"]';

describe.skipIf(skipReason !== undefined)('P&L dashboard in a real Chromium, served by a running P&L service', () => {
  const redis = useRedisServer();
  let browser: Browser;
  let client: RedisClient;
  let publisher: EventPublisher;
  /** Each test's own positions stream (the gateway's durable `positions.updated`). */
  let stream: EventStream;
  let streamPrefix: string;
  const services: PnlService[] = [];
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    browser = await launchChromium();
    client = await RedisClient.connect({ url: redis.url, logger: silentLogger });
    publisher = new EventPublisher(client);
  });
  beforeEach(() => {
    streamPrefix = `${keygen('pnl-dashboard').prefix}:stream:`;
    stream = new EventStream(client, { keyPrefix: streamPrefix });
  });
  afterEach(async () => {
    await Promise.all(contexts.splice(0).map((context) => context.close()));
    for (const service of services.splice(0)) await service.close();
  });
  afterAll(async () => {
    await browser?.close();
    await client?.close();
  });

  /**
   * A P&L service on its own Redis connection, listening on loopback `port`, with positions from
   * the test's stream through a consumer group (so a restarted service, the same consumer, has them again).
   */
  async function startService(port: number, staleAfterMs: number): Promise<{ service: PnlService; base: string }> {
    const serviceClient = await RedisClient.connect({ url: redis.url, logger: silentLogger });
    const durable = { stream: new EventStream(serviceClient, { keyPrefix: streamPrefix }), group: 'pnl-service', consumer: 'pnl-1' };
    const service = await buildPnlService({ redis: serviceClient, durable, staleAfterMs });
    services.push(service);
    await service.listen({ port, host: '127.0.0.1' });
    return { service, base: `http://127.0.0.1:${port}` };
  }

  async function openPage(base: string, viewport: { width: number; height: number }, pathname = '/'): Promise<{ page: Page; watch: PageWatch }> {
    const context = await browser.newContext({ viewport, locale: 'en-US', timezoneId: 'UTC' });
    contexts.push(context);
    const page = await context.newPage();
    const watch = watchPage(page, base);
    await page.goto(`${base}${pathname}`);
    return { page, watch };
  }

  async function rest(base: string): Promise<RealtimePnl> {
    const response = await fetch(`${base}/api/v1/positions/pnl/realtime`);
    expect(response.status).toBe(200);
    return (await response.json()) as RealtimePnl;
  }

  async function heldBy(base: string, symbols: readonly string[]): Promise<void> {
    await waitFor(async () => (await rest(base)).positions.map((row) => row.symbol).join() === [...symbols].sort().join(), {
      description: `the service to hold ${symbols.join(', ')}`,
    });
  }

  /** Opens a position with one fill, appended to the positions stream as the gateway does. */
  async function openPosition(symbol: string, newQty: number, fillPrice: string, strategyId = 'alpha'): Promise<void> {
    const action = newQty > 0 ? 'buy' : 'sell';
    await stream.append(new PositionEvent({ symbol, action, qtyChange: newQty, newQty, price: fillPrice, strategyId }));
  }

  async function publishPrice(symbol: string, value: string): Promise<void> {
    expect(await publisher.publishPriceUpdate({ symbol, price: value })).not.toBeNull();
  }

  async function shownRows(page: Page): Promise<Record<string, ShownRow>> {
    const rows = await page.$$eval(ROW, (trs) =>
      trs.map((tr) => {
        const cells: [string, { text: string; value: string }][] = [];
        for (const cell of tr.querySelectorAll('[data-testid^="cell-"]')) {
          cells.push([cell.dataset.testid.slice('cell-'.length), { text: cell.textContent.trim(), value: cell.dataset.value ?? '' }]);
        }
        return [tr.dataset.symbol, Object.fromEntries(cells)] as [string, ShownRow];
      }),
    );
    return Object.fromEntries(rows);
  }

  async function shown(page: Page, testId: string): Promise<ShownCell & { sign: string }> {
    return page.$eval(`[data-testid="${testId}"]`, (el) => ({ text: el.textContent.trim(), value: el.dataset.value ?? '', sign: el.dataset.sign ?? '' }));
  }

  async function pillState(page: Page): Promise<string | null> {
    return page.getAttribute(PILL, 'data-state');
  }

  /** The page shows exactly the REST answer: every row's decimals and their formatted text, and the totals. */
  async function expectPageEqualsRest(page: Page, body: RealtimePnl): Promise<void> {
    const rows = await shownRows(page);
    expect(Object.keys(rows)).toEqual(body.positions.map((row) => row.symbol));
    for (const row of body.positions) {
      const cells = rows[row.symbol];
      expect(cells, row.symbol).toBeDefined();
      expect(cells).toMatchObject({
        qty: { value: row.qty, text: qty.format(exact(row.qty)) },
        avg_entry_price: { value: row.avg_entry_price, text: price.format(exact(row.avg_entry_price)) },
        current_price: { value: row.current_price, text: price.format(exact(row.current_price)) },
        unrealized_pl: { value: row.unrealized_pl, text: money.format(exact(row.unrealized_pl)) },
        unrealized_pl_pct: { value: row.unrealized_pl_pct, text: `${pct.format(exact(row.unrealized_pl_pct))}%` },
        price_source: { value: row.price_source },
      });
    }
    expect(await shown(page, 'total-pl')).toMatchObject({ value: body.total_pl, text: money.format(exact(body.total_pl)) });
    expect(await shown(page, 'realized-pl')).toMatchObject({ value: body.realized_pl, text: money.format(exact(body.realized_pl)) });
    expect(await shown(page, 'unrealized-pl')).toMatchObject({ value: body.total_unrealized_pl, text: money.format(exact(body.total_unrealized_pl)) });
    expect((await shown(page, 'realtime-count')).text).toBe(String(body.realtime_prices_available));
    expect((await shown(page, 'positions-count')).text).toBe(String(body.total_positions));
  }

  it('fills the table from the snapshot; a price published through Redis moves the shown P&L within 1 s, to the REST values', async (context) => {
    const port = await findFreePort();
    const { base } = await startService(port, 60_000);
    await openPosition('AAPL', 10, '150.00');
    await openPosition('MSFT', -5, '400.00');
    await openPosition('KO', 100, '60.10');
    await heldBy(base, ['AAPL', 'MSFT', 'KO']);
    await publishPrice('AAPL', '151.00');
    await publishPrice('MSFT', '405.50');
    await waitFor(async () => (await rest(base)).realtime_prices_available === 2, { description: 'both prices to reach the service' });

    const { page, watch } = await openPage(base, { width: 1280, height: 800 });
    await waitFor(async () => (await page.locator(ROW).count()) === 3, { description: 'the snapshot to fill the table' });
    await waitFor(async () => (await pillState(page)) === 'live', { description: 'the pill to say live' });
    await expectPageEqualsRest(page, await rest(base));

    // A loss looks different from a gain: sign, colour and data-sign.
    const rows = await shownRows(page);
    expect(rows['AAPL']?.['unrealized_pl']?.text).toBe('+$10.00');
    expect(rows['MSFT']?.['unrealized_pl']?.text).toBe('-$27.50');
    expect(rows['KO']?.['price_source']?.value).toBe('fallback');
    const colour = (symbol: string): Promise<string> =>
      page.$eval(`${ROW}[data-symbol="${symbol}"] [data-testid="cell-unrealized_pl"]`, (el) => `${el.dataset.sign} ${el.ownerDocument.defaultView.getComputedStyle(el).color}`);
    const [gain, loss] = [await colour('AAPL'), await colour('MSFT')];
    expect(gain.split(' ')[0]).toBe('pos');
    expect(loss.split(' ')[0]).toBe('neg');
    expect(gain.slice(4)).not.toBe(loss.slice(4));

    const aaplCell = `${ROW}[data-symbol="AAPL"] [data-testid="cell-unrealized_pl"]`;
    const publishedAt = performance.now();
    await publishPrice('AAPL', '155.255');
    // The contract: the shown P&L moves within 1 s of the publish.
    await waitFor(async () => (await page.textContent(aaplCell)) === '+$52.55', { timeoutMs: 1000, intervalMs: 20, description: 'the AAPL P&L to show +$52.55' });
    const shownAfterMs = Math.round(performance.now() - publishedAt);
    const after = await rest(base);
    await expectPageEqualsRest(page, after);
    // The curve keeps one point per sampling interval (an update in the newest point's interval
    // replaces it), so what must change is its newest value: the new total P&L.
    await waitFor(async () => Number(await page.getAttribute('[data-testid="pnl-chart"]', 'data-last')) === Number(after.total_pl), {
      description: `the chart to end at the new total P&L ${after.total_pl}`,
    });

    const dir = mkdtempSync(path.join(os.tmpdir(), 'pnl-dashboard-'));
    const screenshot = path.join(dir, 'dashboard-1280x800.png');
    await page.screenshot({ path: screenshot });
    console.log(`P&L dashboard: the published price was on the page ${shownAfterMs} ms after PUBLISH (polled every 20 ms); screenshot (1280x800): ${screenshot}`);
    await context.annotate(`screenshot: ${screenshot}`);

    expect(watch.problems).toEqual([]);
    expect(watch.externalRequests).toEqual([]);
  });

  it('reconnects by itself when the service restarts on the same port, and shows live again', async () => {
    const port = await findFreePort();
    const first = await startService(port, 60_000);
    await openPosition('NVDA', 20, '120.00');
    await heldBy(first.base, ['NVDA']);
    await publishPrice('NVDA', '121.00');
    const { page, watch } = await openPage(first.base, { width: 1280, height: 800 });
    await waitFor(async () => (await shownRows(page))['NVDA']?.['current_price']?.text === '$121.00' && (await pillState(page)) === 'live', {
      description: 'the page to show NVDA at 121.00, live',
    });

    // The browser's own reconnects (EventSource) carry the last id it saw: `<bootId>.<seq>` of the first service.
    const lastEventIds: (string | null)[] = [];
    page.on('request', (request) => {
      if (request.url() === `${first.base}/api/v1/pnl/stream`) void request.headerValue('last-event-id').then((id) => lastEventIds.push(id));
    });
    watch.tolerateFailedLoads(`${first.base}/api/v1/pnl/stream`);
    await first.service.close();
    services.splice(services.indexOf(first.service), 1);
    await waitFor(async () => (await pillState(page)) === 'reconnecting', { description: 'the pill to say reconnecting' });

    // The restarted service has the position again from the stream; the page was not touched.
    const second = await startService(port, 60_000);
    await waitFor(async () => (await pillState(page)) === 'live', { description: 'the page to reconnect and say live' });
    watch.tolerateFailedLoads(undefined);
    await publishPrice('NVDA', '123.40');
    await waitFor(async () => (await shownRows(page))['NVDA']?.['unrealized_pl']?.text === '+$68.00', { description: 'NVDA P&L after the restart' });
    await expectPageEqualsRest(page, await rest(second.base));

    expect(watch.problems).toEqual([]);
    for (const failure of watch.tolerated) expect(failure.url).toBe(`${first.base}/api/v1/pnl/stream`);
    expect(lastEventIds.length).toBeGreaterThan(0);
    for (const id of lastEventIds) expect(id).toMatch(new RegExp(`^${first.service.bootId}\\.\\d+$`));
    expect(watch.externalRequests).toEqual([]);
  });

  it('says stale when no price has arrived for stale_after_ms, and live again when one does', async () => {
    const port = await findFreePort();
    const staleAfterMs = 1000;
    const { base } = await startService(port, staleAfterMs);
    await openPosition('KO', 50, '60.00');
    await heldBy(base, ['KO']);
    const { page, watch } = await openPage(base, { width: 1280, height: 800 });
    await page.evaluate(RECORD_PILL_STATES);
    await waitFor(async () => (await pillState(page)) === 'stale', { description: 'the pill to say stale' });

    const seen = Number(await page.evaluate('window.__pillStates.length'));
    const statesSince = async (): Promise<string[]> => (await page.evaluate(`window.__pillStates.slice(${String(seen)})`)) as string[];
    await publishPrice('KO', '61.00');
    await waitFor(async () => (await statesSince()).includes('live'), { description: 'the pill to say live after a price' });
    await waitFor(async () => (await pillState(page)) === 'stale', { description: 'the pill to say stale again' });
    expect((await statesSince()).slice(0, 2)).toEqual(['live', 'stale']);
    expect(watch.problems).toEqual([]);
  });

  it('on a strategy page, a price of a symbol the strategy does not hold still says live (a status message), like /health', async () => {
    const port = await findFreePort();
    const { base } = await startService(port, 1000);
    await openPosition('KO', 50, '60.00', 'alpha');
    await openPosition('PEP', 10, '170.00', 'beta');
    await heldBy(base, ['KO', 'PEP']);
    const { page, watch } = await openPage(base, { width: 1280, height: 800 }, '/?strategy=beta');
    await page.evaluate(RECORD_PILL_STATES);
    await waitFor(async () => (await pillState(page)) === 'stale', { description: 'the pill to say stale' });
    const seen = Number(await page.evaluate('window.__pillStates.length'));
    // KO moves no row and no total of strategy beta: the page hears of the price only through a status message.
    await publishPrice('KO', '61.00');
    await waitFor(async () => ((await page.evaluate(`window.__pillStates.slice(${String(seen)})`)) as string[]).includes('live'), {
      description: 'the pill to say live after a price of another strategy symbol',
    });
    expect(Object.keys(await shownRows(page))).toEqual(['PEP']);
    expect(watch.problems).toEqual([]);
  });

  it('fits a phone-width screen: no horizontal page scroll, the P&L column in view', async () => {
    const port = await findFreePort();
    const { base } = await startService(port, 60_000);
    await openPosition('JPM', 30, '198.05');
    await openPosition('TSLA', -12, '242.50');
    await heldBy(base, ['JPM', 'TSLA']);
    const { page, watch } = await openPage(base, { width: 375, height: 667 });
    await waitFor(async () => (await page.locator(ROW).count()) === 2, { description: 'the snapshot to fill the table' });
    const { scrollWidth, innerWidth } = (await page.evaluate('({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth })')) as {
      scrollWidth: number;
      innerWidth: number;
    };
    expect(scrollWidth).toBeLessThanOrEqual(innerWidth);
    for (const testId of ['total-pl', 'connection-pill']) {
      const box = await page.locator(`[data-testid="${testId}"]`).boundingBox();
      expect(box && box.x >= 0 && box.x + box.width <= innerWidth, testId).toBe(true);
    }
    const cell = await page.locator(`${ROW}[data-symbol="TSLA"] [data-testid="cell-unrealized_pl"]`).boundingBox();
    expect(cell && cell.x + cell.width <= innerWidth, 'the unrealized P&L column inside the viewport').toBe(true);
    expect(watch.problems).toEqual([]);
  });
});

/** Records every value the pill's data-state takes (a MutationObserver), in `window.__pillStates`. */
const RECORD_PILL_STATES = `(() => {
  const pill = document.querySelector('${PILL}');
  window.__pillStates = [];
  new MutationObserver(() => {
    const state = pill.dataset.state;
    if (window.__pillStates[window.__pillStates.length - 1] !== state) window.__pillStates.push(state);
  }).observe(pill, { attributes: true, attributeFilter: ['data-state'] });
})()`;
