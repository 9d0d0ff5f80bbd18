import { Router } from 'express';
import type { AccountController } from '../controllers/account.ts';
import { requireLogin } from '../middleware/require-login.ts';

export function accountRoutes(account: AccountController): Router {
  const router = Router();
  router.use(requireLogin);
  router.get('/sessions', account.getSessions);
  router.post('/sessions/end', account.postEndSession);
  router.post('/sessions/end-others', account.postEndOtherSessions);
  router.get('/password', account.getPassword);
  router.post('/password', account.postPassword);
  return router;
}
