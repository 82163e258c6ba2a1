import {expect} from '@loopback/testlab';
import {ChildProcess, execFileSync, spawn} from 'node:child_process';
import fs from 'node:fs';
import {freePort} from '../../local/embedded-database';
import {readmeShellBlock} from '../helpers/readme.helper';
import {BOB_TOKEN_ARGS, cleanEnv, mintDevToken, REPO_ROOT, startServiceProcess, tempDataDir} from '../helpers/service-process.helper';

describe('Local mode: the README subscribes a receiver and the meeting walkthrough delivers to it (acceptance)', function () {
  this.timeout(120000);
  let dataDir: string;
  let service: Awaited<ReturnType<typeof startServiceProcess>>;
  let receiver: ChildProcess | undefined;
  let env: NodeJS.ProcessEnv;
  let port: number;
  let emulatorPort: number;

  before(async () => {
    dataDir = tempDataDir();
    [port, emulatorPort] = [await freePort(), await freePort()];
    env = cleanEnv({DATA_DIR: dataDir, PORT: String(port), EMULATOR_PORT: String(emulatorPort), LOG_LEVEL: 'warn'});
    service = await startServiceProcess(env, port);
  });
  after(async () => {
    receiver?.kill();
    await service?.stop();
    fs.rmSync(dataDir, {recursive: true, force: true});
  });

  it("delivers the meeting's events, signed, to the one-line receiver", async () => {
    const receiverPort = await freePort();
    const [terminal1, terminal2] = readmeShellBlock('## Events and webhook subscriptions').split('# Terminal 2');
    const receiverLine = terminal1.split('\n').find(line => line.startsWith('node -e'))!;
    // The README's port, moved to a free one.
    const withPort = (text: string) => text.replaceAll('4999', String(receiverPort));
    let received = '';
    receiver = spawn('bash', ['-c', withPort(receiverLine)], {cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'inherit']});
    receiver.stdout!.on('data', chunk => (received += String(chunk)));
    await new Promise(resolve => setTimeout(resolve, 500));

    const token = mintDevToken(env);
    const bobToken = mintDevToken(env, BOB_TOKEN_ARGS);
    const workDir = tempDataDir();
    // The rest of the "# Terminal 2" comment line is still comment.
    const script = [withPort(terminal2.slice(terminal2.indexOf('\n'))), readmeShellBlock('## Try it: a meeting')].join('\n');
    execFileSync('bash', ['-e', '-o', 'pipefail', '-c', script], {
      cwd: workDir,
      env: {
        ...env,
        TOKEN: token,
        BOB_TOKEN: bobToken,
        API: `http://127.0.0.1:${port}`,
        AUTH: `Authorization: Bearer ${token}`,
        EMU: `http://127.0.0.1:${emulatorPort}`,
      },
      timeout: 60000,
    });
    const deadline = Date.now() + 15000;
    while (!received.includes('"meeting.ended"') && Date.now() < deadline) await new Promise(resolve => setTimeout(resolve, 100));
    const types = received
      .trim()
      .split('\n')
      .map(line => (JSON.parse(line.slice(line.indexOf(' ') + 1)) as {type: string}).type);
    expect(types[0]).to.equal('ping');
    for (const type of ['meeting.created', 'attendee.joined', 'meeting.started', 'archive.available', 'archive.deleted', 'meeting.ended']) {
      expect(types).to.containEql(type);
    }
    // Each line starts with the webhook-id: one per event, none twice.
    const ids = received
      .trim()
      .split('\n')
      .map(line => line.split(' ')[0]);
    expect(new Set(ids).size).to.equal(ids.length);
    fs.rmSync(workDir, {recursive: true, force: true});
  });
});
