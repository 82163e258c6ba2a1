import {expect} from '@loopback/testlab';
import {execFileSync} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {freePort} from '../../local/embedded-database';
import {readmeShellBlock} from '../helpers/readme.helper';
import {BOB_TOKEN_ARGS, cleanEnv, mintDevToken, startServiceProcess, tempDataDir} from '../helpers/service-process.helper';

describe('Local mode: the README walkthrough on a fresh data directory (acceptance)', function () {
  this.timeout(120000);
  let dataDir: string;
  let service: Awaited<ReturnType<typeof startServiceProcess>>;
  let env: NodeJS.ProcessEnv;
  let port: number;
  let emulatorPort: number;

  before(async () => {
    dataDir = tempDataDir();
    [port, emulatorPort] = [await freePort(), await freePort()];
    env = cleanEnv({DATA_DIR: dataDir, PORT: String(port), EMULATOR_PORT: String(emulatorPort), LOG_LEVEL: 'info'});
    service = await startServiceProcess(env, port);
  });
  after(async () => {
    await service?.stop();
    fs.rmSync(dataDir, {recursive: true, force: true});
  });

  it('starts with nothing configured and says what it runs on', () => {
    expect(service.output()).to.match(/embedded PostgreSQL database in use/);
    expect(service.output()).to.match(/local Vonage Video emulator in use/);
  });

  it('runs the walkthrough end to end: meeting, join, attendees, a recording started and stopped by hand, download, delete, end, a lobby admission', () => {
    const token = mintDevToken(env);
    const bobToken = mintDevToken(env, BOB_TOKEN_ARGS);
    const workDir = tempDataDir();
    const output = execFileSync('bash', ['-e', '-o', 'pipefail', '-c', readmeShellBlock('## Try it: a meeting')], {
      cwd: workDir,
      env: {...env, TOKEN: token, BOB_TOKEN: bobToken, API: `http://127.0.0.1:${port}`, EMU: `http://127.0.0.1:${emulatorPort}`},
      timeout: 60000,
    }).toString();
    const lines = output.trim().split('\n');
    expect(JSON.parse(lines[0])).to.have.properties('connectionId', 'sessionId');
    const present = JSON.parse(lines[1]) as Array<{attendee: string; isPresent: boolean}>;
    expect(present).to.have.length(1);
    expect(present[0]).to.containEql({attendee: 'dev-user', isPresent: true});
    // The recording started and stopped by hand over the API.
    expect(lines[2]).to.equal('stopped');
    const archives = JSON.parse(lines[3]) as {count: number; items: Array<{status: string; name: string}>};
    expect(archives.count).to.equal(1);
    expect(archives.items[0]).to.containEql({status: 'available', name: 'demo'});
    expect(lines[4]).to.match(/recording\.mp4/);
    expect(fs.readFileSync(path.join(workDir, 'recording.mp4')).subarray(4, 8).toString()).to.equal('ftyp');
    expect(lines.slice(5, 7)).to.eql(['204', '204']);
    // The lobby: Bob waits, the creator sees and admits him, his token comes once, then 410.
    const waiting = JSON.parse(lines[7]) as Array<{attendee: string; data: string}>;
    expect(waiting).to.have.length(1);
    expect(waiting[0]).to.containEql({attendee: 'bob', data: 'Bob'});
    expect(lines.slice(8)).to.eql(['200', 'applicationId,provider,sessionId,token', '410']);
    fs.rmSync(workDir, {recursive: true, force: true});
  });

  it('stops cleanly on SIGTERM, taking its embedded database down with it', async () => {
    const exited = new Promise<number | null>(resolve => service.child.once('exit', code => resolve(code)));
    service.child.kill('SIGTERM');
    expect(await exited).to.equal(0);
    expect(service.output()).to.match(/shutting down/);
    // The database goes down after the service has drained, not under it.
    expect(service.output()).to.not.match(/job queue error|terminating connection/);
    const postgresLeft = execFileSync('ps', ['-eo', 'args'])
      .toString()
      .split('\n')
      .filter(line => line.includes(dataDir));
    expect(postgresLeft).to.eql([]);
  });
});
