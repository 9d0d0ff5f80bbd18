declare global {
  namespace Express {
    interface Request {
      /** The student (lesson progress, not a login) this browser belongs to; set by the lesson detector. */
      studentId?: string;
    }
  }
}

export {};
