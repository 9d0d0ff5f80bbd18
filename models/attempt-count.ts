import { model, Schema } from 'mongoose';

/** One rate-limit counter (see rate-limit/mongo-attempt-counter.ts); the TTL index removes it once its window has closed. */
const attemptCountSchema = new Schema(
  {
    _id: { type: String, required: true },
    count: { type: Number, required: true },
    closesAt: { type: Date, required: true, expires: 0 },
  },
  { versionKey: false },
);

export const AttemptCount = model('AttemptCount', attemptCountSchema, 'attemptCounts');
