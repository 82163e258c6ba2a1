import {expect} from '@loopback/testlab';
import jwt from 'jsonwebtoken';
import {ZoomJoinTokenSigner} from '../../../../providers/video/zoom/zoom-join-token';
import {ZOOM_API_JWT_RENEW_BEFORE_SECONDS, ZOOM_API_JWT_TTL_SECONDS, ZoomRestAuth} from '../../../../providers/video/zoom/zoom-rest-auth';
import {signHs256, zoomSecretKey} from '../../../../providers/video/zoom/zoom-hs256';

const NOW_MS = 1_700_000_000_000;
const JOIN_KEY = '0b7f4a0e-5f8e-4a8e-9a52-0d3c1f1f2a10';

describe('Zoom JWTs (unit)', () => {
  describe('join token', () => {
    const signer = new ZoomJoinTokenSigner('sdk-key', 'sdk-secret', () => NOW_MS);
    const request = (over: object = {}) => ({
      attendeeId: 'a-1',
      role: 'publisher' as const,
      expiresAt: new Date(NOW_MS + 7200_000),
      joinKey: JOIN_KEY,
      ...over,
    });

    it('carries Zoom claims and verifies with jsonwebtoken and the SDK secret', () => {
      const token = signer.sign('link-abc', request());
      const claims = jwt.verify(token, 'sdk-secret', {algorithms: ['HS256'], clockTimestamp: NOW_MS / 1000}) as Record<string, unknown>;
      expect(claims).to.eql({
        app_key: 'sdk-key',
        tpc: 'link-abc',
        role_type: 0,
        version: 1,
        iat: NOW_MS / 1000 - 30,
        exp: NOW_MS / 1000 + 7200,
        user_key: JOIN_KEY,
      });
      expect(jwt.decode(token, {complete: true})!.header).to.eql({alg: 'HS256', typ: 'JWT'});
    });

    it('gives moderators role_type 1', () => {
      const claims = jwt.decode(signer.sign('s', request({role: 'moderator'}))) as Record<string, unknown>;
      expect(claims.role_type).to.equal(1);
    });

    it('keeps a 48-hour token within 48 hours of its iat', () => {
      const claims = jwt.decode(signer.sign('s', request({expiresAt: new Date(NOW_MS + 48 * 3600_000)}))) as {iat: number; exp: number};
      expect(claims.exp - claims.iat).to.equal(48 * 3600);
    });

    it('refuses to sign without a join key, with one over 36 characters, or for a role Zoom lacks', () => {
      expect(() => signer.sign('s', request({joinKey: undefined}))).to.throw(/joinKey/);
      expect(() => signer.sign('s', request({joinKey: 'x'.repeat(37)}))).to.throw(/joinKey/);
      expect(() => signer.sign('s', request({role: 'subscriber'}))).to.throw(/role/);
    });

    it('signs the same bytes jsonwebtoken would', () => {
      const claims = {app_key: 'k', tpc: 't', role_type: 0, version: 1, iat: 1, exp: 2, user_key: 'u'};
      expect(signHs256(claims, zoomSecretKey('secret'))).to.equal(jwt.sign(claims, 'secret', {algorithm: 'HS256'}));
    });
  });

  describe('REST API JWT', () => {
    it('is HS256 with the API secret, {iss, iat, exp} and lives an hour', () => {
      const auth = new ZoomRestAuth('api-key', 'api-secret', () => NOW_MS);
      const token = auth.bearerHeader().replace(/^Bearer /, '');
      const claims = jwt.verify(token, 'api-secret', {algorithms: ['HS256'], clockTimestamp: NOW_MS / 1000}) as Record<string, unknown>;
      expect(claims).to.eql({iss: 'api-key', iat: NOW_MS / 1000, exp: NOW_MS / 1000 + ZOOM_API_JWT_TTL_SECONDS});
    });

    it('is reused until five minutes before it expires, then renewed', () => {
      let now = NOW_MS;
      const auth = new ZoomRestAuth('api-key', 'api-secret', () => now);
      const first = auth.bearerHeader();
      now += (ZOOM_API_JWT_TTL_SECONDS - ZOOM_API_JWT_RENEW_BEFORE_SECONDS - 1) * 1000;
      expect(auth.bearerHeader()).to.equal(first);
      now += 1000;
      const renewed = auth.bearerHeader();
      expect(renewed).not.to.equal(first);
      expect((jwt.decode(renewed.slice(7)) as {iat: number}).iat).to.equal(Math.floor(now / 1000));
    });

    it('is renewed when the clock steps back before its iat', () => {
      let now = NOW_MS;
      const auth = new ZoomRestAuth('api-key', 'api-secret', () => now);
      const first = auth.bearerHeader();
      now -= 10_000;
      expect(auth.bearerHeader()).not.to.equal(first);
    });
  });
});
