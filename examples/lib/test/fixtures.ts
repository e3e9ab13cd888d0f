/**
 * Test fixtures of the examples: the shared data and model (loaded once) and Redis clients in
 * each state a service can see: embedded (connected), unreachable, or none.
 */
import { RedisClient } from '@trading-platform/redis-client';
import { createEmbeddedServer } from '@trading-platform/redis-client/embedded';
import type { EmbeddedServer } from '@trading-platform/redis-client/embedded';
import { findFreePort } from '../../../test/harness/index.js';
import { defaultDataDir, defaultModelPath } from '../paths.js';
import { loadMarketData, loadModel } from '../../shared/index.js';
import type { LinearModel, MarketData } from '../../shared/index.js';

let shared: Promise<{ marketData: MarketData; model: LinearModel }> | undefined;

/** The SYNTHETIC market data and the example model, loaded once per test file. */
export function loadShared(): Promise<{ marketData: MarketData; model: LinearModel }> {
  shared ??= Promise.all([loadMarketData(defaultDataDir()), loadModel(defaultModelPath())]).then(([marketData, model]) => ({ marketData, model }));
  return shared;
}

/** A connected client of `server` (a fresh embedded server when omitted). */
export async function embeddedClient(server: EmbeddedServer = createEmbeddedServer()): Promise<RedisClient> {
  return server.createClient().connect();
}

/**
 * A client whose server does not exist (a free loopback port nobody listens on), already
 * reconnecting in the background, as a service sees Redis when it started while Redis was down.
 */
export async function unreachableClient(): Promise<RedisClient> {
  const port = await findFreePort();
  const client = new RedisClient({ host: '127.0.0.1', port, connectTimeoutMs: 1000 });
  client.connectInBackground();
  return client;
}

/** The trading day `offset` days after the first 61 (so every Alpha158 feature is defined). */
export function tradingDay(marketData: MarketData, offset = 0): string {
  const day = marketData.tradingDays()[61 + offset];
  if (day === undefined) throw new Error(`no trading day at offset ${offset}`);
  return day;
}
