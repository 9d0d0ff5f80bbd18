// The database helpers of the tests are the embedded database's own: the same ones its tests use.
export { driverPerSuite, startTestDatabase, withDatabaseName, type DriverSuite, type TestDatabase, type TestDatabaseOptions } from 'embedded-mongo/testing';
