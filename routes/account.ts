import { Router } from 'express';
import * as account from '../controllers/account.ts';
import { requireLogin } from '../middleware/require-login.ts';

export const accountRoutes = Router();

accountRoutes.use(requireLogin);
accountRoutes.get('/sessions', account.getSessions);
accountRoutes.post('/sessions/end', account.postEndSession);
accountRoutes.post('/sessions/end-others', account.postEndOtherSessions);
accountRoutes.get('/password', account.getPassword);
accountRoutes.post('/password', account.postPassword);
