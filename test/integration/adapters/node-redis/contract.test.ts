import { inject } from 'vitest';
import { RedisClient } from '../../../../src/index.js';
import { describeClientContract } from '../../../harness/client/contract.js';

describeClientContract('real redis-server (node-redis)', () =>
  new RedisClient({ url: inject('redisUrl'), commandTimeoutMs: 2000, connectTimeoutMs: 3000 }),
);
