import { chmodSync, closeSync, existsSync, mkdirSync, openSync, statSync } from 'node:fs';

/**
 * Files and folders that hold user data (the SQLite database, the server key) are made readable
 * by their owner only. Modes are set explicitly with chmod after creation rather than through the
 * process umask, which is shared with everything else the process does and which a caller's
 * shell may have loosened or tightened.
 */
const PRIVATE_DIR = 0o700;
const PRIVATE_FILE = 0o600;

/**
 * Creates `dir` (and missing parents) readable by its owner only. A folder that already exists
 * is left as it is: an operator may have chosen its mode (a group that takes backups, say);
 * `sharedModeOf` tells the caller whether to warn. Returns whether the folder was created here.
 */
export function ensurePrivateDir(dir: string): boolean {
  if (existsSync(dir)) return false;
  mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR });
  chmodSync(dir, PRIVATE_DIR);
  return true;
}

/**
 * Creates an empty file readable and writable by its owner only, unless it exists. Returns
 * whether it was created here. A file created by another process between the check and the
 * open is left alone ('wx' fails on it).
 */
export function ensurePrivateFile(path: string): boolean {
  if (existsSync(path)) return false;
  let fd: number;
  try {
    fd = openSync(path, 'wx', PRIVATE_FILE);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  }
  closeSync(fd);
  chmodSync(path, PRIVATE_FILE);
  return true;
}

/** Makes an existing file readable and writable by its owner only. */
export function makePrivate(path: string): void {
  chmodSync(path, PRIVATE_FILE);
}

/**
 * The permission bits that let group or others in (e.g. 0o055 for a 0755 folder), or 0 when
 * there are none, the path does not exist, or the platform has no such bits (Windows).
 */
export function sharedModeOf(path: string): number {
  if (process.platform === 'win32') return 0;
  try {
    return statSync(path).mode & 0o077;
  } catch {
    return 0;
  }
}
