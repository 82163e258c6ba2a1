import {createSecretKey} from 'node:crypto';
import http from 'node:http';
import jwt from 'jsonwebtoken';

/**
 * A bare server's HTTP shell: verifies the bearer JWT (HS256 with JWT_SECRET, key parsed once; 401 otherwise), hands the
 * caller's id to `work` and answers its JSON, or `failureStatus` when it fails (the first few failures on stderr:
 * messages of pg or node:http, no token in them). Listens on PORT and tells the bench it is ready.
 */
export function serveBearerJson(label: string, failureStatus: number, work: (callerId: string) => Promise<string>): void {
  const bearerKey = createSecretKey(Buffer.from(process.env.JWT_SECRET!, 'utf8'));
  let failures = 0;
  http
    .createServer((request, response) => {
      request.resume();
      request.on('end', () => {
        let caller: {id: string};
        try {
          caller = jwt.verify((request.headers.authorization ?? '').slice(7), bearerKey, {algorithms: ['HS256']}) as {id: string};
        } catch {
          response.writeHead(401).end();
          return;
        }
        work(caller.id).then(
          body => response.writeHead(200, {'Content-Type': 'application/json'}).end(body),
          error => {
            if (failures++ < 3) process.stderr.write(`${label} failed: ${(error as Error).message}\n`);
            response.writeHead(failureStatus).end();
          },
        );
      });
    })
    .listen(Number(process.env.PORT), '127.0.0.1', () => process.send?.('ready'));
}
