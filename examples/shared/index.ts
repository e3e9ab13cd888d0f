/**
 * Shared code of the examples: SYNTHETIC market data, Qlib Alpha158 features and a linear
 * model with long/short ranking. Import from here, not from the files behind it.
 */
export type { Bar, MarketRow, MarketDataColumn } from './market-data/bar.js';
export { MARKET_DATA_COLUMNS } from './market-data/bar.js';
export type { GenerateOptions } from './market-data/generate.js';
export {
  DEFAULT_GENERATE_OPTIONS,
  DEFAULT_SYMBOLS,
  generateMarketData,
  toCsv,
  weekdays,
} from './market-data/generate.js';
export { parseMarketCsv } from './market-data/parse.js';
export type { Uniform } from './market-data/random.js';
export { hashString, mulberry32, normalSource } from './market-data/random.js';
export { loadMarketData, MARKET_DATA_FILE, MarketData } from './market-data/market-data.js';
export type { Alpha158Features } from './features/alpha158.js';
export { ALPHA158_HISTORY, computeAlpha158 } from './features/alpha158.js';
export type { Alpha158Name } from './features/names.js';
export { ALPHA158_NAMES, ALPHA158_WINDOWS } from './features/names.js';
export type { LinearModel } from './model/model.js';
export { loadModel, ModelFileSchema, parseModel, score } from './model/model.js';
export type { RankedSignal, Side } from './model/signals.js';
export { rankSignals } from './model/signals.js';
export { MarketDataError, ModelError } from './errors.js';
