import { after, before, describe } from 'node:test';
import { aggregateCases } from './aggregate-cases.ts';
import { cursorCases } from './cursor-cases.ts';
import { documentCases } from './document-cases.ts';
import { DriverFixture } from './driver-fixture.ts';
import type { LoadedDriver } from './drivers.ts';
import { indexCases } from './index-cases.ts';
import { namespaceCases } from './namespace-cases.ts';

/** Everything the raw driver must be able to do against the test server, for any driver version. */
export function describeDriverConformance(driver: LoadedDriver): void {
  describe(`mongodb driver ${driver.version} over TCP`, () => {
    const fixture = new DriverFixture(driver);
    before(() => fixture.open());
    after(() => fixture.close());

    describe('documents', () => documentCases(fixture));
    describe('cursors', () => cursorCases(fixture));
    describe('aggregation', () => aggregateCases(fixture));
    describe('indexes', () => indexCases(fixture));
    describe('databases and collections', () => namespaceCases(fixture));
  });
}
