/** How endpoints are written: scheme, user, host, port and db, never the password. */
import { describe, expect, it } from 'vitest';
import { describeCluster, describeEndpoint, describeSentinel, describeServer } from '../../../src/client/endpoint.js';
import { resolveClientOptions } from '../../../src/client/options.js';

describe('endpoint', () => {
  it('describeEndpoint shows scheme, user, host, port and db, never the password', () => {
    expect(describeEndpoint(resolveClientOptions({ url: 'redis://user:secret@h:1/2' }))).toBe('redis://user:***@h:1/2');
    expect(describeEndpoint(resolveClientOptions({ password: 'secret', tls: true }))).toBe('rediss://:***@localhost:6379');
    expect(describeEndpoint(resolveClientOptions({ host: '::1', port: 7 }))).toBe('redis://[::1]:7');
    expect(describeEndpoint(resolveClientOptions({ cluster: { rootNodes: [{ host: 'a', port: 1 }, { host: 'b', port: 2 }] } }))).toBe(
      'cluster(a:1,b:2)',
    );
  });

  it('brackets IPv6 hosts everywhere and shows a sentinel set by name', () => {
    expect(describeServer({ host: 'fe80::1', port: 6379, db: 3 })).toBe('redis://[fe80::1]:6379/3');
    expect(describeCluster([{ host: '::1', port: 7000 }])).toBe('cluster([::1]:7000)');
    expect(describeSentinel('mymaster', [{ host: 's1', port: 26379 }, { host: 's2', port: 26380 }])).toBe('sentinel(mymaster@s1:26379,s2:26380)');
  });
});
