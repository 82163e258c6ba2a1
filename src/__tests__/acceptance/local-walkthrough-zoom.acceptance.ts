import {expect} from '@loopback/testlab';
import {execFileSync} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {freePort} from '../../local/embedded-database';
import {readmeShellBlock} from '../helpers/readme.helper';
import {cleanEnv, mintDevToken, startServiceProcess, tempDataDir} from '../helpers/service-process.helper';

describe('Local mode on Zoom: the README walkthrough with VIDEO_PROVIDER=zoom (acceptance)', function () {
  this.timeout(120000);
  let dataDir: string;
  let service: Awaited<ReturnType<typeof startServiceProcess>>;
  let env: NodeJS.ProcessEnv;
  let port: number;
  let zoomPort: number;

  before(async () => {
    dataDir = tempDataDir();
    [port, zoomPort] = [await freePort(), await freePort()];
    const emulatorPort = await freePort();
    env = cleanEnv({
      DATA_DIR: dataDir,
      PORT: String(port),
      EMULATOR_PORT: String(emulatorPort),
      ZOOM_EMULATOR_PORT: String(zoomPort),
      VIDEO_PROVIDER: 'zoom',
      LOG_LEVEL: 'info',
    });
    service = await startServiceProcess(env, port);
  });
  after(async () => {
    await service?.stop();
    fs.rmSync(dataDir, {recursive: true, force: true});
  });

  it('says it runs the Zoom emulator beside the Vonage one', () => {
    expect(service.output()).to.match(/local Zoom Video SDK emulator in use/);
    expect(service.output()).to.match(/local Vonage Video emulator in use/);
  });

  it('plays a whole Zoom meeting offline: token, join, presence, leave, recording, download, end', () => {
    const token = mintDevToken(env);
    const workDir = tempDataDir();
    const output = execFileSync('bash', ['-e', '-o', 'pipefail', '-c', readmeShellBlock('## Try it on Zoom')], {
      cwd: workDir,
      env: {...env, TOKEN: token, API: `http://127.0.0.1:${port}`, ZEMU: `http://127.0.0.1:${zoomPort}`},
      timeout: 60000,
    }).toString();
    const lines = output.trim().split('\n');
    expect(lines[0]).to.equal('zoom');
    const present = JSON.parse(lines[1]) as Array<{attendee: string; isPresent: boolean; extMetadata: unknown}>;
    expect(present).to.have.length(1);
    expect(present[0]).to.containEql({attendee: 'dev-user', isPresent: true, extMetadata: {data: 'Alice'}});
    expect(lines[2].split(',')).to.containEql('MP4');
    expect(lines[3]).to.match(/zoom-recording\.mp4/);
    expect(fs.statSync(path.join(workDir, 'zoom-recording.mp4')).size).to.be.above(0);
    expect(lines[4]).to.equal('true');
    fs.rmSync(workDir, {recursive: true, force: true});
  });
});
