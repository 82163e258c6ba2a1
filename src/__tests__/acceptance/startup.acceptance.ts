import {expect} from '@loopback/testlab';
import fs from 'node:fs';
import path from 'node:path';
import {testKeys} from '../fixtures/vonage-test-keys';
import {cleanEnv, runServiceToExit, tempDataDir} from '../helpers/service-process.helper';

/** Everything production needs, so that each refusal below is about the one variable it changes. */
const PRODUCTION = {
  NODE_ENV: 'production',
  DB_HOST: '127.0.0.1',
  JWT_SECRET: 'x'.repeat(32),
  VONAGE_APPLICATION_ID: 'app',
  VONAGE_PRIVATE_KEY: testKeys().privateKeyPem,
  VONAGE_SIGNATURE_SECRET: 'callback-secret',
  STORAGE_ENCRYPTION_KEY: 'ab'.repeat(32),
};

describe('Start-up configuration (acceptance)', function () {
  this.timeout(30000);
  let dataDir: string;
  before(() => (dataDir = tempDataDir()));
  after(() => fs.rmSync(dataDir, {recursive: true, force: true}));

  const refusals: Array<[string, Record<string, string>, RegExp]> = [
    ['a port that is not a number', {PORT: 'eighty'}, /PORT must be a whole number/],
    ['a short JWT secret', {JWT_SECRET: 'short'}, /JWT_SECRET must be at least 32 characters/],
    ['production without a database', {NODE_ENV: 'production'}, /DB_HOST is required when NODE_ENV=production/],
    [
      'production without a Vonage application',
      {NODE_ENV: 'production', DB_HOST: '127.0.0.1', JWT_SECRET: 'x'.repeat(32)},
      /VONAGE_APPLICATION_ID is required/,
    ],
    [
      'production accepting unsigned callbacks',
      {...PRODUCTION, WEBHOOK_ALLOW_UNSIGNED: 'true'},
      /WEBHOOK_ALLOW_UNSIGNED must not be true when NODE_ENV=production/,
    ],
    [
      'production without a Vonage signature secret',
      {...PRODUCTION, VONAGE_SIGNATURE_SECRET: ''},
      /VONAGE_SIGNATURE_SECRET is required when NODE_ENV=production/,
    ],
    [
      'a Vonage key file that does not exist',
      {VONAGE_APPLICATION_ID: 'app', VONAGE_PRIVATE_KEY: '/nope/private.key'},
      /VONAGE_PRIVATE_KEY points to a file that cannot be read/,
    ],
  ];
  for (const [what, variables, message] of refusals) {
    it(`refuses to start with ${what}, naming the variable`, async () => {
      const result = await runServiceToExit(cleanEnv({DATA_DIR: dataDir, ...variables}));
      expect(result.code).to.equal(1);
      expect(result.output).to.match(message);
    });
  }

  it('ends with one line saying what to do, exit code 1, when the embedded database cannot start', async () => {
    const occupied = tempDataDir();
    fs.mkdirSync(path.join(occupied, 'pg'));
    fs.writeFileSync(path.join(occupied, 'pg', 'not-a-cluster.txt'), 'x');
    try {
      const result = await runServiceToExit(cleanEnv({DATA_DIR: occupied}));
      expect(result.code).to.equal(1);
      const lines = result.output.trim().split('\n');
      expect(lines.at(-1)).to.match(
        /^Cannot start: the embedded PostgreSQL did not start: initdb failed .* exists but is not empty\. Remove .*\/pg to start afresh\. Or set DB_HOST/,
      );
      expect(result.output).to.not.match(/^\s+at |Unhandled|node:events/m);
    } finally {
      fs.rmSync(occupied, {recursive: true, force: true});
    }
  });
});
