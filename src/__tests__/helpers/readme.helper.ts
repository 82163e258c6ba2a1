import fs from 'node:fs';
import path from 'node:path';
import {REPO_ROOT} from './service-process.helper';

/** The first ```sh block after `heading` in the README, exactly as written there: walkthrough tests run it. */
export function readmeShellBlock(heading: string): string {
  const readme = fs.readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
  const section = readme.split(heading)[1];
  const block = section ? /```sh\n([\s\S]*?)```/.exec(section) : null;
  if (!block) throw new Error(`README has no shell block under "${heading}"`);
  return block[1];
}
