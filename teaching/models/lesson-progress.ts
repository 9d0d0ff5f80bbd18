import { model, Schema, type InferRawDocTypeFromSchema, type InferSchemaType } from 'mongoose';

/** A cookie the cookie lab set for a student, so the app can tell what the browser did with it. */
const labCookieSchema = new Schema(
  {
    name: { type: String, required: true },
    path: { type: String, required: true },
    httpOnly: { type: Boolean, required: true },
    /** Unset: host-only, sent to this host alone. */
    domain: String,
    /** The Set-Cookie line the lab sent, to show the student. */
    header: { type: String, required: true },
    /** Unset: a session cookie, kept until the browser closes. */
    expiresAt: Date,
    /** When the browser first sent it back. */
    seenAt: Date,
  },
  { _id: false },
);

/**
 * One student's progress, keyed by the random id in their `student` cookie. `evidence` is what
 * the app saw them do that a later request may complete (a login, a logout, a lab cookie).
 */
const lessonProgressSchema = new Schema(
  {
    _id: { type: String, required: true },
    /** The name the student chose for the instructor's class view; unset: a short fingerprint stands in. */
    displayName: { type: String, maxlength: 40 },
    /** The last lesson page the student opened (its slug), so the class view shows where each student is. */
    currentLesson: String,
    /** When the instructor hid this student from the class view; unset: listed. */
    archivedAt: Date,
    /** When each task step was first done. */
    completedSteps: { type: Map, of: Date, default: () => new Map() },
    evidence: {
      type: {
        /** The email this server itself put in the userEmail cookie (cookie mode). */
        cookieLoginEmail: String,
        /** A successful login in request mode, not yet followed by another request. */
        requestLoginAt: Date,
        /** A hash of the session id issued at the last login, never the id itself. */
        sessionIdHash: { type: String, index: true, sparse: true },
        /** The server process that issued it: another one means the server restarted since. */
        sessionBootId: String,
        /** The store it was issued from: only a memory store loses it in a restart. */
        sessionStore: { type: String, enum: ['memory', 'mongodb'] },
        sessionLoggedOutAt: Date,
        /** When the server ended that login's session without a logout from this browser: the instructor panel, another of the student's sessions, an expiry. */
        sessionEndedAt: Date,
        /** The session whose idle limit the student shortened (its hash), and the new limit. */
        idleSessionHash: String,
        idleLimitSeconds: Number,
        /** Lesson 10: the loggedInAt of the signed login cookie issued at the last login, and when that login logged out. */
        signedLoginAt: Number,
        signedLoggedOutAt: Date,
        /** What the shop refused when the other site of lesson 9 posted its form, in words. */
        refusedCrossSiteForm: String,
        labCookies: { type: [labCookieSchema], default: [] },
      },
      default: () => ({}),
      _id: false,
    },
  },
  { timestamps: true },
);

// The class view lists the students most recently active: found through this index, however many there are.
lessonProgressSchema.index({ updatedAt: -1 });

export const LessonProgress = model('LessonProgress', lessonProgressSchema);
export type LabCookie = InferSchemaType<typeof labCookieSchema>;
/** As `lean()` reads it; the lab cookies are plain objects without an _id (`_id: false`). */
export type StoredLessonProgress = InferRawDocTypeFromSchema<typeof lessonProgressSchema>;
export type Evidence = Omit<StoredLessonProgress['evidence'], 'labCookies'> & { labCookies: LabCookie[] };
