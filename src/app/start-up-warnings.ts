import type { Config } from '../kernel/config.js';
import type { Logger } from '../kernel/logger.js';
import { sharedModeOf } from '../kernel/private-files.js';
import { isLoopback } from '../http/pipeline/authenticate.js';

/** What an operator should hear about once, at start, because the configuration allows it but it is risky. */
export function warnAtStart(config: Config, logger: Logger): void {
  if (!isLoopback(config.host) && config.publicUrl === undefined) {
    // Security review finding 11b: behind no fixed name, `iss` is whatever Host a caller sends.
    logger.warn(
      'listening beyond loopback without --public-url: token issuers (iss) and discovery documents follow the Host header of each request, ' +
        'so a caller chooses the issuer of the tokens it gets. Set --public-url to the URL clients use.',
      { host: config.host },
    );
  }
  if (config.dataDir !== ':memory:') {
    const shared = sharedModeOf(config.dataDir);
    if (shared !== 0) {
      // Folders userpoold creates are 0700; one that existed before keeps the mode its owner gave it.
      logger.warn(`the data folder can be read by other users of this machine; make it private with: chmod 700 ${config.dataDir}`, {
        dataDir: config.dataDir,
        mode: `0${(shared | 0o700).toString(8)}`,
      });
    }
  }
}
