import {ConfigError, EnvReader} from './env-reader';

/** Requests to addresses an administrator chooses (storage endpoints; event subscriptions later). */
export interface OutboundConfig {
  /** Refuse loopback, private, link-local and unique-local destinations (on in production). */
  restrictPrivateAddresses: boolean;
  /** `host:port` entries (IPv6 as `[addr]:port`, lower case) exempt from the restriction. */
  allowedHosts: string[];
}

/**
 * Outside production private destinations stay reachable, so local emulators work without
 * configuration; in production only what OUTBOUND_ALLOWED_HOSTS names is.
 */
export function readOutboundConfig(read: EnvReader, isProduction: boolean): OutboundConfig {
  const allowedHosts = read.list('OUTBOUND_ALLOWED_HOSTS').map(entry => {
    const match = /^(\[[0-9a-f:.]+\]|[^:[\]\s/]+):(\d{1,5})$/i.exec(entry);
    if (!match || Number(match[2]) < 1 || Number(match[2]) > 65535) {
      throw new ConfigError('OUTBOUND_ALLOWED_HOSTS', `must list host:port entries separated by commas (IPv6 as [addr]:port), got "${entry}"`);
    }
    return `${match[1].toLowerCase()}:${Number(match[2])}`;
  });
  return {restrictPrivateAddresses: isProduction, allowedHosts};
}
