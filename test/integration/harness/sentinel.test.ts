import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSentinel } from '../../harness/sentinel.js';
import type { SentinelHandle } from '../../harness/sentinel.js';
import { pairsToRecord, parseInfo } from '../../harness/resp.js';

let set: SentinelHandle;

beforeAll(async () => {
  set = await startSentinel();
});
afterAll(async () => {
  await set?.stop();
});

describe('startSentinel', () => {
  it('reaches quorum: every sentinel sees the master, its replica and two peers', async () => {
    expect(set.name).toBe('mymaster');
    expect(set.sentinels).toHaveLength(3);
    for (const s of set.sentinelServers) {
      const m = pairsToRecord(await s.command('SENTINEL', 'MASTER', 'mymaster'));
      expect(m).toMatchObject({
        port: String(set.master.port),
        flags: 'master',
        quorum: '2',
        'num-slaves': '1',
        'num-other-sentinels': '2',
        'down-after-milliseconds': '1000',
        'failover-timeout': '5000',
      });
      expect(await s.command('SENTINEL', 'CKQUORUM', 'mymaster')).toMatch(/^OK/);
    }
    const info = parseInfo(await set.replica.command('INFO', 'replication'));
    expect(info['master_port']).toBe(String(set.master.port));
  });

  it('fails over on SENTINEL FAILOVER and swaps master and replica', async () => {
    const before = { master: set.master, replica: set.replica };
    await before.master.cli('SET', 'carried', 'over');
    const after = await set.failover();
    expect(after.master).toBe(before.replica);
    expect(after.replica).toBe(before.master);
    expect(set.master).toBe(before.replica);
    for (const s of set.sentinelServers) {
      expect(await s.command('SENTINEL', 'GET-MASTER-ADDR-BY-NAME', 'mymaster')).toEqual([
        '127.0.0.1',
        String(after.master.port),
      ]);
    }
    expect(await after.master.cli('GET', 'carried')).toBe('over');
  });

  it('fails over when the master is SIGKILLed and re-attaches it as a replica', async () => {
    const before = { master: set.master, replica: set.replica };
    const after = await set.failover('kill');
    expect(after.master).toBe(before.replica);
    const info = parseInfo(await before.master.command('INFO', 'replication'));
    expect(info).toMatchObject({ role: 'slave', master_port: String(after.master.port), master_link_status: 'up' });
  });
});
