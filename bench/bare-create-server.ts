import {createPrivateKey, randomBytes, randomUUID} from 'node:crypto';
import http from 'node:http';
import jwt from 'jsonwebtoken';
import {barePool} from './bare-pool';
import {serveBearerJson} from './bare-server';

/**
 * The ceiling for `create`: no framework, only the work a meeting cannot go without. Verifies the bearer JWT
 * (HS256, key parsed once), signs one Vonage REST JWT (RS256, key parsed once, a fresh one per request, claims as
 * @vonage/jwt writes them), makes one round trip to the emulator's session create over a kept-alive connection and
 * stores the meeting with one INSERT.
 * Env: PORT, JWT_SECRET, APP_ID, PRIVATE_KEY (PEM), VIDEO_HOST, PG_* (connection), PG_SCHEMA.
 */
const privateKey = createPrivateKey(process.env.PRIVATE_KEY!);
const applicationId = process.env.APP_ID!;
const sessionCreateUrl = new URL(`${process.env.VIDEO_HOST}/session/create`);
const agent = new http.Agent({keepAlive: true});
const pool = barePool();
const FORM = 'archiveMode=manual&p2p.preference=disabled';

serveBearerJson('bare create', 502, create);

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
