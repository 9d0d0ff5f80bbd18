import { describeEndedSessions, describeLoginRaces, type EndedSessionsSetup } from '../support/ended-sessions.ts';

// S20 and S28 (test/support/ended-sessions.ts): the races, with this setup.
const setup: EndedSessionsSetup = { name: 'the memory store', sessionStore: 'memory', processes: 1 };
describeEndedSessions(setup);
describeLoginRaces(setup);
