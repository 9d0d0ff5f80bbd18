// The embedded database's deterministic PRNG: the fuzz and load tests draw their cases from the same one its tests use.
export { SeededRandom } from 'embedded-mongo/testing';
