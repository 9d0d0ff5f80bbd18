import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Request } from 'express';
import { ShopEvents } from '../../lib/shop-events.ts';
import { captureLog } from '../support/log.ts';

describe('the shop events', () => {
  test('when a listener throws, then the others still hear the event and the emitter does not throw', () => {
    const events = new ShopEvents();
    const heard: string[] = [];
    const log = captureLog('error');
    try {
      events.on('session', () => {
        throw new Error('a broken lesson');
      });
      events.on('session', ({ event }) => heard.push(event));
      assert.doesNotThrow(() => events.emit('session', { event: 'destroyed', sessionId: 'id' }));
      assert.deepEqual(heard, ['destroyed']);
      assert.deepEqual(log.messages(), ["A listener of the shop's session event failed"], 'the failure is reported');
    } finally {
      log.stop();
    }
  });

  test('when two apps run in one process, then each hears only its own events', () => {
    const first = new ShopEvents();
    const second = new ShopEvents();
    const heard: string[] = [];
    first.on('form-refused', () => heard.push('first'));
    second.on('form-refused', () => heard.push('second'));
    second.emit('form-refused', { req: {} as Request });
    assert.deepEqual(heard, ['second']);
  });
});
