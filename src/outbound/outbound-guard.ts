import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import {isIP, LookupFunction} from 'node:net';
import type {Duplex} from 'node:stream';
import type {OutboundConfig} from '../config/outbound-config';
import {classifyAddress} from './address-class';
import {OutboundAddressRefusedError} from './outbound-refused.error';
import {ValidationError} from '../errors/domain-errors';

/** `dns.lookup` with `all: true`; replaceable so tests can play a name that resolves anywhere. */
export type Resolver = (
  hostname: string,
  options: dns.LookupAllOptions,
  callback: (error: NodeJS.ErrnoException | null, addresses: dns.LookupAddress[]) => void,
) => void;

/** Agents for one client: every connection they open passes the guard. */
export interface GuardedAgents {
  httpAgent: http.Agent;
  httpsAgent: https.Agent;
}

type ConnectCallback = (error: Error | null, socket: Duplex) => void;

/**
 * The one place that decides whether the service may connect to an address an administrator
 * chose. The check runs on the address each connection actually uses (inside the agent's DNS
 * lookup), so a name that resolves elsewhere on the second lookup (DNS rebinding) gains nothing.
 */
export class OutboundGuard {
  private readonly allowed: ReadonlySet<string>;

  constructor(
    private readonly policy: OutboundConfig,
    private readonly resolver: Resolver = dns.lookup as Resolver,
  ) {
    this.allowed = new Set(policy.allowedHosts.map(entry => entry.toLowerCase()));
  }

  get restricting(): boolean {
    return this.policy.restrictPrivateAddresses;
  }

  /** The refusal for connecting to `address` on behalf of `host:port`, or null when allowed. */
  refusal(host: string, port: number, address: string): OutboundAddressRefusedError | null {
    if (!this.policy.restrictPrivateAddresses) return null;
    if (this.isListed(host, port) || this.isListed(address, port)) return null;
    const kind = classifyAddress(address);
    return kind === 'public' ? null : new OutboundAddressRefusedError(host, port, address, kind);
  }

  /**
   * Refuses, when saving it, a URL whose host resolves now to a refused address (a connection is
   * checked again when made, so a name that moves later gains nothing).
   */
  async checkUrl(url: URL): Promise<void> {
    if (!this.restricting) return;
    const host = url.hostname.replace(/^\[|\]$/g, '');
    const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
    const addresses = isIP(host) ? [host] : await this.resolveAll(host);
    const refused = addresses.map(address => this.refusal(host, port, address)).find(r => r !== null);
    if (refused) throw refused;
  }

  private resolveAll(host: string): Promise<string[]> {
    return new Promise((resolve, reject) => {
      this.resolver(host, {all: true}, (error, addresses) => {
        if (error || addresses.length === 0) reject(new ValidationError(`The host ${host} does not resolve to an address`, {cause: error}));
        else resolve(addresses.map(a => a.address));
      });
    });
  }

  /**
   * Fresh agents (an SDK client destroys its agents with itself, so none are shared). Keep-alive
   * as the SDKs' defaults; a reused socket was checked when it was opened.
   */
  agents(): GuardedAgents {
    // The agent subclasses below need the guard beside their own `this`.
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const guard = this;
    const options = {keepAlive: true, maxSockets: 50};
    class GuardedHttpAgent extends http.Agent {
      override createConnection(connect: http.ClientRequestArgs, callback?: ConnectCallback): Duplex | null | undefined {
        return guard.connect(connect, 80, callback, o => super.createConnection(o, callback));
      }
    }
    class GuardedHttpsAgent extends https.Agent {
      override createConnection(connect: http.ClientRequestArgs, callback?: ConnectCallback): Duplex | null | undefined {
        return guard.connect(connect, 443, callback, o => super.createConnection(o, callback));
      }
    }
    return {httpAgent: new GuardedHttpAgent(options), httpsAgent: new GuardedHttpsAgent(options)};
  }

  private connect(
    options: http.ClientRequestArgs,
    defaultPort: number,
    callback: ConnectCallback | undefined,
    open: (options: http.ClientRequestArgs) => Duplex | null | undefined,
  ): Duplex | null | undefined {
    if (!this.restricting) return open(options);
    const host = (options.host ?? options.hostname ?? 'localhost').replace(/^\[|\]$/g, '');
    const port = Number(options.port ?? defaultPort);
    // Node skips the lookup for an IP literal, so a literal is checked here.
    if (isIP(host)) {
      const refused = this.refusal(host, port, host);
      if (!refused) return open(options);
      // The agent turns a callback error into the request's 'error' event.
      callback?.(refused, undefined as unknown as Duplex);
      return undefined;
    }
    return open({...options, lookup: this.lookupFor(host, port)});
  }

  /** A lookup that refuses the connection when any address the name resolves to is refused. */
  private lookupFor(host: string, port: number): LookupFunction {
    return (hostname, options, callback) => {
      this.resolver(hostname, {...options, all: true}, (error, addresses) => {
        if (error) return callback(error, '', 0);
        const refused = addresses.map(a => this.refusal(host, port, a.address)).find(r => r !== null);
        if (refused) return callback(refused, '', 0);
        if (addresses.length === 0) return callback(Object.assign(new Error(`${hostname} has no address`), {code: 'ENOTFOUND'}), '', 0);
        if ((options as dns.LookupAllOptions).all) return callback(null, addresses);
        callback(null, addresses[0].address, addresses[0].family);
      });
    };
  }

  private isListed(host: string, port: number): boolean {
    const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
    return this.allowed.has(`${isIP(bare) === 6 ? `[${bare}]` : bare}:${port}`);
  }
}
