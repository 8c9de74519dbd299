import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteStore } from '/work/main/src/storage/sqlite.js';
import { createSecretBox } from '/work/main/src/services/secret-box.js';
import { cryptoRandom } from '/work/main/src/services/random.js';
import { systemClock } from '/work/main/src/services/clock.js';
import { silentLogger } from '/work/main/src/services/logger.js';
import { defaultConfig } from '/work/main/src/config.js';
import { queueMessage } from '/work/main/src/services/delivery/outbox.js';
import { createDeliveryWorker } from '/work/main/src/services/delivery/worker.js';
import { createSmtpTransport } from '/work/main/src/services/delivery/smtp-transport.js';
import { startSmtp } from '/work/main/test/support/smtp.js';

const N = Number(process.argv[2] ?? 300);
const tls = (process.argv[3] ?? 'none') as 'none' | 'implicit';
const smtp = await startSmtp({ tls });
const store = await openSqliteStore(mkdtempSync(join(tmpdir(), 'tp-')));
const secrets = createSecretBox(cryptoRandom.bytes(32), cryptoRandom);
const user = { poolId: 'p', sub: 's', username: 'u' } as never;
await store.transaction(async (tx) => {
  for (let i = 0; i < N; i++) await queueMessage(tx, { clock: systemClock, random: cryptoRandom, secrets }, { user, trigger: 'ForgotPassword', channel: 'EMAIL', destination: `u${i}@example.com`, payload: { code: String(100000 + i) } });
});
for (const concurrency of [1, 4, 8]) {
  if (concurrency > 1) {
    // requeue: mark pending again
    const rows = await store.listMessages({ limit: N });
    for (const r of rows) await store.updateMessage({ ...r, state: 'pending', claimedBy: null, claimedUntil: null });
    smtp.messages.length = 0;
  }
  const w = createDeliveryWorker({ store, clock: systemClock, random: cryptoRandom, secrets, logger: silentLogger, config: defaultConfig(), email: createSmtpTransport({ url: smtp.url, defaultFrom: 'a@b.c', rejectUnauthorized: false }), workerId: 'w', concurrency });
  const t0 = performance.now();
  const n = await w.runOnce();
  const ms = performance.now() - t0;
  console.log(`${tls} concurrency ${concurrency}: ${n} sent in ${ms.toFixed(0)} ms = ${(n / (ms / 1000)).toFixed(0)} msg/s, received ${smtp.messages.length}`);
  await w.stop();
}
await smtp.close();
await store.close();
