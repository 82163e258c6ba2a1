import fs from 'node:fs';
import dotenv from 'dotenv';

/** Loads `.env` when present; real environment variables win. */
export function loadDotEnv(file = '.env'): void {
  if (fs.existsSync(file)) dotenv.config({path: file, override: false, quiet: true} as dotenv.DotenvConfigOptions);
}
