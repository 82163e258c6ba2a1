import {createPrivateKey, createSecretKey, randomBytes, randomUUID} from 'node:crypto';
import http from 'node:http';
import jwt from 'jsonwebtoken';
import {barePool} from './bare-pool';

/**
 * The ceiling for `create`: no framework, only the work a meeting cannot go without. Verifies the bearer JWT
 * (HS256, key parsed once), signs one Vonage REST JWT (RS256, key parsed once, a fresh one per request, claims as
 * @vonage/jwt writes them), makes one round trip to the emulator's session create over a kept-alive connection and
 * stores the meeting with one INSERT.
 * Env: PORT, JWT_SECRET, APP_ID, PRIVATE_KEY (PEM), VIDEO_HOST, PG_* (connection), PG_SCHEMA.
 */
const bearerKey = createSecretKey(Buffer.from(process.env.JWT_SECRET!, 'utf8'));
const privateKey = createPrivateKey(process.env.PRIVATE_KEY!);
const applicationId = process.env.APP_ID!;
const sessionCreateUrl = new URL(`${process.env.VIDEO_HOST}/session/create`);
const agent = new http.Agent({keepAlive: true});
const pool = barePool();
const FORM = 'archiveMode=manual&p2p.preference=disabled';
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
      create(caller.id).then(
        body => response.writeHead(200, {'Content-Type': 'application/json'}).end(body),
        error => {
          // The first few, for the bench's output: messages of pg or node:http, no token in them.
          if (failures++ < 3) process.stderr.write(`bare create failed: ${(error as Error).message}\n`);
          response.writeHead(502).end();
        },
      );
    });
  })
  .listen(Number(process.env.PORT), '127.0.0.1', () => process.send?.('ready'));

async function create(actor: string): Promise<string> {
  const nowSeconds = Math.floor(Date.now() / 1000);
  const restJwt = jwt.sign({jti: randomUUID(), iat: nowSeconds, exp: nowSeconds + 900, application_id: applicationId}, privateKey, {
    algorithm: 'RS256',
    header: {typ: 'JWT', alg: 'RS256'},
  });
  const reply = JSON.parse(await post(restJwt)) as Array<{session_id: string}>;
  const sessionId = reply[0].session_id;
  const meetingLink = randomBytes(12).toString('base64url');
  const {rows} = await pool.query({
    name: 'bare-create',
    text: `INSERT INTO video_session_details (provider, session_id, meeting_link, created_by, modified_by) VALUES ('vonage', $1, $2, $3, $3)
           RETURNING id, created_on`,
    values: [sessionId, meetingLink, actor],
  });
  return JSON.stringify({code: meetingLink, id: Number(rows[0].id), sessionId, createdOn: rows[0].created_on});
}

function post(bearer: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const outgoing = http.request(
      sessionCreateUrl,
      {
        method: 'POST',
        agent,
        headers: {authorization: `Bearer ${bearer}`, 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(FORM)},
      },
      incoming => {
        let text = '';
        incoming.setEncoding('utf8');
        incoming.on('data', chunk => (text += chunk));
        incoming.on('end', () => (incoming.statusCode === 200 ? resolve(text) : reject(new Error(`session create ${incoming.statusCode}`))));
      },
    );
    outgoing.on('error', reject);
    outgoing.end(FORM);
  });
}
