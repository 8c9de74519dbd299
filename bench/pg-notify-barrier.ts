import pg from 'pg';

/**
 * Does a `select 1` on a LISTENing connection answer only after every notification whose NOTIFY
 * was acknowledged before it was sent? The PostgreSQL read cache relies on it
 * (src/storage/pg-change-feed.ts). Run: `npx tsx bench/pg-notify-barrier.ts [database URL]`.
 * On PostgreSQL 15.20 here: 0 late of 3,000 tries (bench/RESULTS.md, session 10, which also
 * tells how a first version of this check misled by counting after the acknowledgement).
 */
const url = process.argv[2] ?? 'postgres://postgres@127.0.0.1:5432/test';
const TRIES = 1_000;
const channel = `barrier_check_${process.pid}`;

const listener = new pg.Client({ connectionString: url });
const notifier = new pg.Client({ connectionString: url });
await listener.connect();
await notifier.connect();
await listener.query(`listen ${channel}`);
let received = 0;
listener.on('notification', () => received++);

let late = 0;
let never = 0;
for (let i = 0; i < TRIES; i++) {
  // Counted before the NOTIFY is sent: the notification may reach this process before the
  // NOTIFY's own acknowledgement does (both come over loopback to the one event loop).
  const before = received;
  await notifier.query(`notify ${channel}`);
  await listener.query('select 1');
  if (received > before) continue;
  late++;
  // How long it takes to come after all: 100 ms at most, then it is counted as not come.
  const since = performance.now();
  while (received === before && performance.now() - since < 100) await new Promise((resolve) => setTimeout(resolve, 1));
  if (received === before) never++;
}
process.stdout.write(`${late} of ${TRIES} notifications came after the barrier's answer; ${never} of them not within 100 ms\n`);
await listener.end();
await notifier.end();
