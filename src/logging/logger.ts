export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';
export type LogFields = Record<string, unknown>;

/** Structured JSON logger: one line per entry. */
export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  child(fields: LogFields): Logger;
}

const RANK: Record<LogLevel, number> = {debug: 10, info: 20, warn: 30, error: 40, silent: 100};

/** Field names whose values never reach a log line, whoever passes them. */
const SECRET_FIELD = /secret|password|passwd|token|authorization|accountkey|accesskey|privatekey|cookie/i;

export interface LogSink {
  write(line: string): unknown;
}

export function createLogger(level: LogLevel, sink: LogSink = process.stdout, base: LogFields = {}): Logger {
  const threshold = RANK[level];
  const emit = (entryLevel: Exclude<LogLevel, 'silent'>, message: string, fields?: LogFields) => {
    if (RANK[entryLevel] < threshold) return;
    const entry = {time: new Date().toISOString(), level: entryLevel, msg: message, ...base, ...redact(fields)};
    sink.write(JSON.stringify(entry) + '\n');
  };
  return {
    debug: (m, f) => emit('debug', m, f),
    info: (m, f) => emit('info', m, f),
    warn: (m, f) => emit('warn', m, f),
    error: (m, f) => emit('error', m, f),
    child: fields => createLogger(level, sink, {...base, ...fields}),
  };
}

function redact(fields: LogFields | undefined): LogFields {
  if (!fields) return {};
  const out: LogFields = {};
  for (const [key, value] of Object.entries(fields)) {
    if (SECRET_FIELD.test(key)) out[key] = '[redacted]';
    else if (value instanceof Error) out[key] = describeError(value);
    else out[key] = value;
  }
  return out;
}

/** Name, code and message only: stacks and causes can carry request bodies or credentials. */
export function describeError(error: Error): LogFields {
  const code = (error as {code?: unknown}).code;
  return {name: error.name, message: error.message, ...(code !== undefined ? {code} : {})};
}
