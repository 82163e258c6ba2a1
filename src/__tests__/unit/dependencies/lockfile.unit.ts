import {expect} from '@loopback/testlab';
import fs from 'node:fs';
import path from 'node:path';
import semver from 'semver';
import {REPO_ROOT} from '../../helpers/service-process.helper';

interface LockedPackage {
  version?: string;
  dev?: boolean;
  optional?: boolean;
  hasInstallScript?: boolean;
  engines?: {node?: string} | string[];
}

const manifest = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as {engines: {node: string}};
const lock = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package-lock.json'), 'utf8')) as {packages: Record<string, LockedPackage>};
const installed = Object.entries(lock.packages).filter(([location]) => location !== '');
/** What `npm ci --omit=dev --omit=optional` installs: the production image. */
const production = installed.filter(([, pkg]) => !pkg.dev && !pkg.optional);

describe('Locked dependencies (unit)', () => {
  it('run no install script in production (no install-time telemetry)', () => {
    expect(production.filter(([, pkg]) => pkg.hasInstallScript).map(([location]) => location)).to.eql([]);
  });

  it('admit every Node version `engines` states (each alternative from its lowest version), as CI runs Node 20', () => {
    const lowest = manifest.engines.node.split('||').map(range => semver.minVersion(range.trim())!.version);
    expect(lowest.some(version => semver.major(version) === 20)).to.be.true();
    const refusing = installed
      .filter(([, pkg]) => !pkg.dev && pkg.engines && !Array.isArray(pkg.engines) && pkg.engines.node)
      .flatMap(([location, pkg]) => {
        const range = (pkg.engines as {node: string}).node;
        return lowest.filter(version => !semver.satisfies(version, range)).map(version => `${location}@${pkg.version} (node ${range}) refuses ${version}`);
      });
    expect(refusing).to.eql([]);
  });
});
