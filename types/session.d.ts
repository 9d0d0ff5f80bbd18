import type { FlashMessage } from '../middleware/visitor-state.ts';

declare module 'express-session' {
  interface SessionData {
    isLoggedIn: boolean;
    userId: string;
    flash: FlashMessage[];
    // csrfToken is declared by csrf-sync.
  }
}

export {};
