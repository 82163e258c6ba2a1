import fs from 'node:fs';

/** A configuration value that stops the start; the message names the variable. */
export class ConfigError extends Error {
  readonly code = 'CONFIG_INVALID';
  constructor(
    readonly variable: string,
    problem: string,
  ) {
    super(`Invalid configuration: ${variable} ${problem}`);
    this.name = 'ConfigError';
  }
}

/** Typed accessors over an environment; empty strings count as unset. */
export class EnvReader {
  constructor(private readonly env: NodeJS.ProcessEnv) {}

  string(name: string): string | undefined {
    const value = this.env[name];
    if (value === undefined) return undefined;
    const trimmed = value.trim();
    return trimmed === '' ? undefined : trimmed;
  }

  integer(name: string, range: {min: number; max: number}): number | undefined {
    const raw = this.string(name);
    if (raw === undefined) return undefined;
    if (!/^-?\d+$/.test(raw)) throw new ConfigError(name, `must be a whole number, got "${raw}"`);
    const value = Number(raw);
    if (value < range.min || value > range.max) {
      throw new ConfigError(name, `must be between ${range.min} and ${range.max}, got ${value}`);
    }
    return value;
  }

  port(name: string): number | undefined {
    return this.integer(name, {min: 0, max: 65535});
  }

  boolean(name: string): boolean | undefined {
    const raw = this.string(name)?.toLowerCase();
    if (raw === undefined) return undefined;
    if (['true', '1', 'yes'].includes(raw)) return true;
    if (['false', '0', 'no'].includes(raw)) return false;
    throw new ConfigError(name, `must be true or false, got "${raw}"`);
  }

  oneOf<T extends string>(name: string, allowed: readonly T[]): T | undefined {
    const raw = this.string(name);
    if (raw === undefined) return undefined;
    if (!(allowed as readonly string[]).includes(raw)) {
      throw new ConfigError(name, `must be one of ${allowed.join(', ')}, got "${raw}"`);
    }
    return raw as T;
  }

  /** A SQL identifier, because it is interpolated into `search_path` and DDL. */
  identifier(name: string): string | undefined {
    const raw = this.string(name);
    if (raw === undefined) return undefined;
    if (!/^[a-z_][a-z0-9_]{0,62}$/.test(raw)) {
      throw new ConfigError(name, 'must be a lower-case SQL identifier (letters, digits, underscore)');
    }
    return raw;
  }

  url(name: string): string | undefined {
    const raw = this.string(name);
    if (raw === undefined) return undefined;
    try {
      const parsed = new URL(raw);
      if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new Error('protocol');
    } catch {
      throw new ConfigError(name, `must be an http(s) URL, got "${raw}"`);
    }
    return raw;
  }

  list(name: string): string[] {
    const raw = this.string(name);
    if (raw === undefined) return [];
    return raw
      .split(',')
      .map(s => s.trim())
      .filter(s => s !== '');
  }

  /** PEM text, PEM with `\n` escapes (as .env files carry it), or a path to a PEM file. */
  pemOrPath(name: string): string | undefined {
    const raw = this.string(name);
    if (raw === undefined) return undefined;
    const text = raw.includes('-----BEGIN') ? raw.replace(/\\n/g, '\n') : readKeyFile(name, raw);
    if (!text.includes('-----BEGIN')) throw new ConfigError(name, 'is neither PEM text nor a path to a PEM file');
    return text;
  }

  /** 32 bytes written as 64 hex characters or as base64. */
  key32(name: string): Buffer | undefined {
    const raw = this.string(name);
    if (raw === undefined) return undefined;
    const key = /^[0-9a-fA-F]{64}$/.test(raw) ? Buffer.from(raw, 'hex') : Buffer.from(raw, 'base64');
    if (key.length !== 32) throw new ConfigError(name, 'must be 32 bytes as 64 hex characters or base64');
    return key;
  }
}

function readKeyFile(name: string, filePath: string): string {
  try {
    return fs.readFileSync(filePath, 'utf8');
  } catch {
    throw new ConfigError(name, `points to a file that cannot be read: ${filePath}`);
  }
}
