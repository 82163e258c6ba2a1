import {Auth} from '@vonage/auth';
import {createPrivateKey, KeyObject, randomUUID} from 'node:crypto';
import jwt from 'jsonwebtoken';

/** The lifetime @vonage/jwt gives a REST JWT when none is asked for (provider-facts §A2). */
export const REST_JWT_TTL_SECONDS = 900;
/**
 * How long one REST JWT is sent again. Far inside its 900 s lifetime, so a reused token never arrives expired
 * even with a clock a few minutes off; Vonage accepts a token for as long as its `exp` says (it only refuses one
 * more than 24 h past `iat`), so reuse within it is what the JWT is for. Under load it spares one RS256 signature
 * (about 0.8 ms of CPU here) per provider call.
 */
export const DEFAULT_REST_JWT_REUSE_SECONDS = 10;

/**
 * The Vonage SDK's `Auth`, with the REST bearer JWT signed by a key parsed once.
 *
 * The SDK's own `createBearerHeader` hands the PEM text to jsonwebtoken on every call, which parses the key again
 * each time (9% of the service's time under `POST /session` load, beside 13% for the signature). This one parses it
 * at construction and writes the same JWT the SDK writes: header `{alg: RS256, typ: JWT}`, claims `jti` (UUID v4),
 * `iat`, `exp` (iat + 900 s), `application_id`, in that order. Everything else (`applicationId`, which the SDK puts
 * into project URLs; basic and signature auth) is the SDK's, so `Video` takes it in place of `new Auth(...)`.
 */
export class VonageRestAuth extends Auth {
  private readonly signingKey: KeyObject;
  private reused?: {header: string; mintedAtMs: number};

  constructor(
    applicationId: string,
    privateKeyPem: string,
    private readonly reuseSeconds = DEFAULT_REST_JWT_REUSE_SECONDS,
    private readonly nowMs: () => number = Date.now,
  ) {
    // The PEM stays on `privateKey` too, as with `new Auth(...)`: `Video.generateClientToken` reads it from there.
    super({applicationId, privateKey: privateKeyPem});
    this.signingKey = createPrivateKey(privateKeyPem);
  }

  /** An own property, like the SDK's: `Auth` assigns its methods per instance, which would hide a prototype method. */
  override createBearerHeader = async (): Promise<string> => this.bearerHeader();

  /** `Bearer <jwt>`: the one minted within the last `reuseSeconds`, or a fresh one. */
  bearerHeader(): string {
    const now = this.nowMs();
    const reused = this.reused;
    // A clock that stepped back also mints anew.
    if (reused && now >= reused.mintedAtMs && now - reused.mintedAtMs < this.reuseSeconds * 1000) return reused.header;
    const header = `Bearer ${this.mint(now)}`;
    this.reused = {header, mintedAtMs: now};
    return header;
  }

  private mint(nowMs: number): string {
    const iatSeconds = Math.floor(nowMs / 1000);
    const claims = {jti: randomUUID(), iat: iatSeconds, exp: iatSeconds + REST_JWT_TTL_SECONDS, application_id: this.applicationId};
    return jwt.sign(claims, this.signingKey, {algorithm: 'RS256', header: {typ: 'JWT', alg: 'RS256'}});
  }
}
