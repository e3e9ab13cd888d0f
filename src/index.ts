/**
 * @trading-platform/redis-client: a Redis feature cache and typed event bus for trading
 * services, wire-compatible with the platform's Python services.
 */
export { VERSION } from './version.js';

export {
  ConfigError,
  ErrorCodes,
  InvalidKeyError,
  RedisClosedError,
  RedisCommandError,
  RedisConnectionError,
  RedisSdkError,
  RedisTimeoutError,
  RedisUnavailableError,
  ValidationError,
} from './errors.js';
export type { ErrorCode, RedisSdkErrorOptions, ValidationIssue } from './errors.js';

export { silentLogger } from './logger.js';
export type { LogFn, Logger } from './logger.js';

export { RedisClient } from './client/redis-client.js';
export type { ClientStatus, RedisClientEvents, ScanOptions, SetOptions } from './client/redis-client.js';
export { CLIENT_DEFAULTS } from './client/options.js';
export type {
  ClusterOptions,
  NodeAddress,
  ReconnectOptions,
  RedisClientOptions,
  RetryOptions,
  SentinelOptions,
  TlsOptions,
} from './client/options.js';
export type { RedisEnv } from './client/env.js';
export type { ReadGroupOptions, StreamCommands } from './client/stream-commands.js';
export type { AutoClaimResult, MessageListener, PendingEntry, StreamBatch, StreamEntry } from './client/backend.js';
