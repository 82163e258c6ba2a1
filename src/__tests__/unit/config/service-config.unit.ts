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

  it('reads the metrics settings: on outside production, off in production unless asked for or given a port', () => {
    expect(loadServiceConfig({}).metrics).to.eql({enabled: true});
    expect(loadServiceConfig({METRICS_ENABLED: 'false'}).metrics).to.eql({enabled: false});
    expect(loadServiceConfig({METRICS_PORT: '9464'}).metrics).to.eql({enabled: true, port: 9464});
    expect(loadServiceConfig({}).shutdownDrainSeconds).to.equal(5);
    expect(loadServiceConfig({SHUTDOWN_DRAIN_SECONDS: '0'}).shutdownDrainSeconds).to.equal(0);
    expectConfigError({METRICS_ENABLED: 'sometimes'}, 'METRICS_ENABLED');
    expectConfigError({METRICS_PORT: 'ninety'}, 'METRICS_PORT');
    expectConfigError({METRICS_PORT: '3000'}, 'METRICS_PORT');
    expectConfigError({METRICS_PORT: '9464', METRICS_ENABLED: 'false'}, 'METRICS_PORT');
    expectConfigError({SHUTDOWN_DRAIN_SECONDS: '-1'}, 'SHUTDOWN_DRAIN_SECONDS');
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
    expectConfigError({VIDEO_PROVIDER: 'teams'}, 'VIDEO_PROVIDER');
    expectConfigError({ZOOM_SDK_KEY: 'key'}, 'ZOOM_SDK_SECRET');
    expectConfigError({ZOOM_API_HOST: 'ftp://zoom'}, 'ZOOM_API_HOST');
    expectConfigError({TOKEN_SIGNING_THREADS: '-1'}, 'TOKEN_SIGNING_THREADS');
    expectConfigError({TOKEN_SIGNING_THREADS: 'two'}, 'TOKEN_SIGNING_THREADS');
  });

  it('refuses production without real dependencies', () => {
    expectConfigError({NODE_ENV: 'production'}, 'DB_HOST');
    expectConfigError({NODE_ENV: 'production', DB_HOST: 'db'}, 'JWT_SECRET');
    expectConfigError({NODE_ENV: 'production', DB_HOST: 'db', JWT_SECRET: 'x'.repeat(32)}, 'VONAGE_APPLICATION_ID');
  });

  describe('production refuses unsafe settings', () => {
    const production = {
      NODE_ENV: 'production',
      DB_HOST: 'db',
      JWT_SECRET: 'x'.repeat(32),
      VONAGE_APPLICATION_ID: 'app',
      VONAGE_PRIVATE_KEY: testKeys().privateKeyPem,
      VONAGE_SIGNATURE_SECRET: 'callback-secret',
      STORAGE_ENCRYPTION_KEY: 'ab'.repeat(32),
    };

    it('starts when every secret is there, with the explorer off', () => {
      const config = loadServiceConfig(production);
      expect(config.isProduction).to.be.true();
      expect(config.http.explorerEnabled).to.be.false();
      expect(loadServiceConfig({...production, EXPLORER_ENABLED: 'true'}).http.explorerEnabled).to.be.true();
    });

    it('keeps metrics off unless METRICS_ENABLED or METRICS_PORT asks for them', () => {
      expect(loadServiceConfig(production).metrics).to.eql({enabled: false});
      expect(loadServiceConfig({...production, METRICS_ENABLED: 'true'}).metrics).to.eql({enabled: true});
      expect(loadServiceConfig({...production, METRICS_PORT: '9464'}).metrics).to.eql({enabled: true, port: 9464});
    });

    it('refuses unsigned callbacks', () => {
      expectConfigError({...production, WEBHOOK_ALLOW_UNSIGNED: 'true'}, 'WEBHOOK_ALLOW_UNSIGNED');
      expect(loadServiceConfig({WEBHOOK_ALLOW_UNSIGNED: 'true'}).webhooks.allowUnsigned).to.be.true();
    });

    it('refuses Vonage without a signature secret', () => {
      expectConfigError({...production, VONAGE_SIGNATURE_SECRET: ''}, 'VONAGE_SIGNATURE_SECRET');
      expectConfigError({...production, VONAGE_SIGNATURE_SECRET: ' , '}, 'VONAGE_SIGNATURE_SECRET');
      expect(loadServiceConfig({VONAGE_APPLICATION_ID: 'app', VONAGE_PRIVATE_KEY: testKeys().privateKeyPem}).video.vonage?.signatureSecrets).to.eql([]);
    });
  });

  it('reads bearer token limits: audience, and a maximum lifetime of one day by default', () => {
    expect(loadServiceConfig({}).auth).to.containEql({audience: undefined, maxTtlSeconds: 86400});
    expect(loadServiceConfig({JWT_AUDIENCE: 'video-api', JWT_MAX_TTL_SECONDS: '3600'}).auth).to.containEql({audience: 'video-api', maxTtlSeconds: 3600});
    expectConfigError({JWT_MAX_TTL_SECONDS: '0'}, 'JWT_MAX_TTL_SECONDS');
    expectConfigError({JWT_MAX_TTL_SECONDS: 'a day'}, 'JWT_MAX_TTL_SECONDS');
  });

  it('reads the HTTP server limits, with defaults that bound slow clients', () => {
    expect(loadServiceConfig({}).http).to.eql({
      headersTimeoutMs: 10000,
      requestTimeoutMs: 30000,
      keepAliveTimeoutMs: 5000,
      maxConnections: 1000,
      explorerEnabled: true,
    });
    const env = {
      HTTP_HEADERS_TIMEOUT_MS: '2000',
      HTTP_REQUEST_TIMEOUT_MS: '4000',
      HTTP_KEEP_ALIVE_TIMEOUT_MS: '65000',
      HTTP_MAX_CONNECTIONS: '50',
      EXPLORER_ENABLED: 'false',
    };
    expect(loadServiceConfig(env).http).to.eql({
      headersTimeoutMs: 2000,
      requestTimeoutMs: 4000,
      keepAliveTimeoutMs: 65000,
      maxConnections: 50,
      explorerEnabled: false,
    });
    expectConfigError({HTTP_HEADERS_TIMEOUT_MS: '40000'}, 'HTTP_HEADERS_TIMEOUT_MS');
    expectConfigError({HTTP_REQUEST_TIMEOUT_MS: 'soon'}, 'HTTP_REQUEST_TIMEOUT_MS');
    expectConfigError({HTTP_KEEP_ALIVE_TIMEOUT_MS: '0'}, 'HTTP_KEEP_ALIVE_TIMEOUT_MS');
    expectConfigError({HTTP_MAX_CONNECTIONS: '0'}, 'HTTP_MAX_CONNECTIONS');
    expectConfigError({EXPLORER_ENABLED: 'sometimes'}, 'EXPLORER_ENABLED');
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
