/**
 * How the shop's MongoDB clients (mongoose's and the session store's) watch the server. The
 * driver checks it every 10 s by default, so an outage went unnoticed for up to 10 s (every page
 * waited out the 5 s server selection before its 503) and a recovery for as long. Checked every
 * second, pages answer 503 at once while it is away and work again about a second after it is back.
 */
export const mongoClientOptions = { serverSelectionTimeoutMS: 5000, heartbeatFrequencyMS: 1000 } as const;
