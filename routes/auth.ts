import { Router } from 'express';
import type { AuthController } from '../controllers/auth.ts';

export function authRoutes(auth: AuthController): Router {
  const router = Router();
  router.get('/login', auth.getLogin);
  router.post('/login', auth.postLogin);
  router.get('/signup', auth.getSignup);
  router.post('/signup', auth.postSignup);
  // Logout changes state, so it is a POST that carries the CSRF token, never a link.
  router.post('/logout', auth.postLogout);
  return router;
}
