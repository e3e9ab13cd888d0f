/** The consumer group and consumer the P&L service reads the positions stream under, from the environment. */
import { hostname } from 'node:os';
import { describe, expect, it } from 'vitest';
import { consumerNamesFromEnv } from '../src/instance.js';

describe('P&L service consumer names', () => {
  it('default to a group per host and port and a fixed consumer: one group per instance, the same names after a restart', () => {
    expect(consumerNamesFromEnv({}, 8004, 'box-1')).toEqual({ group: 'pnl-service-box-1-8004', consumer: 'pnl-service' });
    expect(consumerNamesFromEnv({}, 8005, 'box-1').group).not.toBe(consumerNamesFromEnv({}, 8004, 'box-1').group);
    expect(consumerNamesFromEnv({}, 8004, 'box-2').group).not.toBe(consumerNamesFromEnv({}, 8004, 'box-1').group);
    expect(consumerNamesFromEnv({}, 8004)).toEqual({ group: `pnl-service-${hostname()}-8004`, consumer: 'pnl-service' });
    // Nothing of the process in them: a restart resumes the same group as the same consumer.
    expect(consumerNamesFromEnv({}, 8004)).toEqual(consumerNamesFromEnv({}, 8004));
    expect(JSON.stringify(consumerNamesFromEnv({}, 8004))).not.toContain(String(process.pid));
  });

  it('take PNL_GROUP and PNL_CONSUMER when set', () => {
    expect(consumerNamesFromEnv({ PNL_GROUP: 'pnl-east', PNL_CONSUMER: 'east-1' }, 8004, 'box-1')).toEqual({ group: 'pnl-east', consumer: 'east-1' });
    expect(consumerNamesFromEnv({ PNL_GROUP: ' ', PNL_CONSUMER: '' }, 8004, 'box-1')).toEqual({ group: 'pnl-service-box-1-8004', consumer: 'pnl-service' });
  });
});
