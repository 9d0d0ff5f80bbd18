import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import { configureLogging, logger } from '../../lib/logger.ts';
import type { NodeEnv } from '../../config.ts';

// Each one lets whoever reads the log act as someone: log in, ride a session, forge a form.
const secrets = {
  sessionId: 'Qm9vX3Nlc3Npb25faWRfdGhhdF9tdXN0X25vdA',
  cookie: 'sid=s%3AQm9vX3Nlc3Npb25faWRfdGhhdF9tdXN0X25vdA.c2lnbmF0dXJl',
  password: 'correct-horse-battery-staple',
  csrfToken: 'Y3NyZi10b2tlbi1uZXZlci1sb2dnZWQ',
};

/** Every shape a careless log call could hand a secret over in. */
function logEverySecret(): void {
  const { sessionId, cookie, password, csrfToken } = secrets;
  const user = { email: 'alice@example.com', password };
  logger.info({ sessionId, sessionID: sessionId, sid: sessionId }, 'session ids');
  logger.info({ session: { sessionID: sessionId }, user }, 'nested');
  logger.info({ cookie, headers: { cookie, 'set-cookie': [cookie] } }, 'headers');
  logger.warn({ req: { headers: { cookie, authorization: `Bearer ${sessionId}` } } }, 'request');
  logger.error({ body: { email: user.email, password, _csrf: csrfToken }, csrfToken }, 'form');
  logger.error({ err: Object.assign(new Error('login failed for alice@example.com'), { password, _csrf: csrfToken }) }, 'error');
}

function capture(nodeEnv: NodeEnv): string {
  const lines: string[] = [];
  configureLogging({ logLevel: 'info', nodeEnv, write: (line) => lines.push(line) });
  logEverySecret();
  return lines.join('');
}

afterEach(() => configureLogging({ logLevel: 'silent', nodeEnv: 'test' }));

for (const nodeEnv of ['production', 'development'] as const) {
  test(`when the app logs session ids, cookies, passwords and CSRF tokens (${nodeEnv} format), then none of them appears in the log`, () => {
    const log = capture(nodeEnv);
    // Every call was logged, with what is safe to read: a log that printed nothing would not pass.
    for (const message of ['session ids', 'nested', 'headers', 'request', 'form', 'error']) assert.match(log, new RegExp(` ${message}\\b|"msg":"${message}"`));
    assert.match(log, /alice@example\.com/);
    for (const [name, secret] of Object.entries(secrets)) {
      assert.ok(!log.includes(secret), `the ${name} appears in the log:\n${log}`);
    }
    assert.match(log, /\[redacted\]/);
  });
}
