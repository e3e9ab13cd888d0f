/**
 * Real-Redis test harness: throw-away servers, fault proxy, Cluster, Sentinel and TLS set-ups,
 * plus small utilities. Test-only code; never imported by `src/`.
 */
export { startRedisServer, ServerStartError } from './redis-server.js';
export type { RedisServerHandle, RedisServerOptions, ServerTlsFiles } from './redis-server.js';
export { startFaultProxy } from './fault-proxy.js';
export type { FaultProxyHandle, FaultProxyOptions, SimpleFaultMode } from './fault-proxy.js';
export { startCluster } from './cluster.js';
export type { ClusterHandle, ClusterOptions, FailoverResult } from './cluster.js';
export { startSentinel } from './sentinel.js';
export type { FailoverMode, SentinelHandle, SentinelOptions } from './sentinel.js';
export { generateTlsMaterial, startTlsRedisServer } from './tls.js';
export type { PemFile, TlsMaterial, TlsRedisServerHandle, TlsRedisServerOptions } from './tls.js';
export { findFreePort, isPortFree } from './ports.js';
export type { FindFreePortOptions } from './ports.js';
export { RespError, sendCommand, pairsToRecord, parseInfo } from './resp.js';
export type { RespTlsOptions, RespValue, SendCommandOptions } from './resp.js';
export { keygen } from './keygen.js';
export type { KeyGen } from './keygen.js';
export { waitFor } from './wait-for.js';
export type { WaitForOptions } from './wait-for.js';
export { useRedisServer } from './use-redis-server.js';
export type { RedisServerFixture } from './use-redis-server.js';
