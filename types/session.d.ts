import type { FlashMessage } from '../sessions/visitor-state.ts';

declare module 'express-session' {
  interface SessionData {
    isLoggedIn: boolean;
    userId: string;
    flash: FlashMessage[];
    /** When this id was issued (ms since 1970): the absolute lifetime counts from here. */
    createdAt?: number;
    /** Shown in the list of the user's sessions, so they can tell their browsers apart. */
    userAgent?: string;
    /** The user's credentialVersion at login: a session from before a password change is refused (S28). */
    credentialVersion?: number;
    // csrfToken is declared by csrf-sync.
  }
}

export {};
