import {expect} from '@loopback/testlab';
import net from 'node:net';
import {setupApplication, TestApp} from '../helpers/app.helper';
import type {HttpConfig} from '../../config/http-config';

/** A raw connection, to behave as browsers and load balancers never would. */
function connect(port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => resolve(socket));
    socket.once('error', reject);
  });
}

/** Milliseconds until the server closes the socket, and what it said first. */
function closed(socket: net.Socket, withinMs: number): Promise<{afterMs: number; said: string}> {
  const started = Date.now();
  let said = '';
  socket.on('data', chunk => (said += String(chunk)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`socket still open after ${withinMs} ms`)), withinMs);
    socket.once('close', () => {
      clearTimeout(timer);
      resolve({afterMs: Date.now() - started, said});
    });
  });
}

describe('HTTP server limits and headers (acceptance)', () => {
  describe('with tight limits', () => {
    let t: TestApp;
    const limits: Partial<HttpConfig> = {headersTimeoutMs: 300, requestTimeoutMs: 600, keepAliveTimeoutMs: 300, maxConnections: 3};
    before(async () => {
      t = await setupApplication({configure: config => Object.assign(config.http, limits)});
    });
    after(async () => t?.stop());

    it('drops a client that sends its headers too slowly, answering 408', async () => {
      const socket = await connect(t.app.port!);
      socket.write('GET /health HTTP/1.1\r\nHost: x\r\n');
      const {afterMs, said} = await closed(socket, 3000);
      expect(said).to.match(/^HTTP\/1\.1 408/);
      expect(afterMs).to.be.below(2000);
    });

    it('closes an idle keep-alive connection after the keep-alive timeout', async () => {
      const socket = await connect(t.app.port!);
      socket.write('GET /health HTTP/1.1\r\nHost: x\r\nConnection: keep-alive\r\n\r\n');
      const {said} = await closed(socket, 3000);
      expect(said).to.match(/^HTTP\/1\.1 200/);
      expect(said).to.match(/keep-alive/i);
    });

    it('closes connections beyond the cap at once, and serves again once one is free', async () => {
      const held = await Promise.all([connect(t.app.port!), connect(t.app.port!), connect(t.app.port!)]);
      const extra = await connect(t.app.port!);
      const {afterMs} = await closed(extra, 1000);
      expect(afterMs).to.be.below(500);
      held.forEach(socket => socket.destroy());
      await new Promise(resolve => setTimeout(resolve, 100));
      await t.client.get('/health').expect(200);
    });
  });

  describe('explorer and spec', () => {
    it('are not served when the explorer is off (the production default)', async () => {
      const t = await setupApplication({
        configure: config => Object.assign(config, {nodeEnv: 'production', isProduction: true, http: {...config.http, explorerEnabled: false}}),
      });
      try {
        await t.client.get('/openapi.json').expect(404);
        await t.client.get('/explorer/').expect(404);
        const health = await t.client.get('/health').expect(200);
        expect(health.headers).to.containEql({'x-content-type-options': 'nosniff', 'cache-control': 'no-store'});
      } finally {
        await t.stop();
      }
    });

    it('are served when EXPLORER_ENABLED says so', async () => {
      const t = await setupApplication({
        configure: config => Object.assign(config, {nodeEnv: 'production', isProduction: true, http: {...config.http, explorerEnabled: true}}),
      });
      try {
        await t.client.get('/openapi.json').expect(200);
        await t.client.get('/explorer/').expect(200);
      } finally {
        await t.stop();
      }
    });
  });
});
