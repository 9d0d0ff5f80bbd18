import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { join } from 'node:path';
import { readCommandLine, type FlagValues } from './lib/command-line.ts';

/** The only file that reads process.env: everything else receives a Config. */

export const authModeNames = ['request', 'global', 'cookie', 'session', 'cookie-session'] as const;
export const sessionStoreNames = ['memory', 'mongodb'] as const;
export const nodeEnvNames = ['development', 'production', 'test'] as const;
export const logLevelNames = ['info', 'warn', 'error', 'silent'] as const;

export type AuthModeName = (typeof authModeNames)[number];
export type SessionStoreName = (typeof sessionStoreNames)[number];
export type NodeEnv = (typeof nodeEnvNames)[number];
export type LogLevel = (typeof logLevelNames)[number];

export interface Config {
  readonly port: number;
  /** The address the shop listens on: only this machine by default; `0.0.0.0` for a class on the LAN. */
  readonly host: string;
  /** The proxies whose X-Forwarded-* headers are believed (addresses, subnets, or loopback/linklocal/uniquelocal); none by default. */
  readonly trustProxy: readonly string[];
  /** Unset: the server starts the embedded MongoDB-compatible server itself. */
  readonly mongodbUri: string | undefined;
  readonly dataDir: string;
  readonly authMode: AuthModeName;
  readonly sessionStore: SessionStoreName;
  /** The first signs new cookies; all of them verify, so a secret can be rotated out gently. */
  readonly sessionSecrets: readonly string[];
  /** Opens /instructor. Kept in DATA_DIR outside production (see keepDevelopmentSecrets); in production only set on purpose, else the panel stays shut. */
  readonly instructorToken: string | undefined;
  readonly bcryptRounds: number;
  /** A session ends after `idleMs` without a request, and `absoluteMs` after it began, however busy. */
  readonly sessionLifetime: Readonly<{ idleMs: number; absoluteMs: number }>;
  /**
   * Failed logins allowed within one window: per account from one client address, per account from
   * all addresses together, and per address across accounts. The window is every rate limit's.
   */
  readonly loginRateLimit: Readonly<{ maxFailuresPerAccount: number; maxFailuresPerAccountTotal: number; maxFailuresPerAddress: number; windowMs: number }>;
  /** Per client address within the same window: signups (each costs a bcrypt hash), and wrong instructor tokens. */
  readonly addressRateLimit: Readonly<{ maxSignups: number; maxInstructorTokenFailures: number; maxNewStudents: number }>;
  readonly logLevel: LogLevel;
  readonly nodeEnv: NodeEnv;
  readonly isProduction: boolean;
}

/** A setting is missing or wrong: the message names the variable and what it allows. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

export type Environment = Readonly<Record<string, string | undefined>>;

/** The shop's command-line flags, which the npm scripts use because `VAR=value cmd` does not work on Windows. */
export const shopFlags = { 'auth-mode': { type: 'string' }, 'session-store': { type: 'string' }, port: { type: 'string' } } as const;
const flagVariables = { 'auth-mode': 'AUTH_MODE', 'session-store': 'SESSION_STORE', port: 'PORT' } as const;

/** The lines of `--help` that explain the shop's flags; the commands that take them print these. */
export const shopFlagsHelp = `  --auth-mode <mode>       ${authModeNames.join(', ')} (AUTH_MODE, default session)
  --session-store <store>  ${sessionStoreNames.join(', ')} (SESSION_STORE, default mongodb)
  --port <port>            HTTP port, 0 = any free one (PORT, default 3000)
Every other setting is an environment variable or a line in .env: see Configuration in the README.`;

const minimumProductionSecretLength = 32;
const minimumInstructorTokenLength = 16;
const minute = 60_000;
const hour = 60 * minute;

/** process.env, after reading `.env` when there is one. */
export function processEnvironment(): Environment {
  if (existsSync('.env')) process.loadEnvFile('.env');
  return process.env;
}

/** Turns the parsed `--auth-mode=cookie` into `{ AUTH_MODE: 'cookie' }`. */
export function environmentFromFlags(values: FlagValues<typeof shopFlags>): Environment {
  return Object.fromEntries(
    Object.entries(flagVariables)
      .map(([flag, variable]) => [variable, values[flag as keyof typeof flagVariables]])
      .filter(([, value]) => value !== undefined),
  );
}

/** The configuration `npm start` and its flags ask for; the development secrets are kept in DATA_DIR first. */
export function configFromCommandLine(): Config {
  const flags = readCommandLine(process.argv.slice(2), shopFlags, `usage: npm start -- [flags]\n${shopFlagsHelp}`, environmentFromFlags);
  const env = { ...processEnvironment(), ...flags };
  keepDevelopmentSecrets(env);
  return loadConfig(env);
}

/** Reads and checks the settings; it writes nothing (see keepDevelopmentSecrets). */
export function loadConfig(env: Environment = processEnvironment()): Config {
  const { nodeEnv, isProduction, dataDir } = environmentBasics(env);
  return Object.freeze({
    port: integer(env, 'PORT', { fallback: 3000, min: 0, max: 65535 }),
    host: host(env),
    trustProxy: Object.freeze(trustedProxies(env)),
    mongodbUri: mongodbUri(env),
    dataDir,
    authMode: oneOf(env, 'AUTH_MODE', authModeNames, 'session'),
    sessionStore: oneOf(env, 'SESSION_STORE', sessionStoreNames, 'mongodb'),
    sessionSecrets: Object.freeze(sessionSecrets(env, isProduction, dataDir)),
    instructorToken: instructorToken(env, isProduction, dataDir),
    // bcrypt itself accepts 4 to 31; 4 keeps tests fast, 12 is the default for real use.
    bcryptRounds: integer(env, 'BCRYPT_ROUNDS', { fallback: 12, min: 4, max: 31 }),
    // Fractions are allowed, so a test can use a few seconds (SESSION_IDLE_MINUTES=0.05 is 3 s).
    sessionLifetime: Object.freeze({
      idleMs: positiveNumber(env, 'SESSION_IDLE_MINUTES', { fallback: 30, max: 24 * 60 }) * minute,
      absoluteMs: positiveNumber(env, 'SESSION_ABSOLUTE_HOURS', { fallback: 8, max: 30 * 24 }) * hour,
    }),
    loginRateLimit: Object.freeze({
      maxFailuresPerAccount: integer(env, 'LOGIN_MAX_FAILURES_PER_ACCOUNT', { fallback: 5, min: 1, max: 1000 }),
      maxFailuresPerAccountTotal: integer(env, 'LOGIN_MAX_FAILURES_PER_ACCOUNT_TOTAL', { fallback: 100, min: 1, max: 100_000 }),
      maxFailuresPerAddress: integer(env, 'LOGIN_MAX_FAILURES_PER_ADDRESS', { fallback: 50, min: 1, max: 100_000 }),
      windowMs: positiveNumber(env, 'LOGIN_WINDOW_MINUTES', { fallback: 15, max: 24 * 60 }) * minute,
    }),
    addressRateLimit: Object.freeze({
      maxSignups: integer(env, 'SIGNUP_MAX_PER_ADDRESS', { fallback: 20, min: 1, max: 100_000 }),
      maxInstructorTokenFailures: integer(env, 'INSTRUCTOR_TOKEN_MAX_FAILURES_PER_ADDRESS', { fallback: 10, min: 1, max: 1000 }),
      // A class behind one address, each student with a few browsers and private windows.
      maxNewStudents: integer(env, 'STUDENTS_MAX_PER_ADDRESS', { fallback: 200, min: 1, max: 100_000 }),
    }),
    // Tests start hundreds of sessions: their event lines would bury the test report.
    logLevel: oneOf(env, 'LOG_LEVEL', logLevelNames, nodeEnv === 'test' ? 'silent' : 'info'),
    nodeEnv,
    isProduction,
  });
}

/**
 * A start-up step outside production: generates the session secret and the instructor token that
 * are not set, and keeps them in DATA_DIR, so restarting the dev server neither logs everybody out
 * nor changes the instructor token. loadConfig then reads them.
 */
export function keepDevelopmentSecrets(env: Environment): void {
  const { isProduction, dataDir } = environmentBasics(env);
  if (isProduction) return;
  for (const [variable, fileName] of Object.entries(developmentSecretFiles)) {
    const file = join(dataDir, fileName);
    if (nonEmpty(env, variable) !== undefined || keptSecret(file) !== undefined) continue;
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(file, randomSecret(), { mode: 0o600 });
  }
}

const developmentSecretFiles = { SESSION_SECRET: 'session-secret', INSTRUCTOR_TOKEN: 'instructor-token' } as const;

function environmentBasics(env: Environment) {
  const nodeEnv = oneOf(env, 'NODE_ENV', nodeEnvNames, 'development');
  return { nodeEnv, isProduction: nodeEnv === 'production', dataDir: nonEmpty(env, 'DATA_DIR') ?? '.data' };
}

function nonEmpty(env: Environment, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === '' ? undefined : value;
}

function oneOf<T extends string>(env: Environment, name: string, allowed: readonly T[], fallback: T): T {
  const value = nonEmpty(env, name);
  if (value === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(value)) {
    throw new ConfigError(`${name} must be one of ${allowed.join(', ')} (got "${value}").`);
  }
  return value as T;
}

function integer(env: Environment, name: string, { fallback, min, max }: { fallback: number; min: number; max: number }): number {
  const value = nonEmpty(env, name);
  if (value === undefined) return fallback;
  const number = Number(value);
  if (!/^\d+$/.test(value) || number < min || number > max) {
    throw new ConfigError(`${name} must be a whole number from ${min} to ${max} (got "${value}").`);
  }
  return number;
}

function positiveNumber(env: Environment, name: string, { fallback, max }: { fallback: number; max: number }): number {
  const value = nonEmpty(env, name);
  if (value === undefined) return fallback;
  const number = Number(value);
  if (!/^\d+(\.\d+)?$/.test(value) || number <= 0 || number > max) {
    throw new ConfigError(`${name} must be a number above 0 and at most ${max}, fractions allowed (got "${value}").`);
  }
  return number;
}

function mongodbUri(env: Environment): string | undefined {
  const value = nonEmpty(env, 'MONGODB_URI');
  if (value !== undefined && !/^mongodb(\+srv)?:\/\//.test(value)) {
    throw new ConfigError(`MONGODB_URI must start with mongodb:// or mongodb+srv:// (got "${value}"); leave it unset to use the embedded database.`);
  }
  return value;
}

function host(env: Environment): string {
  const value = nonEmpty(env, 'HOST') ?? '127.0.0.1';
  if (isIP(value) === 0 && !/^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$/i.test(value)) {
    throw new ConfigError(`HOST must be an IP address or a host name, such as 127.0.0.1 or 0.0.0.0 (got "${value}").`);
  }
  return value;
}

const namedProxyRanges = ['loopback', 'linklocal', 'uniquelocal'];

function trustedProxies(env: Environment): string[] {
  const value = nonEmpty(env, 'TRUST_PROXY');
  if (value === undefined) return [];
  const entries = value.split(',').map((entry) => entry.trim());
  const invalid = entries.find((entry) => !namedProxyRanges.includes(entry) && !isAddressOrSubnet(entry));
  if (invalid !== undefined) {
    // A hop count or `true` would believe whoever connects directly, which is the spoofing this setting prevents.
    throw new ConfigError(
      `TRUST_PROXY must be a comma-separated list of proxy addresses or subnets (10.0.0.5, 10.0.0.0/8, ::1) or ${namedProxyRanges.join(', ')} (got "${invalid}").`,
    );
  }
  return entries;
}

function isAddressOrSubnet(entry: string): boolean {
  const [address = '', prefix, ...rest] = entry.split('/');
  const version = isIP(address);
  if (version === 0 || rest.length > 0) return false;
  return prefix === undefined || (/^\d+$/.test(prefix) && Number(prefix) <= (version === 4 ? 32 : 128));
}

function sessionSecrets(env: Environment, isProduction: boolean, dataDir: string): string[] {
  const value = nonEmpty(env, 'SESSION_SECRET');
  if (value === undefined) {
    // A secret anyone can read in the repository would let anyone sign a session cookie.
    if (isProduction) throw new ConfigError('SESSION_SECRET must be set in production (a comma-separated list; the first signs, all verify).');
    return [developmentSecret(dataDir, developmentSecretFiles.SESSION_SECRET)];
  }
  const secrets = value.split(',').map((secret) => secret.trim());
  if (secrets.some((secret) => secret === '')) {
    throw new ConfigError('SESSION_SECRET must be a comma-separated list of secrets without empty entries.');
  }
  if (isProduction && secrets.some((secret) => secret.length < minimumProductionSecretLength)) {
    throw new ConfigError(`SESSION_SECRET entries must be at least ${minimumProductionSecretLength} characters long in production.`);
  }
  return secrets;
}

function instructorToken(env: Environment, isProduction: boolean, dataDir: string): string | undefined {
  const value = nonEmpty(env, 'INSTRUCTOR_TOKEN');
  if (value !== undefined && value.length < minimumInstructorTokenLength) {
    throw new ConfigError(`INSTRUCTOR_TOKEN must be at least ${minimumInstructorTokenLength} characters long (got ${value.length}).`);
  }
  // The panel switches how the whole class logs in: production opens it only with a token set on purpose.
  return value ?? (isProduction ? undefined : developmentSecret(dataDir, developmentSecretFiles.INSTRUCTOR_TOKEN));
}

/** The one kept in DATA_DIR, else one for this process only (a test, or a start without keepDevelopmentSecrets). */
function developmentSecret(dataDir: string, fileName: string): string {
  return keptSecret(join(dataDir, fileName)) ?? randomSecret();
}

function keptSecret(file: string): string | undefined {
  const kept = existsSync(file) ? readFileSync(file, 'utf8').trim() : '';
  return kept === '' ? undefined : kept;
}

function randomSecret(): string {
  return randomBytes(32).toString('hex');
}
