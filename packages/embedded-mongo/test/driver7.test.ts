import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeDriverConformance } from './support/driver-scenario.ts';
import { loadDriverSeenFrom, majorVersion } from './support/drivers.ts';

// The top-level `mongodb` package, the one `import ... from 'mongodb'` gives.
const driver = loadDriverSeenFrom(import.meta.url);

test('when the top-level mongodb package is loaded, then it is driver 7.x', () => {
  assert.equal(majorVersion(driver.version), 7);
});

describeDriverConformance(driver);
