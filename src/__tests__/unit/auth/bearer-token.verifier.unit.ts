import {expect} from '@loopback/testlab';
import {createHmac, generateKeyPairSync} from 'node:crypto';
import jwt from 'jsonwebtoken';
import {BearerTokenError, BearerTokenVerifier} from '../../../auth/bearer-token.verifier';

const SECRET = 's'.repeat(40);

describe('BearerTokenVerifier (unit)', () => {
  const hs = (options: {audience?: string; maxTtlSeconds?: number} = {}) =>
    new BearerTokenVerifier({algorithm: 'HS256', secret: SECRET, issuer: 'issuer-1', maxTtlSeconds: 86400, ...options});
  const now = () => Math.floor(Date.now() / 1000);

  function expectRejected(verifier: BearerTokenVerifier, token: string) {
    expect(() => verifier.verify(token)).to.throw(BearerTokenError);
  }

  it('accepts a valid HS256 token and returns id and permissions', () => {
    const token = jwt.sign({id: 'u1', permissions: ['EditMeeting']}, SECRET, {expiresIn: 60, issuer: 'issuer-1'});
    expect(hs().verify(token)).to.eql({id: 'u1', permissions: ['EditMeeting'], tenantId: null});
  });

  it('takes the caller id from sub when id is absent', () => {
    const token = jwt.sign({sub: 'u2', permissions: []}, SECRET, {expiresIn: 60, issuer: 'issuer-1'});
    expect(hs().verify(token).id).to.equal('u2');
  });

  it('rejects expired, wrongly signed, wrong-issuer, exp-less and permission-less tokens', () => {
    expectRejected(hs(), jwt.sign({id: 'u', permissions: [], exp: Math.floor(Date.now() / 1000) - 60}, SECRET, {issuer: 'issuer-1'}));
    expectRejected(hs(), jwt.sign({id: 'u', permissions: []}, 'x'.repeat(40), {expiresIn: 60, issuer: 'issuer-1'}));
    expectRejected(hs(), jwt.sign({id: 'u', permissions: []}, SECRET, {expiresIn: 60, issuer: 'other'}));
    expectRejected(hs(), jwt.sign({id: 'u', permissions: []}, SECRET, {issuer: 'issuer-1'}));
    expectRejected(hs(), jwt.sign({id: 'u', permissions: 'all'}, SECRET, {expiresIn: 60, issuer: 'issuer-1'}));
  });

  it('rejects alg none', () => {
    const header = Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url');
    const payload = Buffer.from(JSON.stringify({id: 'u', permissions: [], exp: 9999999999, iss: 'issuer-1'})).toString('base64url');
    expectRejected(hs(), `${header}.${payload}.`);
  });

  it('rejects an HS256 token signed with the RS256 public key (algorithm confusion)', () => {
    const {publicKey, privateKey} = generateKeyPairSync('rsa', {modulusLength: 2048});
    const publicPem = publicKey.export({type: 'spki', format: 'pem'}).toString();
    const rs = new BearerTokenVerifier({algorithm: 'RS256', publicKeyPem: publicPem, maxTtlSeconds: 86400});
    const good = jwt.sign({id: 'u', permissions: []}, privateKey, {algorithm: 'RS256', expiresIn: 60});
    expect(rs.verify(good).id).to.equal('u');
    const header = Buffer.from('{"alg":"HS256","typ":"JWT"}').toString('base64url');
    const payload = Buffer.from(JSON.stringify({id: 'u', permissions: [], exp: 9999999999})).toString('base64url');
    const signature = createHmac('sha256', publicPem).update(`${header}.${payload}`).digest('base64url');
    expectRejected(rs, `${header}.${payload}.${signature}`);
  });

  it('checks the audience when one is configured', () => {
    const signed = (aud?: string) => jwt.sign({id: 'u', permissions: [], ...(aud ? {aud} : {})}, SECRET, {expiresIn: 60, issuer: 'issuer-1'});
    expect(hs({audience: 'video-api'}).verify(signed('video-api')).id).to.equal('u');
    expectRejected(hs({audience: 'video-api'}), signed('billing-api'));
    expectRejected(hs({audience: 'video-api'}), signed());
    expect(hs().verify(signed('anything')).id).to.equal('u');
  });

  it('refuses a token living longer than the maximum lifetime, or without iat', () => {
    const lifetime = (seconds: number) => jwt.sign({id: 'u', permissions: []}, SECRET, {expiresIn: seconds, issuer: 'issuer-1'});
    expect(hs().verify(lifetime(86400)).id).to.equal('u');
    expectRejected(hs(), lifetime(86401));
    expectRejected(hs({maxTtlSeconds: 600}), lifetime(601));
    expectRejected(hs(), jwt.sign({id: 'u', permissions: [], exp: now() + 60}, SECRET, {issuer: 'issuer-1', noTimestamp: true}));
  });

  it('refuses an empty caller id or sub', () => {
    for (const claims of [{id: ''}, {sub: ''}, {id: '  '}, {id: '', sub: 'u'}]) {
      expectRejected(hs(), jwt.sign({...claims, permissions: []}, SECRET, {expiresIn: 60, issuer: 'issuer-1'}));
    }
  });
});
