import {expect} from '@loopback/testlab';
import jwt from 'jsonwebtoken';
import {JwtSigningPool} from '../../../crypto/jwt-signing-pool';
import {testKeys} from '../../fixtures/vonage-test-keys';

describe('JwtSigningPool (unit)', () => {
  const signOptions: jwt.SignOptions = {algorithm: 'RS256', header: {typ: 'JWT', alg: 'RS256'}};
  let pool: JwtSigningPool;

  beforeEach(() => {
    pool = new JwtSigningPool({privateKeyPem: testKeys().privateKeyPem, signOptions}, 2);
  });
  afterEach(async () => pool.close());

  it('signs every request with the key, across its threads, each answer to its own request', async () => {
    const tokens = await Promise.all(Array.from({length: 40}, (_, n) => pool.sign({n})));
    const claims = tokens.map(token => jwt.verify(token, testKeys().publicKeyPem, {algorithms: ['RS256']}) as {n: number});
    expect(claims.map(c => c.n)).to.eql(Array.from({length: 40}, (_, n) => n));
  });

  it('rejects what cannot be signed, and keeps signing', async () => {
    await expect(pool.sign({exp: 'not a number'})).to.be.rejectedWith(/token signing failed: "exp" should be a number of seconds/);
    expect(jwt.decode(await pool.sign({ok: true}))).to.containEql({ok: true});
  });

  it('fails only the signatures a dead thread owed, and replaces the thread', async () => {
    const threads = (pool as unknown as {threads: Array<{worker: {terminate(): Promise<number>}}>}).threads;
    // Stopped before the request reaches it, so the thread never answers.
    const stopping = threads[0].worker.terminate();
    const owed = pool.sign({on: 'first thread'});
    await stopping;
    await expect(owed).to.be.rejectedWith(/token signing thread stopped/);
    expect(pool.size).to.equal(2);
    const tokens = await Promise.all([pool.sign({a: 1}), pool.sign({b: 2}), pool.sign({c: 3})]);
    expect(tokens.map(t => jwt.decode(t))).to.containDeep([{a: 1}, {b: 2}, {c: 3}]);
  });

  it('refuses work once closed', async () => {
    await pool.close();
    await expect(pool.sign({late: true})).to.be.rejectedWith(/closed/);
  });

  it('needs at least one thread', () => {
    expect(() => new JwtSigningPool({privateKeyPem: testKeys().privateKeyPem, signOptions}, 0)).to.throw(/at least one thread/);
  });
});
