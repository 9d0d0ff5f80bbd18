import { describeEndedSessions, describeLoginRaces, type EndedSessionsSetup } from '../support/ended-sessions.ts';

// S20 and S28 (test/support/ended-sessions.ts): the races, with this setup.
const setup: EndedSessionsSetup = { name: 'the mongodb store shared by two processes (the writers on the second)', sessionStore: 'mongodb', processes: 2 };
describeEndedSessions(setup);
describeLoginRaces(setup);
