import { availableParallelism } from 'node:os';

/**
 * The size of libuv's thread pool, which runs the argon2 hashes: UV_THREADPOOL_SIZE, or libuv's
 * own 4. Password hashes run at most this many at once unless --argon2-concurrency says
 * otherwise: each pool thread that ever hashed keeps that hash's memory (glibc gives each thread
 * a malloc arena of its own and, once a 19 MiB block has been freed, keeps such blocks instead
 * of returning them), so hashes beyond the pool would only queue inside libuv, and a pool larger
 * than the hashes run at once would only cost memory.
 */
export function threadPoolSize(): number {
  const size = Number(process.env.UV_THREADPOOL_SIZE);
  return Number.isSafeInteger(size) && size > 0 ? size : 4;
}

/**
 * The pool size bin/userpoold.js sets when the environment sets none (it must be set before the
 * pool starts, which loading an ES module already does, so the CommonJS launcher sets it; a
 * test checks the two agree). One more than the cores, so that a hash is always waiting when
 * one finishes: with exactly one per core argon2 ran about 10% fewer hashes per second here (77
 * against 85 on two cores), the cores idling while the event loop handed the next one over.
 * Measured peak RSS on two cores: 200 MB with libuv's 4 threads, 161 MB with 2.
 */
export const defaultThreadPoolSize = (): number => availableParallelism() + 1;
