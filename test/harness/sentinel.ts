import { startRedisServer } from './redis-server.js';
import type { RedisServerHandle } from './redis-server.js';
import { RespError, pairsToRecord, parseInfo } from './resp.js';
import { waitFor } from './wait-for.js';

/** Options for {@link startSentinel}. */
export interface SentinelOptions {
  /** Monitored master name. @default 'mymaster' */
  name?: string;
  /** How long to wait for quorum, discovery and failovers. @default 60000 */
  readyTimeoutMs?: number;
}

/** How {@link SentinelHandle.failover} forces the switch. */
export type FailoverMode = 'command' | 'kill';

/** One master, one replica and three Sentinels on loopback. */
export interface SentinelHandle {
  readonly name: string;
  /** The server that is master now (swapped by `failover()`). */
  readonly master: RedisServerHandle;
  /** The server that is replica now (swapped by `failover()`). */
  readonly replica: RedisServerHandle;
  /** Sentinel addresses in node-redis `createSentinel({ sentinelRootNodes })` shape. */
  readonly sentinels: readonly { host: string; port: number }[];
  /** The Sentinel processes themselves (to kill or freeze one). */
  readonly sentinelServers: readonly RedisServerHandle[];
  /**
   * Promotes the replica and waits until every Sentinel reports it as master and the old master
   * replicates from it. `'command'` (default) sends `SENTINEL FAILOVER`; `'kill'` SIGKILLs the
   * master, waits for the promotion, then restarts the old master. Either way the old master is
   * then pointed at the new one (`REPLICAOF`, as Sentinel itself would on its next poll).
   */
  failover(mode?: FailoverMode): Promise<{ master: RedisServerHandle; replica: RedisServerHandle }>;
  /** Stops the Sentinels, then both servers. */
  stop(): Promise<void>;
}

/** How often {@link SentinelHandle.failover} repeats `REPLICAOF` while the old master's link is down. */
const REPLICAOF_RETRY_MS = 5000;

function sentinelConfig(name: string, masterPort: number): string {
  return [
    `sentinel monitor ${name} 127.0.0.1 ${masterPort} 2`,
    `sentinel down-after-milliseconds ${name} 1000`,
    `sentinel failover-timeout ${name} 5000`,
    `sentinel parallel-syncs ${name} 1`,
    '',
  ].join('\n');
}

async function replicatesFrom(replica: RedisServerHandle, master: RedisServerHandle): Promise<boolean> {
  const info = parseInfo(await replica.command('INFO', 'replication'));
  return info['role'] === 'slave' && info['master_port'] === String(master.port) && info['master_link_status'] === 'up';
}

/**
 * Starts a master, a replica (`--replicaof`) and three Sentinels (`redis-server sentinel.conf
 * --sentinel`, quorum 2, down-after 1000 ms, failover-timeout 5000 ms), and waits until every
 * Sentinel sees the master, its replica and the two other Sentinels.
 *
 * @example
 * const set = await startSentinel();
 * const client = createSentinel({ name: set.name, sentinelRootNodes: [...set.sentinels] });
 */
export async function startSentinel(options: SentinelOptions = {}): Promise<SentinelHandle> {
  const name = options.name ?? 'mymaster';
  const timeoutMs = options.readyTimeoutMs ?? 60_000;
  const servers: RedisServerHandle[] = [];
  const sentinelServers: RedisServerHandle[] = [];
  const stopAll = async (): Promise<void> => {
    await Promise.all(sentinelServers.map((s) => s.stop()));
    await Promise.all(servers.map((s) => s.stop()));
  };

  let master: RedisServerHandle;
  let replica: RedisServerHandle;
  /** True when every Sentinel names `expected` as master and sees one replica and two peers. */
  const sentinelsAgree = async (expected: RedisServerHandle): Promise<boolean> => {
    for (const s of sentinelServers) {
      const m = pairsToRecord(await s.command('SENTINEL', 'MASTER', name));
      const ok = m['port'] === String(expected.port) && m['flags'] === 'master' &&
        m['num-slaves'] === '1' && m['num-other-sentinels'] === '2';
      if (!ok) return false;
    }
    return true;
  };

  try {
    master = await startRedisServer();
    servers.push(master);
    replica = await startRedisServer({ args: ['--replicaof', master.host, String(master.port)] });
    servers.push(replica);
    const m = master;
    const r = replica;
    await waitFor(() => replicatesFrom(r, m), { timeoutMs, description: 'replica linked to master' });
    for (let i = 0; i < 3; i++) {
      sentinelServers.push(await startRedisServer({ sentinel: true, config: sentinelConfig(name, master.port) }));
    }
    await waitFor(() => sentinelsAgree(m), { timeoutMs, intervalMs: 200, description: 'sentinels reach quorum' });
  } catch (err) {
    await stopAll();
    throw err;
  }

  const failover = async (mode: FailoverMode = 'command'): Promise<{ master: RedisServerHandle; replica: RedisServerHandle }> => {
    const oldMaster = master;
    const newMaster = replica;
    const wait = (what: string, check: () => Promise<boolean>): Promise<boolean> =>
      waitFor(check, { timeoutMs, intervalMs: 200, description: what });
    if (mode === 'kill') {
      await oldMaster.kill();
    } else {
      // NOGOODSLAVE/INPROG are transient while Sentinels refresh their view: retry.
      await wait('SENTINEL FAILOVER accepted', async () => {
        const reply = await sentinelServers[0]?.command('SENTINEL', 'FAILOVER', name);
        if (reply instanceof RespError) throw new Error(reply.message);
        return reply === 'OK';
      });
    }
    await wait(`every sentinel reports ${newMaster.port} as master`, async () => {
      for (const s of sentinelServers) {
        const addr = await s.command('SENTINEL', 'GET-MASTER-ADDR-BY-NAME', name);
        if (!Array.isArray(addr) || addr[1] !== String(newMaster.port)) return false;
      }
      const role = await newMaster.command('ROLE');
      return Array.isArray(role) && role[0] === 'master';
    });
    if (mode === 'kill') await oldMaster.restart();
    // Sentinel demotes a returning master only on its next 10 s INFO poll; do what it will do now.
    // On a loaded machine the first sync can stall (or a Sentinel reconfigure can race ours), so
    // the command is repeated every few seconds until the link is up; a timeout quotes the state.
    let lastReplicaOf = 0;
    await wait('old master replicates from the new one', async () => {
      if (performance.now() - lastReplicaOf >= REPLICAOF_RETRY_MS) {
        lastReplicaOf = performance.now();
        await oldMaster.command('REPLICAOF', newMaster.host, String(newMaster.port));
      }
      if (await replicatesFrom(oldMaster, newMaster)) return true;
      const info = parseInfo(await oldMaster.command('INFO', 'replication'));
      throw new Error(`old master: role=${info['role']} master_port=${info['master_port']} link=${info['master_link_status']} sync_in_progress=${info['master_sync_in_progress']}`);
    });
    await wait('sentinels agree on the new topology', () => sentinelsAgree(newMaster));
    master = newMaster;
    replica = oldMaster;
    return { master, replica };
  };

  return {
    name,
    get master() {
      return master;
    },
    get replica() {
      return replica;
    },
    sentinels: sentinelServers.map((s) => ({ host: s.host, port: s.port })),
    sentinelServers,
    failover,
    stop: stopAll,
  };
}
