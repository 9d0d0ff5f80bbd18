import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { test } from 'node:test';
import { describeDriverConformance } from './support/driver-scenario.ts';
import { loadDriverSeenFrom, majorVersion } from './support/drivers.ts';

// connect-mongodb-session bundles its own older driver; load the copy it actually uses.
const driver = loadDriverSeenFrom(createRequire(import.meta.url).resolve('connect-mongodb-session'));

test('when the driver connect-mongodb-session uses is loaded, then it is driver 6.x', () => {
  assert.equal(majorVersion(driver.version), 6);
});

describeDriverConformance(driver);
