import { fileURLToPath } from 'node:url';

// Each run saves fresh screenshots here; the README shows copies kept in docs/screenshots/.
export const screenshotsDir = fileURLToPath(new URL('../../test-results/screenshots/', import.meta.url));
