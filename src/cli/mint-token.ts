import jwt from 'jsonwebtoken';
import {createSecretKey} from 'node:crypto';
import {ALL_PERMISSIONS} from '../auth/permissions';
import {loadDotEnv} from '../config/load-dotenv';
import {ConfigError, loadServiceConfig} from '../config/service-config';
import {readDevSecrets} from '../local/dev-secrets';

/**
 * `npm run token [-- --id USER --permissions A,B --ttl SECONDS]` prints a bearer
 * token for the HS256 secret in use (JWT_SECRET, or the generated development one).
 */
function run(): void {
  loadDotEnv();
  const config = loadServiceConfig(process.env);
  if (config.auth.algorithm !== 'HS256') throw new Error('JWT_PUBLIC_KEY is set: tokens come from your auth service');
  const secret = config.auth.secret ?? readDevSecrets(config.dataDir)?.jwtSecret;
  if (!secret) throw new Error('No JWT_SECRET and no development secret yet: start the service once with `npm start`');
  const args = parseArgs(process.argv.slice(2));
  const permissions = args.permissions ? args.permissions.split(',').map(p => p.trim()) : [...ALL_PERMISSIONS];
  const ttlSeconds = Number(args.ttl ?? Math.min(12 * 3600, config.auth.maxTtlSeconds));
  // The service refuses longer-lived tokens, so printing one would only hand out a useless token.
  if (!(ttlSeconds > 0 && ttlSeconds <= config.auth.maxTtlSeconds))
    throw new Error(`--ttl must be between 1 and ${config.auth.maxTtlSeconds} (JWT_MAX_TTL_SECONDS)`);
  const token = jwt.sign({id: args.id ?? 'dev-user', permissions}, createSecretKey(Buffer.from(secret, 'utf8')), {
    algorithm: 'HS256',
    expiresIn: ttlSeconds,
    ...(config.auth.issuer ? {issuer: config.auth.issuer} : {}),
    ...(config.auth.audience ? {audience: config.auth.audience} : {}),
  });
  process.stdout.write(`${token}\n`);
}

function parseArgs(argv: string[]): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (let i = 0; i < argv.length; i += 2) out[argv[i].replace(/^--/, '')] = argv[i + 1];
  return out;
}

try {
  run();
} catch (error) {
  process.stderr.write(`${error instanceof ConfigError ? error.message : (error as Error).message}\n`);
  process.exit(1);
}
