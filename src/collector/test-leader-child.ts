// Test helper run as its own process: contends for collector leadership and prints "leader" when it wins,
// so a test can kill it with SIGKILL while it leads.
import { SystemClock } from '../clock/clock.ts';
import { silentLogger } from '../config/logger.ts';
import { createCollectorLocks } from '../store/collector-locks.ts';
import { PostgresDb } from '../store/postgres/postgres-db.ts';
import { createLeadership } from './leader.ts';

const [url, name] = process.argv.slice(2);
const db = new PostgresDb(url, { poolSize: 2 });
const leadership = createLeadership({
  locks: createCollectorLocks(db),
  clock: new SystemClock(),
  logger: silentLogger,
  name,
  retryMs: 50,
});
leadership.onChange((leader) => {
  process.stdout.write(leader ? 'leader\n' : 'follower\n');
});
await leadership.start();
process.stdout.write('started\n');
// Keeps running until killed.
setInterval(() => undefined, 60_000);
