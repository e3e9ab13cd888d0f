/**
 * The names the P&L service reads the positions stream under: its own consumer group (every
 * instance needs every fill) and its consumer in it, the same at every restart.
 */
import { hostname } from 'node:os';
import { stringVar } from '../../lib/env.js';
import type { Env } from '../../lib/env.js';

/** A consumer group and a consumer in it. */
export interface ConsumerNames {
  group: string;
  consumer: string;
}

/**
 * `PNL_GROUP` (default `pnl-service-<host>-<port>`) and `PNL_CONSUMER` (default `pnl-service`).
 *
 * Consumers of one group split its entries between them, so two P&L services sharing a group
 * would each miss the fills the other was given: the default group is one per host and port,
 * one per instance. Nothing in the names changes across restarts (no process id), so a restarted
 * instance resumes its group as the same consumer, and the entries still pending in the group
 * are its own.
 */
export function consumerNamesFromEnv(env: Env, port: number, host: string = hostname()): ConsumerNames {
  return {
    group: stringVar(env, 'PNL_GROUP', `pnl-service-${host}-${port}`),
    consumer: stringVar(env, 'PNL_CONSUMER', 'pnl-service'),
  };
}
