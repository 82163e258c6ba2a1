import {createSecretKey, KeyObject, randomUUID} from 'node:crypto';
import jwt from 'jsonwebtoken';
import type {ProviderStorageTarget} from '../types';
import {VideoProviderError} from '../video-provider.error';
import {toOpenTokStorageBody} from './vonage.mapper';

/**
 * The OpenTok-compatible archive storage call (provider-facts §A7), which the
 * Node SDK does not have: `X-OPENTOK-AUTH` is an HS256 JWT over the project secret.
 */
export class VonageStorageTargetClient {
  private readonly secret: KeyObject;

  constructor(
    private readonly apiHost: string,
    private readonly apiKey: string,
    apiSecret: string,
    private readonly timeoutMs: number,
  ) {
    // A KeyObject, built once: jsonwebtoken first tries a string secret as a PEM (stack-notes "Crypto cost").
    this.secret = createSecretKey(Buffer.from(apiSecret, 'utf8'));
  }

  /** PUT the target, or DELETE it when null. Throws VideoProviderError (never with the JWT or secrets). */
  async apply(target: ProviderStorageTarget | null): Promise<void> {
    const nowSeconds = Math.floor(Date.now() / 1000);
    // Vonage accepts at most five minutes between iat and exp.
    const auth = jwt.sign({iss: this.apiKey, ist: 'project', iat: nowSeconds, exp: nowSeconds + 180, jti: randomUUID()}, this.secret, {
      algorithm: 'HS256',
    });
    const url = `${this.apiHost}/v2/project/${encodeURIComponent(this.apiKey)}/archive/storage`;
    let response: Response;
    try {
      response = await fetch(url, {
        method: target ? 'PUT' : 'DELETE',
        headers: {'X-OPENTOK-AUTH': auth, 'Content-Type': 'application/json', Accept: 'application/json'},
        body: target ? JSON.stringify(toOpenTokStorageBody(target)) : undefined,
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      throw VideoProviderError.fromStatus('vonage', undefined, 'archive storage update', error);
    }
    // Drain the body so the socket goes back to the pool; its text is not needed.
    await response.arrayBuffer().catch(() => undefined);
    // Removing a target that is not set is what we wanted.
    if (!response.ok && !(target === null && response.status === 404)) {
      throw VideoProviderError.fromStatus('vonage', response.status, 'archive storage update');
    }
  }
}
