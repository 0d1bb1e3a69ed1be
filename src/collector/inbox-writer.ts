// Group commit for the webhook: notifications accepted in the same turn of the event loop are written to the inbox
// in one transaction, and every request among them is answered once that commit is done.
import type { Clock } from '../clock/clock.ts';
import type { InboxEntry, NotificationInbox } from '../store/notification-inbox.ts';

interface Waiting {
  entries: readonly InboxEntry[];
  resolve: () => void;
  reject: (err: unknown) => void;
}

/**
 * Returns `write(entries)`, resolved when they are durable. Under a burst of notifications (Graph sends many at
 * once, on many connections) one commit serves hundreds of requests instead of one each, and no request is
 * answered before its own entries are stored; when a commit fails, every request in it fails (Graph retries).
 */
export function createInboxWriter(
  inbox: Pick<NotificationInbox, 'append'>,
  clock: Clock,
): (entries: readonly InboxEntry[]) => Promise<void> {
  let waiting: Waiting[] = [];
  const flush = async () => {
    const batch = waiting;
    waiting = [];
    try {
      const entries = batch.flatMap((w) => w.entries);
      await inbox.append(entries, clock.now());
      for (const w of batch) w.resolve();
    } catch (err) {
      for (const w of batch) w.reject(err);
    }
  };
  return (entries) =>
    new Promise<void>((resolve, reject) => {
      // setImmediate runs after the I/O callbacks of this turn: the requests read in it join one commit.
      if (waiting.length === 0) setImmediate(flush);
      waiting.push({ entries, resolve, reject });
    });
}
