import {expect} from '@loopback/testlab';
import {ConfigError, loadServiceConfig} from '../../../config/service-config';
import {testKeys} from '../../fixtures/vonage-test-keys';

function expectConfigError(env: NodeJS.ProcessEnv, variable: string): void {
  let caught: unknown;
  try {
    loadServiceConfig(env);
  } catch (error) {
    caught = error;
  }
  expect(caught).to.be.instanceOf(ConfigError);
  expect((caught as ConfigError).variable).to.equal(variable);
  expect((caught as ConfigError).message).to.containEql(variable);
}

describe('loadServiceConfig (unit)', () => {
  it('needs nothing in development: embedded database, no Vonage (local emulator)', () => {
    const config = loadServiceConfig({});
    expect(config.port).to.equal(3000);
    expect(config.database.mode).to.equal('embedded');
    expect(config.video.vonage).to.be.undefined();
    expect(config.auth.algorithm).to.equal('HS256');
    expect(config.webhooks.toleranceSeconds).to.equal(300);
    expect(config.timeToStartMinutes).to.equal(10);
    expect(config.workers).to.equal(1);
    expect(config.tokenSigningThreads).to.equal(1);
  });

  it('reads the cluster and signing-thread settings', () => {
    const config = loadServiceConfig({WORKERS: '4', TOKEN_SIGNING_THREADS: '2'});
    expect(config).to.containEql({workers: 4, tokenSigningThreads: 2});
  });

  it('bounds the wait for a pooled connection and every statement (defaults 3 s and 10 s)', () => {
    expect(loadServiceConfig({}).database).to.containEql({poolWaitMs: 3000, statementTimeoutMs: 10_000});
    expect(loadServiceConfig({DB_POOL_WAIT_MS: '500', DB_STATEMENT_TIMEOUT_MS: '2000'}).database).to.containEql({poolWaitMs: 500, statementTimeoutMs: 2000});
    expectConfigError({DB_POOL_WAIT_MS: '0'}, 'DB_POOL_WAIT_MS');
    expectConfigError({DB_STATEMENT_TIMEOUT_MS: 'soon'}, 'DB_STATEMENT_TIMEOUT_MS');
  });

  it('reads an external database, a schema and several signature secrets', () => {
    const vonage = {VONAGE_APPLICATION_ID: 'app', VONAGE_PRIVATE_KEY: testKeys().privateKeyPem};
    const config = loadServiceConfig({DB_HOST: 'db', DB_PORT: '6543', DB_SCHEMA: 'video', VONAGE_SIGNATURE_SECRET: 'a, b', ...vonage});
    expect(config.database).to.containEql({mode: 'external', host: 'db', port: 6543, schema: 'video'});
    expect(config.video.vonage?.signatureSecrets).to.eql(['a', 'b']);
  });

  it('names the variable of a bad value', () => {
    expectConfigError({PORT: 'eighty'}, 'PORT');
    expectConfigError({PORT: '70000'}, 'PORT');
    expectConfigError({DB_SCHEMA: 'drop table;'}, 'DB_SCHEMA');
    expectConfigError({JWT_SECRET: 'short'}, 'JWT_SECRET');
    expectConfigError({WEBHOOK_ALLOW_UNSIGNED: 'maybe'}, 'WEBHOOK_ALLOW_UNSIGNED');
    expectConfigError({VONAGE_VIDEO_HOST: 'ftp://x'}, 'VONAGE_VIDEO_HOST');
    expectConfigError({VONAGE_APPLICATION_ID: 'app'}, 'VONAGE_PRIVATE_KEY');
    expectConfigError({VONAGE_APPLICATION_ID: 'app', VONAGE_PRIVATE_KEY: '/no/such/key.pem'}, 'VONAGE_PRIVATE_KEY');
    expectConfigError({STORAGE_ENCRYPTION_KEY: 'abcd'}, 'STORAGE_ENCRYPTION_KEY');
    expectConfigError({VIDEO_PROVIDER: 'zoom'}, 'VIDEO_PROVIDER');
    expectConfigError({TOKEN_SIGNING_THREADS: '-1'}, 'TOKEN_SIGNING_THREADS');
    expectConfigError({TOKEN_SIGNING_THREADS: 'two'}, 'TOKEN_SIGNING_THREADS');
  });

  it('refuses production without real dependencies', () => {
    expectConfigError({NODE_ENV: 'production'}, 'DB_HOST');
    expectConfigError({NODE_ENV: 'production', DB_HOST: 'db'}, 'JWT_SECRET');
    expectConfigError({NODE_ENV: 'production', DB_HOST: 'db', JWT_SECRET: 'x'.repeat(32)}, 'VONAGE_APPLICATION_ID');
  });

  it('accepts PEM keys with escaped newlines, as .env files carry them', () => {
    const pem = '-----BEGIN PUBLIC KEY-----\\nabc\\n-----END PUBLIC KEY-----';
    const config = loadServiceConfig({JWT_PUBLIC_KEY: pem});
    expect(config.auth.algorithm).to.equal('RS256');
    expect(config.auth.publicKeyPem).to.containEql('\nabc\n');
  });

  it('reads a 32-byte storage key as hex or base64', () => {
    const hex = 'ab'.repeat(32);
    expect(loadServiceConfig({STORAGE_ENCRYPTION_KEY: hex}).storage.encryptionKey).to.have.length(32);
    const b64 = Buffer.alloc(32, 7).toString('base64');
    expect(loadServiceConfig({STORAGE_ENCRYPTION_KEY: b64}).storage.encryptionKey).to.have.length(32);
  });
});
