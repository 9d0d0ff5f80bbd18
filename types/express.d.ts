import type { NavigationLink } from '../plugin.ts';
import type { UserDocument } from '../models/user.ts';
import type { FlashKind, FlashMessage } from '../sessions/visitor-state.ts';

declare global {
  namespace Express {
    interface Request {
      /** The logged-in user, loaded from the database on every request; undefined when logged out. */
      user?: UserDocument;
      /** Where the `request` auth mode keeps its login: gone with this request object. */
      loggedInUserId?: string;
      /** Queues a message for the next page this visitor sees. */
      flash(kind: FlashKind, text: string): void;
    }

    /** What every view can read. */
    interface Locals {
      pageTitle?: string;
      isAuthenticated: boolean;
      /** The logged-in user's email, for the navigation. */
      currentUser: string | undefined;
      /** Creates this visitor's token on first use; call it only where a form needs it. */
      csrfToken(): string;
      authMode: string;
      sessionStore: string;
      modeWarning: string | undefined;
      /** The messages waiting for this visitor; calling it marks them as shown. */
      flash(): FlashMessage[];
      /** The plug-ins' links, after the shop's in the navigation. */
      pluginLinks: readonly NavigationLink[];
      /** The current page, to mark it in the navigation. */
      path: string;
      /** In a cluster, the worker that renders this page. */
      servedBy?: string;
    }
  }
}

export {};
