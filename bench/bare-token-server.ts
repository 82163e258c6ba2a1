import {createPrivateKey, createSecretKey} from 'node:crypto';
import http from 'node:http';
import jwt from 'jsonwebtoken';
import {VonageClientTokenSigner} from '../src/providers/video/vonage/vonage-client-token';

/**
 * The ceiling for `token`: no framework, no database. Verifies the bearer JWT
 * (HS256, key parsed once) and signs the same RS256 client token the service signs.
 * Env: PORT, JWT_SECRET, APP_ID, PRIVATE_KEY (PEM).
 */
const bearerKey = createSecretKey(Buffer.from(process.env.JWT_SECRET!, 'utf8'));
createPrivateKey(process.env.PRIVATE_KEY!);
const signer = new VonageClientTokenSigner(process.env.APP_ID!, process.env.PRIVATE_KEY!);

http
  .createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      try {
        const header = request.headers.authorization ?? '';
        const caller = jwt.verify(header.slice(7), bearerKey, {algorithms: ['HS256']}) as {id: string};
        const token = signer.sign('bench-session', {
          role: 'publisher',
          expiresAt: new Date(Date.now() + 86400_000),
          connectionData: `vcs1:{"a":"${caller.id}"}`,
        });
        const body = JSON.stringify({sessionId: 'bench-session', token, applicationId: process.env.APP_ID});
        response.writeHead(200, {'Content-Type': 'application/json'}).end(body);
      } catch {
        response.writeHead(401).end();
      }
    });
  })
  .listen(Number(process.env.PORT), '127.0.0.1', () => process.send?.('ready'));
