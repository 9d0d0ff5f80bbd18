import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { environmentFromFlags, keepDevelopmentSecrets, loadConfig, shopFlags } from '../../config.ts';
import { parseFlags } from '../../lib/command-line.ts';

let dataDir: string;
before(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'shop-config-'));
});
after(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

const productionSecret = 'a'.repeat(32);
const instructorToken = 'instructor-token-for-tests';

describe('loadConfig', () => {
  test('when nothing is set, then the shop runs in session mode with MongoDB sessions on port 3000', () => {
    const config = loadConfig({ DATA_DIR: dataDir });
    assert.equal(config.port, 3000);
    assert.equal(config.host, '127.0.0.1');
    assert.deepEqual(config.trustProxy, []);
    assert.equal(config.authMode, 'session');
    assert.equal(config.sessionStore, 'mongodb');
    assert.equal(config.mongodbUri, undefined);
    assert.equal(config.bcryptRounds, 12);
    assert.equal(config.nodeEnv, 'development');
    assert.equal(config.isProduction, false);
  });

  test('when every variable is set, then each value is used', () => {
    const config = loadConfig({
      PORT: '0',
      HOST: '0.0.0.0',
      TRUST_PROXY: 'loopback, 10.0.0.0/8, fd00::1',
      MONGODB_URI: 'mongodb://db.example:27017/shop',
      DATA_DIR: dataDir,
      AUTH_MODE: 'cookie',
      SESSION_STORE: 'memory',
      SESSION_SECRET: `${productionSecret},${'b'.repeat(32)}`,
      BCRYPT_ROUNDS: '4',
      INSTRUCTOR_TOKEN: instructorToken,
      SESSION_IDLE_MINUTES: '10',
      SESSION_ABSOLUTE_HOURS: '2.5',
      LOGIN_MAX_FAILURES_PER_ACCOUNT: '3',
      LOGIN_MAX_FAILURES_PER_ACCOUNT_TOTAL: '40',
      LOGIN_MAX_FAILURES_PER_ADDRESS: '30',
      LOGIN_WINDOW_MINUTES: '5',
      SIGNUP_MAX_PER_ADDRESS: '7',
      STUDENTS_MAX_PER_ADDRESS: '30',
      INSTRUCTOR_TOKEN_MAX_FAILURES_PER_ADDRESS: '4',
      LOG_LEVEL: 'warn',
      NODE_ENV: 'production',
    });
    assert.deepEqual(
      { ...config, sessionSecrets: [...config.sessionSecrets] },
      {
        port: 0,
        host: '0.0.0.0',
        trustProxy: ['loopback', '10.0.0.0/8', 'fd00::1'],
        mongodbUri: 'mongodb://db.example:27017/shop',
        dataDir,
        authMode: 'cookie',
        sessionStore: 'memory',
        sessionSecrets: [productionSecret, 'b'.repeat(32)],
        instructorToken,
        bcryptRounds: 4,
        sessionLifetime: { idleMs: 10 * 60_000, absoluteMs: 2.5 * 3_600_000 },
        loginRateLimit: { maxFailuresPerAccount: 3, maxFailuresPerAccountTotal: 40, maxFailuresPerAddress: 30, windowMs: 5 * 60_000 },
        addressRateLimit: { maxSignups: 7, maxInstructorTokenFailures: 4, maxNewStudents: 30 },
        logLevel: 'warn',
        nodeEnv: 'production',
        isProduction: true,
      },
    );
  });

  const invalid: [string, Record<string, string>, RegExp][] = [
    ['AUTH_MODE', { AUTH_MODE: 'cookies' }, /AUTH_MODE must be one of request, global, cookie, session, cookie-session \(got "cookies"\)/],
    ['SESSION_STORE', { SESSION_STORE: 'redis' }, /SESSION_STORE must be one of memory, mongodb \(got "redis"\)/],
    ['NODE_ENV', { NODE_ENV: 'staging' }, /NODE_ENV must be one of development, production, test/],
    ['PORT', { PORT: 'eighty' }, /PORT must be a whole number from 0 to 65535 \(got "eighty"\)/],
    ['PORT', { PORT: '70000' }, /PORT must be a whole number from 0 to 65535/],
    ['HOST', { HOST: 'my host' }, /HOST must be an IP address or a host name, such as 127.0.0.1 or 0.0.0.0 \(got "my host"\)/],
    ['TRUST_PROXY', { TRUST_PROXY: '1' }, /TRUST_PROXY must be a comma-separated list of proxy addresses or subnets .* \(got "1"\)/],
    ['TRUST_PROXY', { TRUST_PROXY: 'loopback,true' }, /TRUST_PROXY must be .* \(got "true"\)/],
    ['TRUST_PROXY', { TRUST_PROXY: '10.0.0.0/33' }, /TRUST_PROXY must be .* \(got "10\.0\.0\.0\/33"\)/],
    ['BCRYPT_ROUNDS', { BCRYPT_ROUNDS: '3' }, /BCRYPT_ROUNDS must be a whole number from 4 to 31 \(got "3"\)/],
    ['MONGODB_URI', { MONGODB_URI: 'localhost:27017' }, /MONGODB_URI must start with mongodb:\/\/ or mongodb\+srv:\/\//],
    ['SESSION_SECRET', { SESSION_SECRET: 'one,,two' }, /SESSION_SECRET must be a comma-separated list of secrets without empty entries/],
    ['INSTRUCTOR_TOKEN', { INSTRUCTOR_TOKEN: 'letmein' }, /INSTRUCTOR_TOKEN must be at least 16 characters long \(got 7\)/],
    ['SESSION_IDLE_MINUTES', { SESSION_IDLE_MINUTES: '0' }, /SESSION_IDLE_MINUTES must be a number above 0 and at most 1440, fractions allowed \(got "0"\)/],
    ['SESSION_ABSOLUTE_HOURS', { SESSION_ABSOLUTE_HOURS: '1e3' }, /SESSION_ABSOLUTE_HOURS must be a number above 0 and at most 720/],
    ['LOGIN_MAX_FAILURES_PER_ACCOUNT', { LOGIN_MAX_FAILURES_PER_ACCOUNT: '0' }, /LOGIN_MAX_FAILURES_PER_ACCOUNT must be a whole number from 1 to 1000/],
    ['LOGIN_WINDOW_MINUTES', { LOGIN_WINDOW_MINUTES: 'soon' }, /LOGIN_WINDOW_MINUTES must be a number above 0/],
    ['LOG_LEVEL', { LOG_LEVEL: 'debug' }, /LOG_LEVEL must be one of info, warn, error, silent \(got "debug"\)/],
  ];
  for (const [name, env, message] of invalid) {
    test(`when ${name} is ${JSON.stringify(Object.values(env)[0])}, then the start fails naming ${name} and what it allows`, () => {
      assert.throws(() => loadConfig({ DATA_DIR: dataDir, ...env }), message);
    });
  }

  // Production's secret rules are proven in test/security/production-https.test.ts (S8).
  test('when development has no SESSION_SECRET, then one is generated at start, kept in DATA_DIR and reused after a restart', async () => {
    keepDevelopmentSecrets({ DATA_DIR: dataDir });
    const first = loadConfig({ DATA_DIR: dataDir });
    keepDevelopmentSecrets({ DATA_DIR: dataDir });
    const second = loadConfig({ DATA_DIR: dataDir });
    assert.equal(first.sessionSecrets.length, 1);
    assert.match(first.sessionSecrets[0] ?? '', /^[0-9a-f]{64}$/);
    assert.deepEqual(second.sessionSecrets, first.sessionSecrets);
    assert.equal(await readFile(join(dataDir, 'session-secret'), 'utf8'), first.sessionSecrets[0]);
  });

  test('when development has no INSTRUCTOR_TOKEN, then one is generated at start, kept in DATA_DIR and reused after a restart', () => {
    keepDevelopmentSecrets({ DATA_DIR: dataDir });
    const first = loadConfig({ DATA_DIR: dataDir });
    assert.match(first.instructorToken ?? '', /^[0-9a-f]{64}$/);
    assert.equal(loadConfig({ DATA_DIR: dataDir }).instructorToken, first.instructorToken);
  });

  test('when only the configuration is loaded, then nothing is written: no .data/ appears in the working directory', async () => {
    const workingDirectory = process.cwd();
    const emptyDirectory = await mkdtemp(join(tmpdir(), 'shop-cwd-'));
    try {
      process.chdir(emptyDirectory);
      const config = loadConfig({});
      assert.match(config.sessionSecrets[0] ?? '', /^[0-9a-f]{64}$/, 'a secret for this process only');
      assert.deepEqual(await readdir(emptyDirectory), []);
    } finally {
      process.chdir(workingDirectory);
      await rm(emptyDirectory, { recursive: true, force: true });
    }
  });

  test('when production has no INSTRUCTOR_TOKEN, then the instructor panel stays shut', () => {
    const config = loadConfig({ DATA_DIR: dataDir, NODE_ENV: 'production', SESSION_SECRET: productionSecret });
    assert.equal(config.instructorToken, undefined);
  });
});

describe('environmentFromFlags', () => {
  test('when the npm scripts pass --auth-mode and --session-store, then they become AUTH_MODE and SESSION_STORE', () => {
    const env = environmentFromFlags(parseFlags(['--auth-mode=cookie', '--session-store', 'memory'], shopFlags).values);
    assert.deepEqual(env, { AUTH_MODE: 'cookie', SESSION_STORE: 'memory' });
    assert.equal(loadConfig({ DATA_DIR: dataDir, ...env }).authMode, 'cookie');
  });

  test('when a flag is unknown or has no value, then parsing fails naming that flag', () => {
    assert.throws(() => parseFlags(['--mode=cookie'], shopFlags), /^UsageError: Unknown option '--mode'$/);
    assert.throws(() => parseFlags(['--auth-mode'], shopFlags), /^UsageError: Option '--auth-mode <value>' argument missing$/);
    assert.throws(() => parseFlags(['cookie'], shopFlags), /^UsageError: Unexpected argument 'cookie'$/);
  });
});
