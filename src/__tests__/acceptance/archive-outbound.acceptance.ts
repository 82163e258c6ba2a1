import {expect} from '@loopback/testlab';
import http from 'node:http';
import type {AddressInfo} from 'node:net';
import {Permission} from '../../auth/permissions';
import {queryTestDatabase} from '../fixtures/postgres';
import {startS3rver} from '../fixtures/storage-emulators';
import {setupApplication, TestApp} from '../helpers/app.helper';
import {bearer, givenBearerToken} from '../helpers/auth.helper';
import {givenEmptyDatabase} from '../helpers/database.helper';

describe('Storage target endpoints the service may reach (acceptance)', () => {
  let s3: Awaited<ReturnType<typeof startS3rver>>;
  const admin = () => bearer(givenBearerToken({id: 'admin', permissions: Object.values(Permission)}));
  const target = (endpoint: string) => ({type: 's3', bucket: 'recordings', accessKey: s3.accessKey, secretKey: s3.secretKey, endpoint, forcePathStyle: true});
  const s3Port = () => new URL(s3.endpoint).port;

  before(async () => {
    s3 = await startS3rver();
    await s3.createBucket('recordings');
  });
  after(async () => s3?.stop());

  async function expectNothingStored(): Promise<void> {
    expect(await queryTestDatabase('SELECT id FROM storage_targets')).to.have.length(0);
    expect(await queryTestDatabase(`SELECT id FROM audit_logs WHERE action = 'storage-target.set'`)).to.have.length(0);
  }

  describe('in production', () => {
    let t: TestApp;
    before(async () => {
      t = await setupApplication({configure: config => (config.outbound = {restrictPrivateAddresses: true, allowedHosts: []})});
    });
    after(async () => t?.stop());
    beforeEach(givenEmptyDatabase);

    it('400 for a loopback endpoint (PostgreSQL on 5432 included); nothing reaches it', async () => {
      let hits = 0;
      const server = http.createServer((_req, res) => void (hits++, res.end()));
      await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
      try {
        const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
        const res = await t.client.put('/archives/storage-target').set(admin()).send(target(endpoint)).expect(400);
        expect(res.body.error.message).to.match(/127\.0\.0\.1:\d+ are refused: a loopback address .* OUTBOUND_ALLOWED_HOSTS/);
        expect(hits).to.equal(0);
      } finally {
        server.close();
      }
      await t.client.put('/archives/storage-target').set(admin()).send(target('http://127.0.0.1:5432')).expect(400);
      await expectNothingStored();
    });

    it('400 for link-local (cloud metadata), private and unique-local endpoints', async () => {
      for (const endpoint of ['http://169.254.169.254', 'http://10.0.0.1:9000', 'http://[fd00::1]:9000', 'http://[::ffff:127.0.0.1]:5432']) {
        const res = await t.client.put('/archives/storage-target').set(admin()).send(target(endpoint)).expect(400);
        expect(res.body.error.message).to.match(/are refused: a (link-local|private|unique-local|loopback) address/);
      }
      await expectNothingStored();
    });

    it('400 for a name that resolves to loopback: the address connected to is checked', async () => {
      const res = await t.client
        .put('/archives/storage-target')
        .set(admin())
        .send(target(`http://localhost:${s3Port()}`))
        .expect(400);
      expect(res.body.error.message).to.match(/localhost:\d+ \(it resolves to (127\.0\.0\.1|::1)\) are refused/);
      await expectNothingStored();
    });
  });

  describe('in production with the emulator in OUTBOUND_ALLOWED_HOSTS', () => {
    let t: TestApp;
    before(async () => {
      t = await setupApplication({configure: config => (config.outbound = {restrictPrivateAddresses: true, allowedHosts: [`127.0.0.1:${s3Port()}`]})});
    });
    after(async () => t?.stop());
    beforeEach(givenEmptyDatabase);

    it('accepts the listed host:port and still refuses the rest of loopback', async () => {
      await t.client.put('/archives/storage-target').set(admin()).send(target(s3.endpoint)).expect(204);
      await t.client
        .put('/archives/storage-target')
        .set(admin())
        .send(target(`http://127.0.0.1:${Number(s3Port()) + 1}`))
        .expect(400);
    });
  });

  describe('credentials in the endpoint', () => {
    let t: TestApp;
    before(async () => {
      t = await setupApplication();
    });
    after(async () => t?.stop());
    beforeEach(givenEmptyDatabase);

    it('400 for user info or a query (a SAS token), without repeating them; nothing stored or audited', async () => {
      const withUser = s3.endpoint.replace('http://', 'http://admin:hunter2@');
      const userRes = await t.client.put('/archives/storage-target').set(admin()).send(target(withUser)).expect(400);
      expect(userRes.body.error.message).to.match(/user info .* own fields/);
      expect(JSON.stringify(userRes.body)).to.not.containEql('hunter2');

      const sas = 'sv=2024-11-04&ss=b&srt=sco&sp=rwdlac&se=2030-01-01T00:00:00Z&sig=c2VjcmV0LXNpZ25hdHVyZQ%3D%3D';
      const azure = {type: 'azure', accountName: 'devstoreaccount1', accountKey: Buffer.alloc(64, 1).toString('base64'), container: 'recordings'};
      const sasRes = await t.client
        .put('/archives/storage-target')
        .set(admin())
        .send({...azure, endpoint: `http://127.0.0.1:10000/devstoreaccount1?${sas}`})
        .expect(400);
      expect(sasRes.body.error.message).to.match(/query string/);
      expect(JSON.stringify(sasRes.body)).to.not.containEql('sig=');

      await t.client
        .put('/archives/storage-target')
        .set(admin())
        .send(target(`${s3.endpoint}/?X-Amz-Signature=abc`))
        .expect(400);
      await expectNothingStored();
    });
  });
});
